import { EntityManager } from 'typeorm';
import { IrritantRepository, MAX_CANDIDATES } from '@app/database';
import { Centroid, IrritantAssigner } from '@app/nlp';

/**
 * Changes committed with a write stamp a little older than the moment we last asked (a
 * transaction stamps `updated_at` before it commits) are asked for again: a few seconds of overlap.
 */
const OVERLAP_MS = 5_000;
/** Read everything again now and then all the same: whatever slipped past the overlap is bounded. */
const FULL_RELOAD_MS = 5 * 60_000;
/**
 * Irritants another process changed are read again when this one grows them (under their row
 * lock, `ClusterStage`), and all of them at most this long after, instead of at the next job:
 * with two workers, each job read again every irritant the other had just grown, a fifth of them
 * irritants it would not grow (re-reads per job 311 -> 243 on the ingestion benchmark). Placing
 * against a centroid a minute old costs little; the regrouping places again from the texts.
 */
const CATCH_UP_MS = 60_000;
const CANDIDATE_DAYS = 90;

/**
 * The cluster stage's irritants in memory, one per process, kept close to the table instead of
 * read whole for every job (5,000 centroids of 60 terms, parsed and indexed each time: at 100,000
 * verbatims that was most of the stage's cost). Each job asks only for the irritants changed since
 * the last one; a regrouping (which rewrites centroids and deletes irritants) or a failed job
 * starts it again from the table. Staleness costs only placement quality: the centroids the stage
 * writes are read again under a row lock, and an irritant deleted meanwhile fails the job's
 * transaction, whose retry starts from the table.
 *
 * One job at a time uses it (`use`), its whole transaction: a job's started irritants are not seen
 * by another before they are stored and committed.
 */
export interface PlacementSession {
  /** The assigner, brought up to date from the table within the job's transaction. */
  assigner(tx: EntityManager, threshold: number): Promise<IrritantAssigner>;
  /** A verbatim received at `at` joined `key` (the cache forgets irritants not seen for 90 days). */
  seen(key: string, at: Date): void;
  /** The centroid of an irritant as stored at this write stamp, when the cache holds it. */
  centroidAt(id: string, stamp: string): Centroid | undefined;
  /**
   * The job committed: its started irritants (`new-<n>`) now live under these ids, and `written`
   * is what it stored (by key or id): the cache takes it as the table has it, instead of reading
   * its own writes again at the next job. `replace`: the assigner's slot is not that centroid
   * already (it was read again from the table, grown by another process), so it is replaced.
   */
  stored(keys: ReadonlyMap<string, string>, written: readonly WrittenCentroid[]): void;
}

export interface WrittenCentroid {
  key: string;
  stamp: string;
  centroid: Centroid;
  lang: string | null;
  replace: boolean;
}

export class PlacementCache {
  private assigner: IrritantAssigner | null = null;
  private lastSeen = new Map<string, number>();
  /** The write stamp of each irritant as last read: an unchanged one is not read again. */
  private stamps = new Map<string, string>();
  /** Each irritant's centroid as stored at that stamp (the assigner's slots grow as it places). */
  private centroids = new Map<string, Centroid>();
  /** Irritants held here that another process changed since they were read (see CATCH_UP_MS). */
  private behind = new Set<string>();
  private caughtUpAt = 0;
  private askedAt: Date | null = null;
  private loadedAt = 0;
  private regroups = '';
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly irritants: IrritantRepository) {}

  /** Runs `work` alone; any failure drops the cache (the table is read whole next time). */
  use<T>(work: (session: PlacementSession) => Promise<T>): Promise<T> {
    const run = this.queue.then(async () => {
      try {
        return await work({
          assigner: async (tx, threshold) => {
            const assigner = await this.refresh(tx);
            assigner.threshold = threshold;
            assigner.resetChanges();
            return assigner;
          },
          seen: (key, at) => this.seen(key, at),
          centroidAt: (id, stamp) => (this.stamps.get(id) === stamp ? this.centroids.get(id) : undefined),
          stored: (keys, written) => this.stored(keys, written),
        });
      } catch (error) {
        this.drop();
        throw error;
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** After the job's transaction committed: the stored ids of the irritants it started. */
  private stored(keys: ReadonlyMap<string, string>, written: readonly WrittenCentroid[]): void {
    if (!this.assigner) return;
    for (const [key, id] of keys) {
      this.assigner.rekey(key, id);
      const at = this.lastSeen.get(key);
      this.lastSeen.delete(key);
      if (at !== undefined) this.lastSeen.set(id, at);
    }
    for (const { key, stamp, centroid, lang, replace } of written) {
      const id = keys.get(key) ?? key;
      if (!this.assigner.has(id)) continue;
      if (replace) this.assigner.upsert(id, centroid, lang);
      else {
        this.assigner.settle(id);
        this.assigner.setLang(id, lang);
      }
      this.stamps.set(id, stamp);
      this.centroids.set(id, centroid);
      this.behind.delete(id);
    }
  }

  /** A transaction did not commit: what the assigner holds may be what never was. */
  private drop(): void {
    this.assigner = null;
    this.lastSeen = new Map();
    this.stamps = new Map();
    this.centroids = new Map();
    this.behind = new Set();
    this.askedAt = null;
  }

  private seen(key: string, at: Date): void {
    this.lastSeen.set(key, Math.max(this.lastSeen.get(key) ?? 0, at.getTime()));
  }

  private async refresh(tx: EntityManager): Promise<IrritantAssigner> {
    const full = !this.assigner || this.askedAt === null || Date.now() - this.loadedAt > FULL_RELOAD_MS;
    const since = full || !this.askedAt ? null : new Date(this.askedAt.getTime() - OVERLAP_MS);
    const { at, regroups, stamps } = await this.irritants.candidateStamps(since, tx);
    if (!full && regroups !== this.regroups) {
      this.drop();
      return this.refresh(tx);
    }
    if (full || !this.assigner) {
      this.assigner = new IrritantAssigner([]);
      this.lastSeen = new Map();
      this.stamps = new Map();
      this.centroids = new Map();
      this.behind = new Set();
      this.loadedAt = Date.now();
      this.caughtUpAt = Date.now();
    }
    const assigner = this.assigner;
    // New irritants now; those held here already when grown, or at the next catch-up.
    const unread: string[] = [];
    for (const { id, stamp } of stamps) {
      if (this.stamps.get(id) === stamp) continue;
      if (assigner.has(id)) this.behind.add(id);
      else unread.push(id);
    }
    if (Date.now() - this.caughtUpAt >= CATCH_UP_MS) {
      unread.push(...this.behind);
      this.behind.clear();
      this.caughtUpAt = Date.now();
    }
    for (const row of await this.irritants.candidateCentroids(unread, tx)) {
      assigner.upsert(row.id, row.centroid, row.lang);
      this.stamps.set(row.id, row.stamp);
      this.centroids.set(row.id, row.centroid);
    }
    for (const { id, lastSeenAt } of stamps) {
      if (assigner.has(id)) this.lastSeen.set(id, Math.max(this.lastSeen.get(id) ?? 0, lastSeenAt.getTime()));
    }
    this.askedAt = at;
    this.regroups = regroups;
    this.evict(at);
    return assigner;
  }

  /** As the table's candidates: the last 90 days, the most recent MAX_CANDIDATES. */
  private evict(now: Date): void {
    const assigner = this.assigner as IrritantAssigner;
    const oldest = now.getTime() - CANDIDATE_DAYS * 86_400_000;
    for (const [key, at] of this.lastSeen) {
      if (at <= oldest) {
        assigner.remove(key);
        this.lastSeen.delete(key);
        this.stamps.delete(key);
        this.centroids.delete(key);
        this.behind.delete(key);
      }
    }
    if (this.lastSeen.size <= MAX_CANDIDATES) return;
    const byAge = [...this.lastSeen].sort((a, b) => a[1] - b[1]);
    for (const [key] of byAge.slice(0, byAge.length - MAX_CANDIDATES)) {
      assigner.remove(key);
      this.lastSeen.delete(key);
      this.stamps.delete(key);
      this.centroids.delete(key);
      this.behind.delete(key);
    }
  }
}
