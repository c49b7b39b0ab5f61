import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig, ConfigModule, logDestination, loggerOptions } from '@app/config';
import { DatabaseModule } from '@app/database';
import { AnalysisModule } from '@app/analysis';
import { BoardModule } from '@app/board';
import { ConnectorsModule } from '@app/connectors';
import { DigestModule } from '@app/digest';
import { MonitoringModule } from '@app/monitoring';
import { IngestModule } from '@app/ingest';
import { ALL_QUEUE_NAMES, JobsModule } from '@app/jobs';
import { AlertsModule } from '@app/alerts';
import { NotificationsModule } from '@app/notifications';
import { TrackersModule } from '@app/trackers';
import { processorFor } from './queue-processor';

/** The queue-consuming runtime: the domain libs and one processor per queue, no controllers. */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot({
          pinoHttp: [loggerOptions(config, 'worker'), logDestination(config, 'worker')],
        }),
        DatabaseModule.forRoot({ migrate: true }),
        JobsModule.forRoot(config),
        IngestModule,
        AnalysisModule,
        BoardModule,
        ConnectorsModule,
        DigestModule,
        MonitoringModule,
        AlertsModule,
        NotificationsModule,
        TrackersModule,
      ],
      providers: ALL_QUEUE_NAMES.map((queue) => processorFor(queue, config)),
    };
  }
}
