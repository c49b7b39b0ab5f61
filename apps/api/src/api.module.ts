import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { ThrottlerModule } from '@nestjs/throttler';
import { AuthModule } from '@app/auth';
import { AppConfig, ConfigModule, logDestination, loggerOptions, scrubString } from '@app/config';
import { DatabaseModule } from '@app/database';
import { AnalysisModule } from '@app/analysis';
import { BoardModule } from '@app/board';
import { ConnectorsModule } from '@app/connectors';
import { DigestModule } from '@app/digest';
import { MonitoringModule } from '@app/monitoring';
import { WebhooksModule } from '@app/webhooks';
import { ExportsModule } from '@app/exports';
import { IngestModule } from '@app/ingest';
import { JobsModule } from '@app/jobs';
import { ENQUEUE_TIMEOUT_MS } from './http/error.filter';
import { AlertsModule } from '@app/alerts';
import { NotificationsModule } from '@app/notifications';
import { TrackersModule } from '@app/trackers';
import { AccessGuard } from './auth/api-key.guard';
import { AuthController } from './auth/auth.controller';
import { FailureLimiter } from './auth/failure-limiter';
import { MeController } from './auth/me.controller';
import { UsersController } from './auth/users.controller';
import { ApiKeysController } from './auth/api-keys.controller';
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
import { SurveyImpactController } from './surveys/survey-impact.controller';
import { ExportsController } from './exports/exports.controller';
import { AlertsController } from './alerts/alerts.controller';
import { ChatChannelsController } from './chat/chat-channels.controller';
import { TrackersController, TrackerWebhooksController } from './trackers/trackers.controller';
import { FirstStart } from './embedded/first-start';
import { HealthController } from './health/health.controller';
import { IrritantsController } from './irritants/irritants.controller';
import { ErrorFilter } from './http/error.filter';
import { BodyStats } from './http/body-parser';
import { BodyInterceptor } from './http/body.interceptor';
import { VerbatimsController } from './verbatims/verbatims.controller';
import { ActorNames } from './people/actor-names';
import { VerbatimsService } from './verbatims/verbatims.service';
import { CategoriesController } from './categories/categories.controller';

/** The path of a request URL, percent-decoded so that the scrubbing sees `a%40b.fr` as the e-mail it is. */
function decodedPath(url: string): string {
  const path = url.split('?')[0];
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

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
          pinoHttp: [
            {
              ...loggerOptions(config, 'api'),
              // Health probes every few seconds would drown the log.
              autoLogging: { ignore: (request) => request.url === '/health' },
              // Method and path only: no headers (credentials), no query string (search terms are customer words).
              serializers: {
                req: (request: { id: unknown; method: string; url: string }) => ({
                  id: request.id,
                  method: request.method,
                  // Serializers run after the log formatter that scrubs: a path can carry a key (`;key=lb_…`).
                  path: scrubString(decodedPath(request.url)),
                }),
                // The status only: response headers carry the session cookie being set.
                res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
              },
            },
            logDestination(config, 'api'),
          ],
        }),
        DatabaseModule.forRoot({ migrate: true }),
        // A request hands work on within ENQUEUE_TIMEOUT_MS or answers 503: it never waits for Redis.
        JobsModule.forRoot(config, { enqueueTimeoutMs: ENQUEUE_TIMEOUT_MS }),
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
        ExportsModule,
        AlertsModule,
        NotificationsModule,
        TrackersModule,
      ],
      controllers: [
        HealthController,
        VerbatimsController,
        CategoriesController,
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
        SurveyImpactController,
        ExportsController,
        AlertsController,
        ChatChannelsController,
        TrackersController,
        TrackerWebhooksController,
        AuthController,
        MeController,
        UsersController,
        ApiKeysController,
      ],
      providers: [
        VerbatimsService,
        ActorNames,
        FirstStart,
        FailureLimiter,
        { provide: APP_GUARD, useClass: AccessGuard },
        { provide: BodyStats, useValue: new BodyStats() },
        { provide: APP_INTERCEPTOR, useClass: BodyInterceptor },
        { provide: APP_FILTER, useClass: ErrorFilter },
      ],
    };
  }
}
