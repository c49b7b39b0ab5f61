import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  IdentityLinkRepository,
  PrivacyRepository,
  SourceKind,
  SourceRepository,
  StoredVerbatimRef,
  VerbatimRepository,
} from '@app/database';
import { JobName, JobQueue, QueueUnavailableError, verbatimBatches } from '@app/jobs';
import { Redactor } from '@app/nlp';
import { AuthorKeys } from './author-key';
import { ExternalIds } from './external-ids';
import { OrphanedHandOns } from './orphaned-hand-ons';
import type { VerbatimInput } from './verbatim-input';

/**
 * The one way verbatims enter the product, for the API, file imports and (later) every connector:
 * stored once per (source, externalId), then handed on to the next stage through the job catalogue.
 */
@Injectable()
export class IngestService {
  private readonly redactor = new Redactor();

  constructor(
    private readonly sources: SourceRepository,
    private readonly verbatims: VerbatimRepository,
    private readonly authorKeys: AuthorKeys,
    private readonly externalIds: ExternalIds,
    private readonly links: IdentityLinkRepository,
    private readonly privacy: PrivacyRepository,
    private readonly jobs: JobQueue,
    private readonly orphans: OrphanedHandOns,
  ) {}

  /**
   * Stores the verbatims not seen before. Inside the caller's transaction when a manager is given,
   * in which case the caller calls `handOn` after its commit.
   */
  async store(
    items: VerbatimInput[],
    kind: SourceKind,
    manager?: EntityManager,
  ): Promise<StoredVerbatimRef[]> {
    if (items.length === 0) return [];
    const sourceIds = await this.sources.ensure(
      items.map((item) => item.source),
      kind,
      manager,
    );
    const keys = items.map((item) => this.authorKeys.of(item.author));
    // A linked identity counts as the customer it is linked to (an e-mail and a customer id).
    const linked = await this.links.canonical(keys, manager);
    const authorKeys = keys.map((key) => linked.get(key) ?? key);
    // An erased person's messages replayed by a source (a mailbox read again, a connector's backfill)
    // are skipped, not stored again: the erasure keeps its word.
    const erased = await this.privacy.erasedAmong([...keys, ...authorKeys], manager);
    const kept = items.flatMap((item, i) =>
      erased.has(keys[i]) || erased.has(authorKeys[i]) ? [] : [{ item, authorKey: authorKeys[i], index: i }],
    );
    const stored = await this.verbatims.insertIfAbsent(
      kept.map(({ item, authorKey }) => ({
        sourceId: sourceIds.get(item.source) as string,
        externalId: this.externalIds.stored(item.externalId),
        authorKey,
        channel: item.channel,
        receivedAt: new Date(item.receivedAt),
        rawText: item.text,
        lang: item.lang ?? null,
        // Redacted before it is ever stored: unlike the text, nobody needs the metadata raw.
        metadata: this.redactor.redactJson(item.metadata ?? {}),
      })),
      manager,
    );
    const refs: StoredVerbatimRef[] = items.map((item) => ({
      id: null,
      sourceId: sourceIds.get(item.source) as string,
      externalId: item.externalId,
      created: false,
      pending: false,
      suppressed: true,
    }));
    // The caller's own ids, not what was stored for them.
    kept.forEach(({ index }, k) => (refs[index] = { ...stored[k], externalId: items[index].externalId }));
    return refs;
  }

  /**
   * Enqueues the next stage for the verbatims still waiting for it: those this call created, and
   * those an earlier call stored but died before handing on (its client then replays).
   */
  async handOn(refs: StoredVerbatimRef[]): Promise<void> {
    await this.enqueueIngest([
      ...new Set(refs.flatMap((ref) => (ref.pending && ref.id !== null ? [ref.id] : []))),
    ]);
  }

  /**
   * When Redis is away (QueueUnavailableError, API processes only: workers wait for it), the ids
   * are kept for the hand-on retry before the error goes on to the caller (503, Retry-After).
   */
  async enqueueIngest(verbatimIds: string[]): Promise<void> {
    try {
      await this.jobs.addMany(JobName.IngestVerbatims, verbatimBatches(verbatimIds));
    } catch (error) {
      if (error instanceof QueueUnavailableError) this.orphans.remember(verbatimIds);
      throw error;
    }
  }

  /** Convenience for callers outside a transaction. */
  async storeAndHandOn(items: VerbatimInput[], kind: SourceKind): Promise<StoredVerbatimRef[]> {
    const refs = await this.store(items, kind);
    await this.handOn(refs);
    return refs;
  }
}
