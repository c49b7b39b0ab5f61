import { BeforeApplicationShutdown, Injectable, Type } from '@nestjs/common';
import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import type { AppConfig } from '@app/config';
import { JobRunner, QueueName } from '@app/jobs';

/**
 * A BullMQ consumer for one queue: a thin shell around `JobRunner`, the same entry point the
 * in-process queue uses. Made per queue at boot, since the worker options come from the config.
 */
export function processorFor(queue: QueueName, config: AppConfig): Type<WorkerHost> {
  @Processor(queue, {
    concurrency: config.jobConcurrency,
    lockDuration: config.jobLockMs,
    // Look for jobs whose worker died as often as a lock can expire, so recovery takes one lock time.
    stalledInterval: config.jobLockMs,
    // A job whose worker dies is handed to another after the lock expires; one that keeps killing
    // its workers (out of memory, say) is failed after a few tries and dead-lettered below.
    maxStalledCount: 3,
  })
  @Injectable()
  class QueueProcessor extends WorkerHost implements BeforeApplicationShutdown {
    constructor(private readonly runner: JobRunner) {
      super();
    }

    async process(job: Job): Promise<void> {
      await this.runner.run(job.name, job.data, {
        jobId: job.id ?? null,
        attempt: job.attemptsMade + 1,
        maxAttempts: job.opts.attempts ?? 1,
      });
    }

    /** Jobs failed by BullMQ itself (stalled too often) never reached the runner's own dead-lettering. */
    @OnWorkerEvent('failed')
    async onFailed(job: Job | undefined, error: Error): Promise<void> {
      if (job && /stalled/i.test(error.message)) {
        await this.runner.deadLetter(
          job.name,
          job.data,
          { jobId: job.id ?? null, attempt: job.attemptsMade, maxAttempts: job.opts.attempts ?? 1 },
          error,
        );
      }
    }

    /** SIGTERM: finish the jobs in hand (BullMQ waits for them) before the database pool closes. */
    async beforeApplicationShutdown(): Promise<void> {
      await this.worker.close();
    }
  }
  Object.defineProperty(QueueProcessor, 'name', {
    value: `${queue[0].toUpperCase()}${queue.slice(1)}QueueProcessor`,
  });
  return QueueProcessor;
}
