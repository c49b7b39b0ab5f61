import { Module } from '@nestjs/common';
import { AuthorKeys } from './author-key';
import { ImportService } from './import.service';
import { IngestService } from './ingest.service';
import { IngestStage } from './ingest.stage';
import { OrphanedHandOns } from './orphaned-hand-ons';
import { PipelineSweeper } from './pipeline-sweeper';

@Module({
  providers: [AuthorKeys, IngestService, IngestStage, ImportService, PipelineSweeper, OrphanedHandOns],
  exports: [AuthorKeys, IngestService, ImportService, PipelineSweeper, OrphanedHandOns],
})
export class IngestModule {}
