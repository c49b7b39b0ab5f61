import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AuthModule } from '@app/auth';
import { AppConfig, ConfigModule, logDestination, loggerOptions } from '@app/config';
import { DatabaseModule } from '@app/database';
import { AnalysisModule } from '@app/analysis';
import { BoardModule } from '@app/board';
import { ConnectorsModule } from '@app/connectors';
import { DigestModule } from '@app/digest';
import { MonitoringModule } from '@app/monitoring';
import { IngestModule } from '@app/ingest';
import { JobsModule } from '@app/jobs';
import { ExportsModule } from '@app/exports';
import { AlertsModule } from '@app/alerts';
import { NotificationsModule } from '@app/notifications';
import { TrackersModule } from '@app/trackers';

/** The command runtime: the same libs as the API, logs on stderr so that stdout stays the command's answer. */
@Module({})
export class CliModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CliModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot({
          pinoHttp: [{ ...loggerOptions(config, 'cli'), level: 'warn' }, logDestination(config, 'cli', 2)],
        }),
        DatabaseModule.forRoot({ migrate: true }),
        JobsModule.forRoot(config),
        AuthModule,
        IngestModule,
        AnalysisModule,
        BoardModule,
        ConnectorsModule,
        DigestModule,
        MonitoringModule,
        ExportsModule,
        AlertsModule,
        NotificationsModule,
        TrackersModule,
      ],
    };
  }
}
