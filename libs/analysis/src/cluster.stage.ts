import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { IrritantRepository, NewCentroid, VerbatimRepository, VerbatimStage } from '@app/database';
import { JobHandler, JobName, JobPayload } from '@app/jobs';
import { Centroid, addAllToCentroid, clusteringVector, labelOf } from '@app/nlp';
import { ClusteringVocabulary } from './clustering-vocabulary';
import { ModelStore } from './model-store';
import { PlacementCache } from './placement-cache';

type Reading = ReturnType<typeof clusteringVector>;

/** What placing a verbatim reads of it. */
export interface Placeable {
  id: string;
  redactedText: string | null;
  lang: string | null;
  category: string;
  receivedAt: Date;
}

/**
 * The cluster stage: each analysed verbatim joins the recent irritant, of any category, whose
 * centroid it resembles most, or starts one. Cheap and concurrent: workers place their verbatims
 * against the irritants as they read them, under no lock but the regrouping's (shared), and
 * take row locks only on the irritants whose centroid they grow. Two workers may start two
 * irritants for one new topic at the same moment: the regrouping, run soon after, merges them.
 * In one transaction with the verbatims' new stage: a replayed job changes nothing.
 */
@Injectable()
export class ClusterStage {
  constructor(
    private readonly verbatims: VerbatimRepository,
    private readonly irritants: IrritantRepository,
    private readonly models: ModelStore,
    private readonly vocabulary: ClusteringVocabulary,
  ) {
    this.placements = new PlacementCache(irritants);
  }

  /** The irritants placements compare against, kept in memory across jobs. */
  private readonly placements: PlacementCache;

  @JobHandler(JobName.ClusterVerbatims)
  async cluster({ verbatimIds }: JobPayload<JobName.ClusterVerbatims>): Promise<void> {
    const ready = (await this.verbatims.findByIds(verbatimIds)).filter(
      (verbatim) => verbatim.stage === VerbatimStage.Analyzed && verbatim.category !== null,
    );
    if (ready.length === 0) return;
    await this.place(
      async (tx) =>
        (
          await this.irritants.lockWaiting(
            ready.map((verbatim) => verbatim.id),
            tx,
          )
        ).map((verbatim) => ({ ...verbatim, category: verbatim.category as string })),
      (assignments, tx) =>
        this.irritants.attach(
          assignments.map(({ verbatim, irritantId }) => ({ verbatimId: verbatim.id, irritantId })),
          tx,
        ),
    );
    // A verbatim another transaction held at that moment (a chat delivery replayed while its
    // conversation is read again, a person's decision) was skipped, not waited for: the job fails
    // so that its retry, a second later, places what is left; nothing else would hand it on.
    const left = await this.irritants.stillWaiting(ready.map((verbatim) => verbatim.id));
    if (left.length > 0)
      throw new Error(`${left.length} verbatim(s) held by another transaction: placed on the retry`);
  }

  /**
   * Places verbatims as they are analysed and writes analysis and placement in one statement (the
   * ingest job's path: no row is written twice). `lock` runs in the placement's transaction and
   * gives the verbatims to place, locked; those it leaves out are the caller's to write.
   */
  async place<T extends Placeable>(
    lock: (tx: EntityManager) => Promise<T[]>,
    write: (assignments: { verbatim: T; irritantId: string }[], tx: EntityManager) => Promise<void>,
  ): Promise<void> {
    const idf = await this.vocabulary.current();
    const { joinThreshold } = await this.models.current();
    await this.placements.use(async (session) => {
      const stored = await this.irritants.inClusteringLock(async (tx) => {
        const started = new Map<string, { category: string; lang: string | null; seenAt: Date }>();
        const ids = new Map<string, string>();
        const waiting = await lock(tx);
        if (waiting.length === 0) return { ids, kept: [] };
        const assigner = await session.assigner(tx, joinThreshold);
        const placed: { verbatim: T; key: string }[] = [];
        const grown = new Map<string, Reading[]>();
        waiting.sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime() || (a.id < b.id ? -1 : 1));
        for (const verbatim of waiting) {
          const reading = clusteringVector(verbatim.redactedText ?? '', verbatim.lang, idf);
          const { key, created } = assigner.place(
            reading.vector,
            reading.terms,
            reading.surfaces,
            verbatim.lang,
          );
          session.seen(key, verbatim.receivedAt);
          if (created) {
            started.set(key, {
              category: verbatim.category,
              lang: verbatim.lang,
              seenAt: verbatim.receivedAt,
            });
          } else if (!started.has(key)) {
            const readings = grown.get(key);
            if (readings) readings.push(reading);
            else grown.set(key, [reading]);
          }
          placed.push({ verbatim, key });
        }
        const startedNow = assigner.changes(true).filter((change) => started.has(change.key));
        const createdIds = await this.irritants.createMany(
          startedNow.map((change) => {
            const start = started.get(change.key) as { category: string; lang: string | null; seenAt: Date };
            return { ...start, label: labelOf(change.centroid) || '(no words)', centroid: change.centroid };
          }),
          tx,
        );
        startedNow.forEach((change, i) => ids.set(change.key, createdIds[i]));
        // Other workers may have grown the same irritants meanwhile: each is locked (in id order:
        // no deadlock) and this batch's verbatims added to its centroid as stored now. Where the
        // stamp is the one the cache holds, the assigner's slot is that centroid plus this
        // batch's verbatims already; otherwise the centroid is read again, and the slot replaced.
        const grownCentroids: NewCentroid[] = [];
        const written: { key: string; centroid: Centroid; replace: boolean }[] = startedNow.map(
          ({ key, centroid }) => ({ key, centroid, replace: false }),
        );
        if (grown.size > 0) {
          const locked = await this.irritants.lockForGrowth([...grown.keys()], tx);
          // In sync: the cache holds the centroid at the stamp the lock read.
          const inSync = new Set(
            locked.filter(({ id, stamp }) => session.centroidAt(id, stamp)).map(({ id }) => id),
          );
          const reread = new Map(
            (
              await this.irritants.candidateCentroids(
                locked.filter(({ id }) => !inSync.has(id)).map(({ id }) => id),
                tx,
              )
            ).map((row) => [row.id, row.centroid]),
          );
          for (const { id } of locked) {
            const stored = reread.get(id);
            const settled = inSync.has(id) ? assigner.settle(id) : undefined;
            const centroid = settled ?? (stored && addAllToCentroid(stored, grown.get(id) ?? []));
            if (!centroid) throw new Error(`irritant ${id} locked but not read`);
            written.push({ key: id, centroid, replace: !settled });
            // An empty label keeps the stored one.
            grownCentroids.push({ id, label: labelOf(centroid), centroid });
          }
        }
        // An irritant deleted meanwhile (a move emptied it) fails the transaction: the retry places
        // again, from the table (the cache is dropped).
        await write(
          placed.map(({ verbatim, key }) => ({ verbatim, irritantId: ids.get(key) ?? key })),
          tx,
        );
        // Counts and grown centroids in the same statements: one new version of each irritant.
        await this.irritants.recountJoined(
          placed.map(({ verbatim }) => verbatim.id),
          tx,
          grownCentroids,
        );
        // The stamps the commit leaves (the rows are locked or new: nobody else writes them).
        const stamps = new Map(
          (
            await this.irritants.stamps(
              written.map(({ key }) => ids.get(key) ?? key),
              tx,
            )
          ).map((row) => [row.id, row]),
        );
        const kept = written.flatMap(({ key, centroid, replace }) => {
          const row = stamps.get(ids.get(key) ?? key);
          return row ? [{ key, centroid, replace, stamp: row.stamp, lang: row.lang }] : [];
        });
        return { ids, kept };
      });
      session.stored(stored.ids, stored.kept);
    });
  }
}
