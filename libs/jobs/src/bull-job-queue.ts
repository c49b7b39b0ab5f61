import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import type { JobsOptions, Queue } from 'bullmq';
import { ALL_QUEUE_NAMES, JOB_CATALOGUE, JobName, JobPayload, QueueName } from './catalogue';
import { QueueUnavailableError } from './errors';
import { JobQueue, QueueCounts } from './job-queue';

// Completed jobs go (their effect is in the database); failed ones stay a week for inspection.
const KEEP_COMPLETED = { age: 3_600, count: 10_000 };
const KEEP_FAILED = { age: 7 * 24 * 3_600 };
/** How often each process checks that the recurring jobs it set are still scheduled in Redis. */
const SCHEDULES_CHECK_MS = 30_000;

export function bullJobOptions<N extends JobName>(name: N, payload: JobPayload<N>): JobsOptions {
  const { retry, jobId } = JOB_CATALOGUE[name];
  return {
    jobId: jobId(payload),
    attempts: retry.attempts,
    backoff: retry.backoffMs > 0 ? { type: 'exponential', delay: retry.backoffMs } : undefined,
    removeOnComplete: KEEP_COMPLETED,
    removeOnFail: KEEP_FAILED,
  };
}

export interface BullJobQueueOptions {
  /**
   * How long an enqueue may wait for Redis before it fails with QueueUnavailableError (ms); null:
   * as long as it takes. The API bounds it (a request must answer, 503, not hang while Redis is
   * away); workers wait (their job cannot finish without Redis anyway, and a failure would spend
   * one of its attempts).
   */
  enqueueTimeoutMs: number | null;
}

@Injectable()
export class BullJobQueue extends JobQueue implements BeforeApplicationShutdown {
  /** The recurring jobs this process set, to set them again when Redis forgets them. */
  private readonly schedules = new Map<JobName, number>();
  private schedulesTimer: NodeJS.Timeout | null = null;
  private restoring = false;
  private watchingReconnects = false;
  private readonly forgottenListeners: (() => Promise<unknown>)[] = [];
  private readonly logger = new Logger('JobQueue');

  constructor(
    private readonly queues: ReadonlyMap<QueueName, Queue>,
    private readonly options: BullJobQueueOptions = { enqueueTimeoutMs: null },
  ) {
    super();
  }

  /**
   * Called when this process finds that Redis forgot what it held (restarted empty): the jobs
   * waiting in it are gone too, and the pipeline sweeper enqueues again, at once, all the work the
   * database says is waiting, rather than after SWEEP_AFTER_SECONDS.
   */
  onForgotten(listener: () => Promise<unknown>): void {
    this.forgottenListeners.push(listener);
  }

  /**
   * Runs an enqueue, bounded when the options say so: a Redis that is not connected fails it at
   * once (its commands would otherwise queue up in memory until Redis returns), a slow one after
   * `enqueueTimeoutMs`.
   */
  private async enqueue<T>(queue: Queue, work: () => Promise<T>): Promise<T> {
    const timeoutMs = this.options.enqueueTimeoutMs;
    if (timeoutMs === null) return work();
    const client = await withTimeout(queue.getBackend().client, timeoutMs, 'Redis is not connected');
    if (client.status !== 'ready') throw new QueueUnavailableError(`Redis is ${client.status}`);
    return withTimeout(work(), timeoutMs, `Redis did not answer within ${timeoutMs} ms`);
  }

  private queueOf(name: JobName): Queue {
    const queue = this.queues.get(JOB_CATALOGUE[name].queue);
    if (!queue) throw new Error(`queue ${JOB_CATALOGUE[name].queue} is not registered`);
    return queue;
  }

  async add<N extends JobName>(name: N, payload: JobPayload<N>): Promise<void> {
    const queue = this.queueOf(name);
    await this.enqueue(queue, () => queue.add(name, payload, bullJobOptions(name, payload)));
  }

  async addMany<N extends JobName>(name: N, payloads: JobPayload<N>[]): Promise<void> {
    if (payloads.length === 0) return;
    const queue = this.queueOf(name);
    await this.enqueue(queue, () =>
      queue.addBulk(payloads.map((data) => ({ name, data, opts: bullJobOptions(name, data) }))),
    );
  }

  async requeue<N extends JobName>(name: N, payload: JobPayload<N>): Promise<void> {
    const queue = this.queueOf(name);
    await this.enqueue(queue, async () => {
      const previous = await queue.getJob(JOB_CATALOGUE[name].jobId(payload));
      // A finished job keeps its id (a failed one for a week, a completed one for an hour): it must
      // go before the same work can be added again.
      if (previous && ((await previous.isFailed()) || (await previous.isCompleted())))
        await previous.remove();
      await queue.add(name, payload, bullJobOptions(name, payload));
    });
  }

  async ping(): Promise<void> {
    const [first] = this.queues.values();
    // Commands wait for Redis to come back rather than fail (maxRetriesPerRequest: null): bound the wait.
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('Redis did not answer within 2 s')), 2_000);
    });
    try {
      await Promise.race([first.getJobCounts('waiting'), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async schedule(name: JobName, everyMs: number): Promise<void> {
    this.schedules.set(name, everyMs);
    await this.upsertSchedule(name, everyMs);
    this.schedulesTimer ??= setInterval(() => void this.restoreSchedules(), SCHEDULES_CHECK_MS).unref();
    await this.watchReconnects();
  }

  /** A Redis that comes back is checked at once, not at the next 30 s check. */
  private async watchReconnects(): Promise<void> {
    if (this.watchingReconnects) return;
    this.watchingReconnects = true;
    const [first] = this.queues.values();
    const client = await first.getBackend().client;
    client.on('ready', () => void this.restoreSchedules());
  }

  private async upsertSchedule(name: JobName, everyMs: number): Promise<void> {
    const { retry } = JOB_CATALOGUE[name];
    await this.queueOf(name).upsertJobScheduler(
      `every-${name}`,
      { every: everyMs },
      {
        name,
        data: {},
        opts: { attempts: retry.attempts, removeOnComplete: KEEP_COMPLETED, removeOnFail: KEEP_FAILED },
      },
    );
  }

  /**
   * Job schedulers live in Redis only. A Redis that restarts empty (no persistence, or a failover
   * to a blank replica) forgets them, and with them the pipeline sweeper that re-enqueues the jobs
   * it lost: nothing would ever run them until some process restarted. Every process therefore
   * sets back, every 30 s, any recurring job that is missing (idempotent: the same scheduler id).
   */
  async restoreSchedules(): Promise<number> {
    // Commands wait for Redis while it is away: one check at a time, not a pile of them.
    if (this.restoring) return 0;
    this.restoring = true;
    let restored = 0;
    try {
      for (const [name, everyMs] of this.schedules) {
        if (await this.queueOf(name).getJobScheduler(`every-${name}`)) continue;
        await this.upsertSchedule(name, everyMs);
        restored++;
      }
      if (restored > 0) {
        this.logger.warn({ restored }, 'recurring jobs missing from Redis were set again');
        // What it forgot included the queued jobs: the work waiting in the database is enqueued again.
        for (const listener of this.forgottenListeners) {
          await listener().catch((error: unknown) =>
            this.logger.warn(
              { err: error },
              'could not enqueue again the work Redis forgot; the sweeper will',
            ),
          );
        }
      }
    } catch {
      // Redis unreachable or closing: the next check tries again.
    } finally {
      this.restoring = false;
    }
    return restored;
  }

  beforeApplicationShutdown(): void {
    if (this.schedulesTimer) clearInterval(this.schedulesTimer);
    this.schedulesTimer = null;
  }

  async counts(): Promise<Record<QueueName, QueueCounts>> {
    const entries = await Promise.all(
      ALL_QUEUE_NAMES.map(async (queueName) => {
        const queue = this.queues.get(queueName);
        const counts = queue
          ? await queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'prioritized')
          : {};
        return [
          queueName,
          {
            waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0),
            active: counts.active ?? 0,
            delayed: counts.delayed ?? 0,
            failed: counts.failed ?? 0,
          },
        ] as const;
      }),
    );
    return Object.fromEntries(entries) as Record<QueueName, QueueCounts>;
  }
}

/** `promise`, or a QueueUnavailableError once `ms` have passed (the promise itself is left to settle). */
function withTimeout<T>(promise: Promise<T>, ms: number, reason: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new QueueUnavailableError(reason)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
