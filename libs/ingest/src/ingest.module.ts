import { Module } from '@nestjs/common';
import { AuthorKeys } from './author-key';
import { ExternalIds } from './external-ids';
import { ImportService } from './import.service';
import { IngestService } from './ingest.service';
import { OrphanedHandOns } from './orphaned-hand-ons';
import { PipelineSweeper } from './pipeline-sweeper';

@Module({
  providers: [AuthorKeys, ExternalIds, IngestService, ImportService, PipelineSweeper, OrphanedHandOns],
  exports: [AuthorKeys, ExternalIds, IngestService, ImportService, PipelineSweeper, OrphanedHandOns],
})
export class IngestModule {}
