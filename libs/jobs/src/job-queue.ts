import type { JobName, JobPayload, QueueName } from './catalogue';

export interface QueueCounts {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
}

/**
 * Where stages hand work on. Two implementations behind one contract: BullMQ on Redis (server mode)
 * and an in-process queue (embedded mode) that calls the very same handlers.
 */
export abstract class JobQueue {
  abstract add<N extends JobName>(name: N, payload: JobPayload<N>): Promise<void>;
  abstract addMany<N extends JobName>(name: N, payloads: JobPayload<N>[]): Promise<void>;
  /** Runs a job every `everyMs`, once across all processes. */
  abstract schedule(name: JobName, everyMs: number): Promise<void>;
  abstract counts(): Promise<Record<QueueName, QueueCounts>>;
  /** Adds a job again even if a finished copy with the same id is still kept (dead-letter retry, re-clustering). */
  abstract requeue<N extends JobName>(name: N, payload: JobPayload<N>): Promise<void>;
  /** Throws when the queue backend does not answer (health checks). */
  abstract ping(): Promise<void>;
}
