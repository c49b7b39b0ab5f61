import { BeforeApplicationShutdown, Logger } from '@nestjs/common';
import { ALL_QUEUE_NAMES, JOB_CATALOGUE, JobName, JobPayload, QueueName, backoffDelay } from './catalogue';
import { isUnrecoverable } from './errors';
import { JobQueue, QueueCounts } from './job-queue';
import type { JobRunner } from './job-runner';

interface PendingJob {
  name: JobName;
  payload: unknown;
  jobId: string;
  attempt: number;
}

/**
 * Embedded mode's queue: jobs run in this process through the same `JobRunner` as BullMQ workers,
 * at most `concurrency` at once, with the same retry policies and dead-lettering. Nothing here is
 * durable, and it need not be: every stage's state is in the database, and the pipeline sweeper
 * re-enqueues at boot whatever a stopped process left unfinished.
 */
export class InProcessJobQueue extends JobQueue implements BeforeApplicationShutdown {
  private readonly logger = new Logger(InProcessJobQueue.name);
  private readonly waiting: PendingJob[] = [];
  /** Ids of jobs waiting, running or waiting for a retry: the same id is never queued twice. */
  private readonly known = new Set<string>();
  private readonly running = new Map<string, { job: PendingJob; done: Promise<void> }>();
  private readonly retryTimers = new Map<string, { job: PendingJob; timer: NodeJS.Timeout }>();
  private readonly intervals: NodeJS.Timeout[] = [];
  private readonly idleWaiters: (() => void)[] = [];
  private readonly failed = new Map<QueueName, number>();
  private stopping = false;

  constructor(
    private readonly runner: JobRunner,
    private readonly concurrency: number,
  ) {
    super();
  }

  add<N extends JobName>(name: N, payload: JobPayload<N>): Promise<void> {
    this.push({ name, payload, jobId: JOB_CATALOGUE[name].jobId(payload), attempt: 1 });
    return Promise.resolve();
  }

  addMany<N extends JobName>(name: N, payloads: JobPayload<N>[]): Promise<void> {
    for (const payload of payloads)
      this.push({ name, payload, jobId: JOB_CATALOGUE[name].jobId(payload), attempt: 1 });
    return Promise.resolve();
  }

  requeue<N extends JobName>(name: N, payload: JobPayload<N>): Promise<void> {
    return this.add(name, payload);
  }

  ping(): Promise<void> {
    return Promise.resolve();
  }

  schedule(name: JobName, everyMs: number): Promise<void> {
    const timer = setInterval(
      () => this.push({ name, payload: {}, jobId: JOB_CATALOGUE[name].jobId({} as never), attempt: 1 }),
      everyMs,
    );
    timer.unref();
    this.intervals.push(timer);
    return Promise.resolve();
  }

  counts(): Promise<Record<QueueName, QueueCounts>> {
    const counts = Object.fromEntries(
      ALL_QUEUE_NAMES.map((queue) => [queue, { waiting: 0, active: 0, delayed: 0, failed: 0 }]),
    ) as Record<QueueName, QueueCounts>;
    for (const job of this.waiting) counts[JOB_CATALOGUE[job.name].queue].waiting++;
    for (const { job } of this.running.values()) counts[JOB_CATALOGUE[job.name].queue].active++;
    for (const { job } of this.retryTimers.values()) counts[JOB_CATALOGUE[job.name].queue].delayed++;
    for (const [queue, failed] of this.failed) counts[queue].failed = failed;
    return Promise.resolve(counts);
  }

  /** Resolves once nothing is waiting, running or due for a retry (the CLI waits on it before it exits). */
  idle(): Promise<void> {
    if (this.known.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private push(job: PendingJob): void {
    if (this.stopping || this.known.has(job.jobId)) return;
    this.known.add(job.jobId);
    this.waiting.push(job);
    this.pump();
  }

  private pump(): void {
    while (!this.stopping && this.running.size < this.concurrency && this.waiting.length > 0) {
      const job = this.waiting.shift() as PendingJob;
      const done = this.execute(job).finally(() => {
        this.running.delete(job.jobId);
        this.pump();
        this.notifyIfIdle();
      });
      this.running.set(job.jobId, { job, done });
    }
  }

  private async execute(job: PendingJob): Promise<void> {
    const { retry } = JOB_CATALOGUE[job.name];
    try {
      await this.runner.run(job.name, job.payload, {
        jobId: job.jobId,
        attempt: job.attempt,
        maxAttempts: retry.attempts,
      });
      this.known.delete(job.jobId);
    } catch (error) {
      if (!isUnrecoverable(error) && job.attempt < retry.attempts && !this.stopping) {
        const next = { ...job, attempt: job.attempt + 1 };
        const timer = setTimeout(
          () => {
            this.retryTimers.delete(job.jobId);
            this.waiting.push(next);
            this.pump();
          },
          backoffDelay(retry, job.attempt),
        );
        this.retryTimers.set(job.jobId, { job: next, timer });
      } else {
        const queue = JOB_CATALOGUE[job.name].queue;
        this.failed.set(queue, (this.failed.get(queue) ?? 0) + 1);
        this.known.delete(job.jobId);
      }
    }
  }

  private notifyIfIdle(): void {
    if (this.known.size > 0) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  /** Lets running jobs finish; what had not started is picked up again by the sweeper at the next boot. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    for (const timer of this.intervals) clearInterval(timer);
    for (const { timer } of this.retryTimers.values()) clearTimeout(timer);
    const left = this.waiting.length + this.retryTimers.size;
    if (left > 0) this.logger.log(`${left} queued jobs left for the next start`);
    await Promise.allSettled([...this.running.values()].map((entry) => entry.done));
    this.waiting.length = 0;
    this.retryTimers.clear();
    this.known.clear();
    this.notifyIfIdle();
  }
}
