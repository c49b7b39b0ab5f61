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
import { Logger } from 'nestjs-pino';
import { ApiKeyService } from '@app/auth';
import type { AppConfig } from '@app/config';
import { ALL_QUEUE_NAMES, InProcessJobQueue, JobQueue, JobRunner, scheduleRecurringJobs } from '@app/jobs';
import { PipelineSweeper } from '@app/ingest';
import { ApiModule } from './api.module';
import { ADMINS, READERS } from './auth/access.decorators';
import { requireKey } from './auth/key-middleware';
import { csvBody, jsonBody, mailBody } from './http/body-parser';
import { securityHeaders, serveWebUi, webUiDirectory } from './http/web-ui';

export function openApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('LoveBoard API')
    .setDescription(
      'Customer-feedback triage: verbatims, irritants, the weekly board. Every route but /health needs an API key.',
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
  securityHeaders(app);
  const web = webUiDirectory();
  if (web !== null) serveWebUi(app, web);
  app.use(mailBody());
  app.use(csvBody());
  app.use(...jsonBody());
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      stopAtFirstError: false,
    }),
  );

  const apiKeys = app.get(ApiKeyService);
  app.use('/api/docs', requireKey(apiKeys, READERS));
  SwaggerModule.setup('api/docs', app, openApiDocument(app), { jsonDocumentUrl: 'api/docs/openapi.json' });

  if (config.redisUrl !== null) {
    const board = new BullBoardExpressAdapter();
    board.setBasePath('/admin/queues');
    createBullBoard({
      queues: ALL_QUEUE_NAMES.map((name) => new BullMQAdapter(app.get<Queue>(getQueueToken(name)))),
      serverAdapter: board,
    });
    app.use('/admin/queues', requireKey(apiKeys, ADMINS), board.getRouter());
  }

  await app.init();
  const jobs = app.get(JobQueue);
  if (jobs instanceof InProcessJobQueue) {
    // This process is its own worker: it must run every job, and pick up what a previous run left.
    app.get(JobRunner).assertEveryJobHasAHandler();
    await app.get(PipelineSweeper).sweep(new Date());
  }
  await scheduleRecurringJobs(jobs, config);
  return app;
}
