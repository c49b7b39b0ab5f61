import { Module } from '@nestjs/common';
import { IngestModule } from '@app/ingest';
import { KpiService } from './kpi.service';
import { MonitorService } from './monitor.service';

@Module({
  imports: [IngestModule],
  providers: [KpiService, MonitorService],
  exports: [KpiService, MonitorService],
})
export class MonitoringModule {}
