import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { ThrottlerModule } from '@nestjs/throttler';
import { AuthModule } from '@app/auth';
import { AppConfig, ConfigModule, loggerOptions } from '@app/config';
import { DatabaseModule } from '@app/database';
import { AnalysisModule } from '@app/analysis';
import { BoardModule } from '@app/board';
import { ConnectorsModule } from '@app/connectors';
import { DigestModule } from '@app/digest';
import { MonitoringModule } from '@app/monitoring';
import { WebhooksModule } from '@app/webhooks';
import { IngestModule } from '@app/ingest';
import { JobsModule } from '@app/jobs';
import { ApiKeyGuard } from './auth/api-key.guard';
import { BoardsController } from './boards/boards.controller';
import { DecisionsController } from './boards/decisions.controller';
import { TicketsController } from './tickets/tickets.controller';
import { WebhooksController } from './webhooks/webhooks.controller';
import { InboundWebhooksController } from './sources/inbound-webhooks.controller';
import { SourcesController } from './sources/sources.controller';
import { DigestsController } from './digests/digests.controller';
import { KpisController } from './kpis/kpis.controller';
import { MonitorsController } from './monitors/monitors.controller';
import { MetricsController } from './metrics/metrics.controller';
import { PeopleController } from './people/people.controller';
import { DeadLettersController } from './dead-letters/dead-letters.controller';
import { FirstStart } from './embedded/first-start';
import { HealthController } from './health/health.controller';
import { IrritantsController } from './irritants/irritants.controller';
import { ErrorFilter } from './http/error.filter';
import { VerbatimsController } from './verbatims/verbatims.controller';
import { VerbatimsService } from './verbatims/verbatims.service';

/**
 * The HTTP runtime. In embedded mode it also consumes the jobs (in-process queue); in server mode
 * it only enqueues them and apps/worker consumes.
 */
@Module({})
export class ApiModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot({
          pinoHttp: {
            ...loggerOptions(config, 'api'),
            // Health probes every few seconds would drown the log.
            autoLogging: { ignore: (request) => request.url === '/health' },
            // Method and path only: no headers (credentials), no query string (search terms are customer words).
            serializers: {
              req: (request: { id: unknown; method: string; url: string }) => ({
                id: request.id,
                method: request.method,
                path: request.url.split('?')[0],
              }),
            },
          },
        }),
        DatabaseModule.forRoot({ migrate: true }),
        JobsModule.forRoot(config),
        AuthModule,
        // Only the routes that ask for it are throttled (ingestion): no global guard.
        ThrottlerModule.forRoot({ throttlers: [{ ttl: 60_000, limit: config.ingestRequestsPerMinute }] }),
        IngestModule,
        AnalysisModule,
        BoardModule,
        ConnectorsModule,
        DigestModule,
        MonitoringModule,
        WebhooksModule,
      ],
      controllers: [
        HealthController,
        VerbatimsController,
        IrritantsController,
        BoardsController,
        DecisionsController,
        TicketsController,
        WebhooksController,
        SourcesController,
        InboundWebhooksController,
        DigestsController,
        KpisController,
        MonitorsController,
        MetricsController,
        PeopleController,
        DeadLettersController,
      ],
      providers: [
        VerbatimsService,
        FirstStart,
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        { provide: APP_FILTER, useClass: ErrorFilter },
      ],
    };
  }
}
