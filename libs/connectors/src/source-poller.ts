import { Inject, Injectable, Logger } from '@nestjs/common';
import { Clock, SecretBox } from '@app/config';
import { DeadLetterRepository, Source, SourceKind, SourceRepository } from '@app/database';
import { IngestService } from '@app/ingest';
import { JobHandler, JobName, JobPayload, JobQueue } from '@app/jobs';
import { ConnectorError, PULL_CONNECTORS, PullConnector, SourceContext } from './connector';

/** Pages one poll job takes before handing on to the next tick (a big backlog is shared out). */
const PAGES_PER_POLL = 20;
/** A pull that has not answered in this long is cut and counted as failed. */
const POLL_TIMEOUT_MS = 120_000;
/** Failures in a row after which a source's poll is a dead letter (and keeps backing off). */
export const FAILURES_TO_DEAD_LETTER = 5;
const MAX_BACKOFF_MS = 3_600_000;

/** Backoff after n failures in a row: 30 s, 1 min, 2 min, … up to an hour. */
export function backoffAfter(failures: number): number {
  return Math.min(MAX_BACKOFF_MS, 30_000 * 2 ** Math.max(0, failures - 1));
}

/**
 * Runs the pull connectors: each tick enqueues a poll for every source that is due (BullMQ
 * dedupes by source and tick, so several processes ticking at once poll once); a poll pulls pages
 * from the persisted cursor, stores each page through the idempotent ingest, then moves the cursor
 * on. A crash between the two re-reads a page and stores nothing twice; a crash before the store
 * loses nothing. Failures back off (the provider's Retry-After for rate limits); five in a row, or
 * one that will not get better (credentials), is a dead letter with its cause.
 */
@Injectable()
export class SourcePoller {
  private readonly logger = new Logger(SourcePoller.name);
  private readonly connectors: Map<string, PullConnector>;

  constructor(
    @Inject(PULL_CONNECTORS) connectors: PullConnector[],
    private readonly sources: SourceRepository,
    private readonly ingest: IngestService,
    private readonly secrets: SecretBox,
    private readonly deadLetters: DeadLetterRepository,
    private readonly jobs: JobQueue,
    private readonly clock: Clock,
  ) {
    this.connectors = new Map(connectors.map((connector) => [connector.kind, connector]));
  }

  @JobHandler(JobName.TickSources)
  async tick(): Promise<void> {
    await this.enqueueDue(new Date());
  }

  async enqueueDue(now: Date): Promise<number> {
    const required: Partial<Record<SourceKind, string>> = {};
    for (const connector of this.connectors.values())
      if (connector.requiredSetting) required[connector.kind] = connector.requiredSetting;
    const due = await this.sources.due([...this.connectors.keys()] as SourceKind[], now, 500, required);
    const slot = Math.floor(now.getTime() / 1_000);
    await this.jobs.addMany(
      JobName.PollSource,
      due.map((source) => ({ sourceId: source.id, slot })),
    );
    return due.length;
  }

  @JobHandler(JobName.PollSource)
  async poll({ sourceId }: JobPayload<JobName.PollSource>): Promise<void> {
    await this.pollNow(sourceId);
  }

  /** Polls one source now, whatever its schedule. @returns the verbatims stored. */
  async pollNow(sourceId: string): Promise<{ stored: number; skipped: number; refused: number }> {
    const source = await this.sources.findById(sourceId);
    const connector = source ? this.connectors.get(source.kind) : undefined;
    if (!source || !source.enabled || !connector || !this.pulled(connector, source))
      return { stored: 0, skipped: 0, refused: 0 };
    const started = new Date();
    const context: SourceContext = {
      id: source.id,
      name: source.name,
      kind: source.kind,
      settings: source.settings,
      secrets: source.secretsSealed
        ? (JSON.parse(this.secrets.open(source.secretsSealed)) as Record<string, string>)
        : {},
      cursor: source.cursor,
      now: this.clock.now(),
    };
    const totals = { stored: 0, skipped: 0, refused: 0 };
    try {
      for (let page = 0; page < PAGES_PER_POLL; page++) {
        const pulled = await connector.pull(context, AbortSignal.timeout(POLL_TIMEOUT_MS));
        const refs = await this.ingest.storeAndHandOn(pulled.items, source.kind);
        totals.stored += refs.filter((ref) => ref.created).length;
        totals.skipped += pulled.skipped?.length ?? 0;
        for (const refused of pulled.refused ?? []) {
          totals.refused++;
          await this.deadLetters.record({
            jobName: `source.${source.kind}`,
            jobId: `${source.name}:${refused.externalId ?? 'unknown'}`.slice(0, 256),
            payload: { sourceId: source.id, externalId: refused.externalId },
            input: null,
            cause: refused.reason,
            attempts: 1,
          });
        }
        // Only now that the page is stored: a crash before this line re-reads it, harmlessly.
        await this.sources.advance(source.id, pulled.cursor);
        context.cursor = pulled.cursor;
        if (!pulled.more) break;
      }
      await this.sources.pollSucceeded(source.id, started);
      return totals;
    } catch (error) {
      await this.failed(source, started, error);
      return totals;
    }
  }

  /** A push-only source (no IMAP host) is not polled: there is nothing to poll, and no failure. */
  private pulled(connector: PullConnector, source: Source): boolean {
    const setting = connector.requiredSetting;
    if (!setting) return true;
    const value = source.settings[setting];
    return value !== undefined && value !== null && value !== '';
  }

  private async failed(source: Source, at: Date, error: unknown): Promise<void> {
    const cause = error instanceof Error ? error.message : String(error);
    if (error instanceof ConnectorError && error.retryAfterMs !== undefined && !error.permanent) {
      this.logger.warn({ source: source.name, retryAfterMs: error.retryAfterMs }, 'rate limited');
      await this.sources.rateLimited(source.id, at, new Date(at.getTime() + error.retryAfterMs));
      return;
    }
    const permanent = error instanceof ConnectorError && error.permanent;
    const failures = await this.sources.pollFailed(
      source.id,
      at,
      cause,
      new Date(at.getTime() + backoffAfter(source.consecutiveFailures + 1)),
    );
    this.logger.warn({ source: source.name, failures, permanent, cause }, 'poll failed');
    if (permanent || failures === FAILURES_TO_DEAD_LETTER) {
      await this.deadLetters.record({
        jobName: JobName.PollSource,
        jobId: `poll-${source.id}`,
        payload: { sourceId: source.id, slot: Math.floor(at.getTime() / 1_000) },
        input: null,
        cause: `${source.name}: ${permanent ? 'fails for good' : `${failures} failures in a row`}: ${cause}`,
        attempts: failures,
      });
    }
  }
}
