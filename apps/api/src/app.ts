import 'reflect-metadata';
import { INestApplication, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ExpressAdapter as BullBoardExpressAdapter } from '@bull-board/express';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import cookieParser from 'cookie-parser';
import { json } from 'express';
import type { Express, NextFunction, Request, Response } from 'express';
import { Logger } from 'nestjs-pino';
import { ApiKeyService, SessionService } from '@app/auth';
import type { Server } from 'node:http';
import { type AppConfig, PublicUrl } from '@app/config';
import { ALL_QUEUE_NAMES, InProcessJobQueue, JobQueue, JobRunner, scheduleRecurringJobs } from '@app/jobs';
import { PipelineSweeper } from '@app/ingest';
import { ApiModule } from './api.module';
import { ADMINS, READERS } from './auth/access.decorators';
import { FailureLimiter } from './auth/failure-limiter';
import { requireKey } from './auth/key-middleware';
import { adminSessionOrKey } from './auth/docs-access';
import { securityHeaders, serveWebUi, webUiDirectory } from './http/web-ui';

export function openApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('LoveBoard API')
    .setDescription(
      'Customer-feedback triage: verbatims, irritants, the weekly board. Every route but /health, /auth/* and the signed webhooks needs an API key (programs) or a session cookie with its X-CSRF-Token (people, see docs/AUTH.md).',
    )
    .setVersion('1')
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      description: 'An API key: `npm run cli -- apikey create`',
    })
    .build();
  return SwaggerModule.createDocument(app, config);
}

/**
 * Builds the API application the same way for `main.ts` and for the tests: security headers, body
 * limits, validation, docs, and in embedded mode the in-process job consumer and its schedules.
 */
export async function createApi(config: AppConfig): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.forRoot(config), {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  // Whose address request.ip is (the failure limiter counts by it): the socket's peer, unless the
  // proxies in front are named (TRUST_PROXY); never every hop, which a client could forge.
  app.set('trust proxy', Array.isArray(config.trustProxy) ? [...config.trustProxy] : config.trustProxy);
  securityHeaders(app);
  // PostgreSQL can neither store nor compare a NUL character: refused here with a reason rather
  // than failing as a 500 in whichever query the value reaches (test/sql-injection.e2e-spec.ts).
  app.use((request: Request, response: Response, next: NextFunction) => {
    if (!/%00/.test(request.url)) return next();
    response.status(400).json({
      statusCode: 400,
      error: 'Bad Request',
      message: 'NUL characters (%00) are not accepted in a URL',
    });
  });
  const web = webUiDirectory();
  if (web !== null) serveWebUi(app, web);
  // No body parser here: bodies are read after authentication, under each route's own limit
  // (BodyInterceptor, apps/api/src/http/body.interceptor.ts).
  // People's sessions (lb_session) and the single sign-on attempt (lb_oidc); unsigned: both carry
  // their own protection (a random token looked up by hash, a sealed value).
  app.use(cookieParser());
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      stopAtFirstError: false,
    }),
  );

  const apiKeys = app.get(ApiKeyService);
  const limiter = app.get(FailureLimiter);
  // A signed-in admin reads the documentation in the browser with their session (GET only).
  app.use('/api/docs', adminSessionOrKey(app.get(SessionService), requireKey(apiKeys, limiter, READERS)));
  SwaggerModule.setup('api/docs', app, openApiDocument(app), { jsonDocumentUrl: 'api/docs/openapi.json' });

  if (config.redisUrl !== null) {
    const board = new BullBoardExpressAdapter();
    board.setBasePath('/admin/queues');
    createBullBoard({
      queues: ALL_QUEUE_NAMES.map((name) => new BullMQAdapter(app.get<Queue>(getQueueToken(name)))),
      serverAdapter: board,
    });
    const boardApp = board.getRouter() as Express;
    // Bull Board is an Express application of its own: it would announce itself (X-Powered-By)
    // after helmet removed the header.
    boardApp.disable('x-powered-by');
    // Its few writes (retry, pause, clean) carry small JSON bodies, read once the key is checked.
    app.use('/admin/queues', requireKey(apiKeys, limiter, ADMINS), json({ limit: '64kb' }), boardApp);
  }

  await app.init();
  // Links the product sends (the digest) name the port this API really got.
  const server: Server = app.getHttpServer();
  server.once('listening', () => app.get(PublicUrl).listeningOn(server.address()));
  const jobs = app.get(JobQueue);
  if (jobs instanceof InProcessJobQueue) {
    // This process is its own worker: it must run every job, and pick up what a previous run left.
    app.get(JobRunner).assertEveryJobHasAHandler();
    await app.get(PipelineSweeper).sweep(new Date());
  }
  await scheduleRecurringJobs(jobs, config);
  return app;
}
