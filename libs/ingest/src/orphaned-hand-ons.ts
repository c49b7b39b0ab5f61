import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { JobName, JobQueue, verbatimBatches } from '@app/jobs';

/** How often the hand-ons that found Redis away are tried again (ms). */
export const HAND_ON_RETRY_MS = 2_000;
/** Beyond this many waiting ids, the rest are left to the pipeline sweeper (memory stays bounded). */
const MAX_REMEMBERED = 200_000;

/**
 * Verbatims stored by this process whose hand-on to the ingest stage failed because Redis was away
 * (the request answered 503). They are committed: nothing is lost, but the pipeline sweeper would
 * only see them after SWEEP_AFTER_SECONDS (two minutes by default). This process knows which they
 * are, and enqueues them again every couple of seconds until Redis takes them. If it dies first,
 * the sweeper still does. Stages are idempotent: a verbatim enqueued twice is processed once.
 */
@Injectable()
export class OrphanedHandOns implements OnApplicationShutdown {
  private readonly waiting = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private retrying = false;
  private readonly logger = new Logger(OrphanedHandOns.name);

  constructor(private readonly jobs: JobQueue) {}

  get size(): number {
    return this.waiting.size;
  }

  remember(verbatimIds: readonly string[]): void {
    for (const id of verbatimIds) {
      if (this.waiting.size >= MAX_REMEMBERED) break;
      this.waiting.add(id);
    }
    if (this.waiting.size > 0) this.timer ??= setInterval(() => void this.retry(), HAND_ON_RETRY_MS).unref();
  }

  /** Enqueues what waits; resolves with how many were handed on (0 while Redis is still away). */
  async retry(): Promise<number> {
    if (this.retrying || this.waiting.size === 0) return 0;
    this.retrying = true;
    const ids = [...this.waiting];
    try {
      await this.jobs.addMany(JobName.IngestVerbatims, verbatimBatches(ids));
      for (const id of ids) this.waiting.delete(id);
      this.logger.log({ verbatims: ids.length }, 'verbatims stored while Redis was away handed on');
      if (this.waiting.size === 0) this.stop();
      return ids.length;
    } catch {
      // Redis still away: the next round tries again.
      return 0;
    } finally {
      this.retrying = false;
    }
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  onApplicationShutdown(): void {
    this.stop();
  }
}
