import { Module } from '@nestjs/common';
import { IngestModule } from '@app/ingest';
import { KpiService } from './kpi.service';

@Module({ imports: [IngestModule], providers: [KpiService], exports: [KpiService] })
export class MonitoringModule {}
