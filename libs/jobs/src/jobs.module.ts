import { DynamicModule, Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { BullModule, getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import type { AppConfig } from '@app/config';
import { ALL_QUEUE_NAMES, QueueName } from './catalogue';
import { BullJobQueue, BullJobQueueOptions } from './bull-job-queue';
import { DeadLetterService } from './dead-letter.service';
import { InProcessJobQueue } from './in-process-job-queue';
import { JobQueue } from './job-queue';
import { JobRunner } from './job-runner';
import { redisConnection } from './redis-connection';

/**
 * With REDIS_URL: BullMQ queues (consumed by apps/worker). Without: the in-process queue, consumed
 * by this very process. Either way, stages see one `JobQueue` and one `JobRunner`.
 */
@Global()
@Module({})
export class JobsModule {
  static forRoot(
    config: AppConfig,
    options: BullJobQueueOptions = { enqueueTimeoutMs: null },
  ): DynamicModule {
    if (config.redisUrl === null) {
      return {
        module: JobsModule,
        imports: [DiscoveryModule],
        providers: [
          JobRunner,
          DeadLetterService,
          {
            provide: JobQueue,
            inject: [JobRunner],
            useFactory: (runner: JobRunner) => new InProcessJobQueue(runner, config.jobConcurrency),
          },
        ],
        exports: [JobQueue, JobRunner, DeadLetterService],
      };
    }
    return {
      module: JobsModule,
      imports: [
        DiscoveryModule,
        BullModule.forRoot({ connection: redisConnection(config.redisUrl), prefix: config.queuePrefix }),
        BullModule.registerQueue(...ALL_QUEUE_NAMES.map((name) => ({ name }))),
      ],
      providers: [
        JobRunner,
        DeadLetterService,
        {
          provide: JobQueue,
          inject: ALL_QUEUE_NAMES.map((name) => getQueueToken(name)),
          useFactory: (...queues: Queue[]) =>
            new BullJobQueue(
              new Map(ALL_QUEUE_NAMES.map((name, index) => [name, queues[index]] as [QueueName, Queue])),
              options,
            ),
        },
      ],
      exports: [JobQueue, JobRunner, DeadLetterService, BullModule],
    };
  }
}
