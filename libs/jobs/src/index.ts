export {
  JobName,
  QueueName,
  JOB_CATALOGUE,
  ALL_JOB_NAMES,
  ALL_QUEUE_NAMES,
  MAX_IDS_PER_JOB,
  VERBATIMS_PER_JOB,
  verbatimBatches,
  SWEEP_EVERY_MS,
  SOURCES_TICK_EVERY_MS,
  scheduleRecurringJobs,
  RETRY_TRANSIENT,
  RETRY_WEBHOOK,
  RETRY_NEXT_RUN,
  backoffDelay,
  isJobName,
} from './catalogue';
export type { JobPayload, JobPayloads, RetryPolicy } from './catalogue';
export { PoisonJobError, QueueUnavailableError, isUnrecoverable } from './errors';
export { JobHandler } from './job-handler.decorator';
export { JobRunner } from './job-runner';
export type { JobContext } from './job-runner';
export { JobQueue } from './job-queue';
export type { QueueCounts } from './job-queue';
export { InProcessJobQueue } from './in-process-job-queue';
export { BullJobQueue } from './bull-job-queue';
export type { BullJobQueueOptions } from './bull-job-queue';
export { JobsModule } from './jobs.module';
export { redisConnection } from './redis-connection';
export { DeadLetterService } from './dead-letter.service';
export { bullJobOptions } from './bull-job-queue';
