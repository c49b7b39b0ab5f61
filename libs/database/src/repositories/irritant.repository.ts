import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { changedRows } from '../returning';
import { Irritant, IrritantFeedback, Verbatim, VerbatimStage } from '../entities';

export type IrritantCentroid = Irritant['centroid'];

/** Irritants one clustering run compares against: those of the category still alive lately. */
const CANDIDATE_DAYS = 90;
/** The most recent irritants a placement compares against (exported: the placement cache keeps as many). */
export const MAX_CANDIDATES = 5_000;
/**
 * Irritants smaller than this are counted again from their verbatims whenever they grow; larger
 * ones at each tenth of growth (`recountJoined`). It was 200: recounting every irritant of up to
 * 200 verbatims at every batch that grew it was the database's largest cost at ingestion (20.8 s
 * of 147 s of statements for 100,000 verbatims, pg_stat_statements).
 */
const RECOUNT_FULLY_BELOW = 20;
/**
 * Larger ones have their majority category and language counted again from all their verbatims
 * each time they grow by this factor. It was 1.1: over a topic's growth that reads about eleven
 * times its verbatims (g / (g - 1)), five at 1.25; the full recounts were the database's third
 * cost at ingestion (23.3 s of statements for 100,000 verbatims, pg_stat_statements). Counts stay
 * exact whatever the factor; only the majority of a large topic waits a little longer.
 */
const RECOUNT_GROWTH = 1.25;

/** A centroid and label to store (an empty label keeps the one stored). */
export interface NewCentroid {
  id: string;
  label: string;
  centroid: IrritantCentroid;
}

/** New centroids as rows `r` of a statement, from one jsonb parameter (`centroidRows`). */
const CENTROID_ROWS = (parameter: string) =>
  `jsonb_to_recordset(${parameter}::jsonb) AS r(id uuid, label varchar, centroid jsonb)`;
/** Sets an irritant's centroid and label from `r` when it has a row there, else keeps them. */
const CENTROID_SET = `centroid = coalesce(r.centroid, i.centroid),
              label = CASE WHEN r.label IS NULL OR r.label = '' THEN i.label ELSE r.label END`;
const centroidRows = (rows: readonly NewCentroid[]) =>
  JSON.stringify(rows.map((row) => ({ id: row.id, label: row.label.slice(0, 200), centroid: row.centroid })));

@Injectable()
export class IrritantRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Runs clustering work (a placement, a triage decision): any number at once, since irritants
   * form across categories and each takes row locks only on what it changes; never while the
   * regrouping rewrites the window (it takes the same lock exclusively). Released at commit.
   */
  inClusteringLock<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock_shared(hashtext('irritant:regroup'))`);
      return work(tx);
    });
  }

  /** The regrouping's lock: waits for clustering work in flight, holds new work until it commits. */
  inRegroupLock<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('irritant:regroup'))`);
      return work(tx);
    });
  }

  /** Irritants locked for a triage decision, in id order (two decisions cannot deadlock). */
  lockIrritants(ids: string[], tx: EntityManager): Promise<Irritant[]> {
    return tx
      .getRepository(Irritant)
      .createQueryBuilder('i')
      .setLock('pessimistic_write')
      .where('i.id IN (:...ids)', { ids })
      .orderBy('i.id')
      .getMany();
  }

  /** Verbatims locked for a triage decision, in id order. */
  lockVerbatims(ids: string[], tx: EntityManager): Promise<Verbatim[]> {
    return tx
      .getRepository(Verbatim)
      .createQueryBuilder('v')
      .setLock('pessimistic_write')
      .where('v.id IN (:...ids)', { ids })
      .orderBy('v.id')
      .getMany();
  }

  /**
   * Puts verbatims in an irritant by a person's decision: pinned there (clustering never moves
   * them again), and, when the irritant is of another category, re-categorised as a correction by
   * that person, which trains the next classifier.
   */
  async placeByHand(
    verbatimIds: string[],
    irritant: { id: string; category: string },
    actor: string,
    tx: EntityManager,
  ): Promise<void> {
    await tx.query(
      `UPDATE verbatim
          SET irritant_id = $2, stage = $5, irritant_pinned_by = $4, irritant_pinned_at = now(),
              needs_triage = CASE WHEN category IS DISTINCT FROM $3 THEN false ELSE needs_triage END,
              category_corrected_by = CASE WHEN category IS DISTINCT FROM $3 THEN $4 ELSE category_corrected_by END,
              category_corrected_at = CASE WHEN category IS DISTINCT FROM $3 THEN now() ELSE category_corrected_at END,
              category = $3
        WHERE id = ANY($1::uuid[])`,
      [verbatimIds, irritant.id, irritant.category, actor, VerbatimStage.Clustered],
    );
  }

  /**
   * Takes a verbatim out of its irritant to be clustered again (its category was corrected): back
   * to the analysed stage, unpinned.
   */
  async detach(verbatimId: string, tx: EntityManager): Promise<void> {
    await tx.query(
      `UPDATE verbatim SET irritant_id = NULL, stage = $2, irritant_pinned_by = NULL, irritant_pinned_at = NULL
        WHERE id = $1`,
      [verbatimId, VerbatimStage.Analyzed],
    );
  }

  /** Moves every verbatim of one irritant to another (a merge), re-categorised like `placeByHand`. */
  async moveAll(
    fromId: string,
    into: { id: string; category: string },
    actor: string,
    tx: EntityManager,
  ): Promise<void> {
    await tx.query(
      `UPDATE verbatim
          SET irritant_id = $2,
              category_corrected_by = CASE WHEN category IS DISTINCT FROM $3 THEN $4 ELSE category_corrected_by END,
              category_corrected_at = CASE WHEN category IS DISTINCT FROM $3 THEN now() ELSE category_corrected_at END,
              category = $3
        WHERE irritant_id = $1`,
      [fromId, into.id, into.category, actor],
    );
  }

  /** Deletes those of the irritants that have no verbatim left. @returns the ids deleted. */
  async deleteEmpty(ids: string[], tx: EntityManager): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await changedRows<{ id: string }>(
      tx,
      `DELETE FROM irritant i WHERE i.id = ANY($1::uuid[])
          AND NOT EXISTS (SELECT 1 FROM verbatim v WHERE v.irritant_id = i.id) RETURNING i.id`,
      [ids],
    );
    return rows.map((row) => row.id);
  }

  async remove(id: string, tx: EntityManager): Promise<void> {
    await tx.getRepository(Irritant).delete({ id });
  }

  async recordFeedback(rows: Omit<IrritantFeedback, 'id' | 'createdAt'>[], tx: EntityManager): Promise<void> {
    if (rows.length > 0) await tx.getRepository(IrritantFeedback).insert(rows);
  }

  /** The most recent lessons from triage decisions, to fit the join threshold on. */
  feedback(limit: number): Promise<Pick<IrritantFeedback, 'similarity' | 'shouldJoin'>[]> {
    return this.dataSource
      .getRepository(IrritantFeedback)
      .find({ select: { similarity: true, shouldJoin: true }, order: { createdAt: 'DESC' }, take: limit });
  }

  /** When the team last taught clustering something (null: never). */
  async lastFeedbackAt(): Promise<Date | null> {
    const rows: { at: Date | null }[] = await this.dataSource.query(
      'SELECT max(created_at) AS at FROM irritant_feedback',
    );
    return rows[0]?.at ?? null;
  }

  /**
   * Of the given verbatims, those still waiting for clustering, locked for this transaction.
   * Pinned ones are a person's decision: never clustered again.
   */
  lockWaiting(ids: string[], tx: EntityManager): Promise<Verbatim[]> {
    return tx
      .getRepository(Verbatim)
      .createQueryBuilder('v')
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .where('v.id IN (:...ids)', { ids })
      .andWhere('v.stage = :stage', { stage: VerbatimStage.Analyzed })
      .andWhere('v.category IS NOT NULL')
      .andWhere('v.irritant_pinned_at IS NULL')
      .orderBy('v.id')
      .getMany();
  }

  /**
   * Of the given verbatims, those still waiting for analysis (`received`, or `ingested` by an older
   * release), locked for this transaction; rows another transaction holds are skipped, not waited
   * for. With an MD5 of their texts as they are now, not the texts (the caller read them just
   * before: sending every text a second time was a fifth of the statement's cost): a conversation
   * that grew since it was read shows as a different hash, and `textsOf` reads it again.
   */
  async lockFresh(
    ids: string[],
    tx: EntityManager,
  ): Promise<{ id: string; rawHash: string; redactedHash: string | null; pinned: boolean }[]> {
    if (ids.length === 0) return [];
    const rows = await tx.query<
      { id: string; raw_hash: string; redacted_hash: string | null; pinned: boolean }[]
    >(
      `SELECT id, md5(raw_text) AS raw_hash, md5(redacted_text) AS redacted_hash,
              irritant_pinned_at IS NOT NULL AS pinned FROM verbatim
        WHERE id = ANY($1::uuid[]) AND stage = ANY($2::varchar[])
        ORDER BY id FOR UPDATE SKIP LOCKED`,
      [ids, [VerbatimStage.Received, VerbatimStage.Ingested]],
    );
    return rows.map((row) => ({
      id: row.id,
      rawHash: row.raw_hash,
      redactedHash: row.redacted_hash,
      pinned: row.pinned,
    }));
  }

  /** The texts of these verbatims as they are now (rows this transaction has locked). */
  async textsOf(
    ids: string[],
    tx: EntityManager,
  ): Promise<Map<string, { rawText: string; redactedText: string | null }>> {
    if (ids.length === 0) return new Map();
    const rows = await tx.query<{ id: string; raw_text: string; redacted_text: string | null }[]>(
      `SELECT id, raw_text, redacted_text FROM verbatim WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    return new Map(rows.map((row) => [row.id, { rawText: row.raw_text, redactedText: row.redacted_text }]));
  }

  /**
   * Those of `ids` still waiting for the cluster stage (analysed, not pinned): after a batch, the
   * ones another transaction held (`lockWaiting` skips locked rows) are still here.
   */
  async stillWaiting(ids: string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM verbatim
        WHERE id = ANY($1::uuid[]) AND stage = $2 AND category IS NOT NULL AND irritant_pinned_at IS NULL`,
      [ids, VerbatimStage.Analyzed],
    );
    return rows.map((row) => row.id);
  }

  /**
   * What a placement cache needs to stay close to the table: which irritants changed since `since`
   * (all candidates when null) with their write stamps, which regrouping the table is at (a pass
   * rewrites every centroid and deletes irritants: the cache starts again), and the database's
   * clock to ask from next time. Centroids are read apart (`candidateCentroids`), only for the
   * irritants whose stamp the cache does not already hold.
   */
  async candidateStamps(
    since: Date | null,
    tx: EntityManager,
  ): Promise<{ at: Date; regroups: string; stamps: { id: string; stamp: string; lastSeenAt: Date }[] }> {
    const [state] = await tx.query<{ at: Date; regroups: string }[]>(
      `SELECT clock_timestamp() AS at,
              (SELECT count(*) || '/' || coalesce(max(finished_at)::text, '') FROM irritant_regroup) AS regroups`,
    );
    const rows = await tx.query<{ id: string; stamp: string; last_seen_at: Date }[]>(
      since === null
        ? `SELECT id, updated_at::text AS stamp, last_seen_at FROM irritant
            WHERE last_seen_at > now() - make_interval(days => ${CANDIDATE_DAYS})
            ORDER BY last_seen_at DESC LIMIT ${MAX_CANDIDATES}`
        : `SELECT id, updated_at::text AS stamp, last_seen_at FROM irritant
            WHERE updated_at > $1 AND last_seen_at > now() - make_interval(days => ${CANDIDATE_DAYS})`,
      since === null ? [] : [since],
    );
    return {
      at: state.at,
      regroups: state.regroups,
      stamps: rows.map((row) => ({ id: row.id, stamp: row.stamp, lastSeenAt: row.last_seen_at })),
    };
  }

  /**
   * Irritants a placement grows, locked in id order (two placements cannot deadlock), with their
   * write stamps only: the caller reads again only the centroids its cache does not hold at that
   * stamp (each placement re-reading and parsing every centroid it grows was, with the waits
   * behind those locks, the largest cost of the ingestion benchmark). `FOR NO KEY UPDATE`: the
   * verbatims' foreign-key checks (`FOR KEY SHARE`) of other placements do not wait on it.
   */
  async lockForGrowth(ids: readonly string[], tx: EntityManager): Promise<{ id: string; stamp: string }[]> {
    if (ids.length === 0) return [];
    return tx.query(
      `SELECT id, updated_at::text AS stamp FROM irritant WHERE id = ANY($1::uuid[]) ORDER BY id FOR NO KEY UPDATE`,
      [ids],
    );
  }

  /** Write stamps and languages of these irritants as this transaction leaves them. */
  async stamps(
    ids: readonly string[],
    tx: EntityManager,
  ): Promise<{ id: string; stamp: string; lang: string | null }[]> {
    if (ids.length === 0) return [];
    return tx.query(`SELECT id, updated_at::text AS stamp, lang FROM irritant WHERE id = ANY($1::uuid[])`, [
      ids,
    ]);
  }

  /** The centroids of these irritants, with their write stamps. */
  async candidateCentroids(
    ids: readonly string[],
    tx: EntityManager,
  ): Promise<{ id: string; stamp: string; centroid: IrritantCentroid; lang: string | null }[]> {
    if (ids.length === 0) return [];
    return tx.query(
      `SELECT id, updated_at::text AS stamp, centroid, lang FROM irritant WHERE id = ANY($1::uuid[])`,
      [ids],
    );
  }

  /** Marks irritants as decided on by a person: the regrouping leaves their verbatims where they are. */
  async hold(ids: string[], actor: string, tx: EntityManager): Promise<void> {
    if (ids.length === 0) return;
    await tx.query(
      `UPDATE irritant SET held_by = $2, held_at = now() WHERE id = ANY($1::uuid[]) AND held_at IS NULL`,
      [ids, actor],
    );
  }

  /** A person sets the irritant's category: it no longer follows its verbatims' majority. */
  async setCategory(id: string, category: string, actor: string, tx: EntityManager): Promise<void> {
    await tx.query(
      `UPDATE irritant SET category = $2, category_set_by = $3, category_set_at = now(), updated_at = clock_timestamp()
        WHERE id = $1`,
      [id, category, actor],
    );
  }

  async create(
    irritant: {
      category: string;
      label: string;
      centroid: IrritantCentroid;
      seenAt: Date;
      lang?: string | null;
    },
    tx: EntityManager,
  ): Promise<string> {
    const result = await tx.getRepository(Irritant).insert({
      category: irritant.category,
      lang: irritant.lang ?? null,
      label: irritant.label.slice(0, 200),
      centroid: irritant.centroid,
      firstSeenAt: irritant.seenAt,
      lastSeenAt: irritant.seenAt,
    });
    return (result.identifiers[0] as { id: string }).id;
  }

  async updateCentroid(
    id: string,
    label: string,
    centroid: IrritantCentroid,
    tx: EntityManager,
  ): Promise<void> {
    await tx.getRepository(Irritant).update({ id }, { label: label.slice(0, 200), centroid });
  }

  async attach(assignments: { verbatimId: string; irritantId: string }[], tx: EntityManager): Promise<void> {
    if (assignments.length === 0) return;
    await tx.query(
      `UPDATE verbatim v SET irritant_id = a.irritant_id, stage = $3
         FROM unnest($1::uuid[], $2::uuid[]) AS a(id, irritant_id)
        WHERE v.id = a.id`,
      [assignments.map((a) => a.verbatimId), assignments.map((a) => a.irritantId), VerbatimStage.Clustered],
    );
  }

  /** `deleteEmpty` in a transaction of its own. */
  deleteEmptyNow(ids: string[]): Promise<string[]> {
    return this.dataSource.transaction((tx) => this.deleteEmpty(ids, tx));
  }

  /** `recount` in a transaction of its own. */
  async recountNow(ids: string[]): Promise<void> {
    if (ids.length > 0) await this.dataSource.transaction((tx) => this.recount(ids, tx));
  }

  /**
   * Counts from the verbatims themselves, so that they stay right whatever order work ran in; the
   * category is their majority (unless a person set it), the language too. `updated_at` is the
   * moment of the write (not of the transaction's start): the regrouping looks for work done
   * since it last finished.
   */
  async recount(ids: string[], tx: EntityManager, centroids: readonly NewCentroid[] = []): Promise<void> {
    if (ids.length === 0) return;
    const wanted = new Set(ids);
    // The irritants' verbatims are read once (a CTE used three times is materialised), then
    // counted, and their majority category and language taken.
    await tx.query(
      `WITH v AS (SELECT irritant_id, author_key, received_at, category, lang
                    FROM verbatim WHERE irritant_id = ANY($1::uuid[])),
            c AS (SELECT irritant_id, count(*)::int AS verbatims, count(DISTINCT author_key)::int AS customers,
                         min(received_at) AS first_seen, max(received_at) AS last_seen
                    FROM v GROUP BY irritant_id),
            m AS (SELECT DISTINCT ON (irritant_id) irritant_id, category FROM v WHERE category IS NOT NULL
                   GROUP BY irritant_id, category ORDER BY irritant_id, count(*) DESC, category),
            l AS (SELECT DISTINCT ON (irritant_id) irritant_id, lang FROM v WHERE lang IS NOT NULL
                   GROUP BY irritant_id, lang ORDER BY irritant_id, count(*) DESC, lang)
       UPDATE irritant i
          SET verbatim_count = c.verbatims, distinct_customers = c.customers,
              first_seen_at = c.first_seen, last_seen_at = c.last_seen, updated_at = clock_timestamp(),
              category = CASE WHEN i.category_set_by IS NULL THEN coalesce(m.category, i.category) ELSE i.category END,
              lang = coalesce(l.lang, i.lang), ${CENTROID_SET}
         FROM c LEFT JOIN m ON m.irritant_id = c.irritant_id LEFT JOIN l ON l.irritant_id = c.irritant_id
              LEFT JOIN ${CENTROID_ROWS('$2')} ON r.id = c.irritant_id
        WHERE i.id = c.irritant_id`,
      [ids, centroidRows(centroids.filter((row) => wanted.has(row.id)))],
    );
  }

  /**
   * Counts after the cluster stage attached `verbatimIds` (and locked their irritants): small
   * irritants are counted again from their verbatims (`recount`), large ones by adding what
   * joined: recounting a 20,000-verbatim irritant for every batch that grows it made the database
   * the ingestion's bottleneck (each batch read every verbatim of the biggest topics again).
   * Verbatims and distinct customers stay exact (a customer counts when none of their other
   * verbatims is in the irritant; the row locks taken before the attach serialise two batches
   * growing one irritant); the majority category and language of a large irritant are counted
   * again each time it grows by a quarter (and whenever a regrouping or a person changes it), not at
   * every batch.
   */
  async recountJoined(
    verbatimIds: string[],
    tx: EntityManager,
    centroids: readonly NewCentroid[] = [],
  ): Promise<void> {
    if (verbatimIds.length === 0) return this.updateCentroids(centroids, tx);
    const joined = await tx.query<{ id: string; count: number; joined: number }[]>(
      `SELECT i.id, i.verbatim_count AS count, count(*)::int AS joined
         FROM verbatim v JOIN irritant i ON i.id = v.irritant_id
        WHERE v.id = ANY($1::uuid[]) GROUP BY i.id`,
      [verbatimIds],
    );
    const growthStep = (n: number) => Math.floor(Math.log(Math.max(n, 1)) / Math.log(RECOUNT_GROWTH));
    const recountFully = (row: (typeof joined)[number]) =>
      row.count < RECOUNT_FULLY_BELOW || growthStep(row.count) !== growthStep(row.count + row.joined);
    const full = joined.filter(recountFully);
    const added = joined.filter((row) => !recountFully(row));
    // The new centroids go with the counts: one new version of each irritant row, not two (the
    // table is rewritten at every batch that grows an irritant; each version is one more for
    // every later lookup to step over until a vacuum).
    const counted = new Set(joined.map((row) => row.id));
    await this.updateCentroids(
      centroids.filter((row) => !counted.has(row.id)),
      tx,
    );
    await this.recount(
      full.map((row) => row.id),
      tx,
      centroids,
    );
    if (added.length === 0) return;
    const addedIds = new Set(added.map((row) => row.id));
    await tx.query(
      `UPDATE irritant i
          SET verbatim_count = i.verbatim_count + p.verbatims,
              distinct_customers = i.distinct_customers + p.new_customers,
              first_seen_at = least(i.first_seen_at, p.first_seen), last_seen_at = greatest(i.last_seen_at, p.last_seen),
              updated_at = clock_timestamp(), ${CENTROID_SET}
         FROM (SELECT j.irritant_id, count(*)::int AS verbatims, min(j.received_at) AS first_seen,
                      max(j.received_at) AS last_seen,
                      count(DISTINCT j.author_key) FILTER (WHERE NOT EXISTS (
                        SELECT 1 FROM verbatim o
                         WHERE o.author_key = j.author_key AND o.irritant_id = j.irritant_id
                           AND NOT (o.id = ANY($1::uuid[]))))::int AS new_customers
                 FROM verbatim j
                WHERE j.id = ANY($1::uuid[]) AND j.irritant_id = ANY($2::uuid[])
                GROUP BY j.irritant_id) p
              LEFT JOIN ${CENTROID_ROWS('$3')} ON r.id = p.irritant_id
        WHERE i.id = p.irritant_id`,
      [verbatimIds, [...addedIds], centroidRows(centroids.filter((row) => addedIds.has(row.id)))],
    );
  }

  /** The installation's vocabulary as the last regrouping stored it (null: none yet). */
  async latestVocabulary(): Promise<{ documents: number; frequencies: Record<string, number> } | null> {
    const rows: { documents: number; frequencies: Record<string, number> }[] = await this.dataSource.query(
      'SELECT documents, frequencies FROM clustering_vocabulary ORDER BY id DESC LIMIT 1',
    );
    return rows[0] ?? null;
  }

  /** Stores the vocabulary of the recent window; the older ones go. */
  async storeVocabulary(
    documents: number,
    frequencies: Record<string, number>,
    tx: EntityManager,
  ): Promise<void> {
    const [row] = await tx.query<{ id: number }[]>(
      'INSERT INTO clustering_vocabulary (documents, frequencies) VALUES ($1, $2) RETURNING id',
      [documents, JSON.stringify(frequencies)],
    );
    await tx.query('DELETE FROM clustering_vocabulary WHERE id < $1', [row.id]);
  }

  /**
   * The recent window the regrouping reads: clustered verbatims received since `since`, the most
   * recent first, at most `limit`; `fixed` when a person placed it, or its irritant is held, has
   * a pinned quote, or has verbatims older than the window (a long-lived topic keeps its members).
   */
  async regroupWindow(
    since: Date,
    limit: number,
    tx: EntityManager = this.dataSource.manager,
  ): Promise<{ id: string; text: string; lang: string | null; irritantId: string; fixed: boolean }[]> {
    const rows: {
      id: string;
      text: string | null;
      lang: string | null;
      irritant_id: string;
      fixed: boolean;
    }[] = await tx.query(
      `WITH w AS (
           SELECT id, redacted_text, lang, irritant_id, irritant_pinned_at FROM verbatim
            WHERE stage = $3 AND irritant_id IS NOT NULL AND received_at >= $1
            ORDER BY received_at DESC, id LIMIT $2),
         counts AS (SELECT irritant_id, count(*) AS n FROM w GROUP BY irritant_id),
         anchored AS (
           SELECT i.id FROM irritant i JOIN counts c ON c.irritant_id = i.id
            WHERE i.held_at IS NOT NULL OR i.verbatim_count > c.n
               OR EXISTS (SELECT 1 FROM pinned_quote q WHERE q.irritant_id = i.id))
         SELECT w.id, w.redacted_text AS text, w.lang, w.irritant_id,
                (w.irritant_pinned_at IS NOT NULL OR w.irritant_id IN (SELECT id FROM anchored)) AS fixed
           FROM w`,
      [since, limit, VerbatimStage.Clustered],
    );
    return rows.map((row) => ({
      id: row.id,
      text: row.text ?? '',
      lang: row.lang,
      irritantId: row.irritant_id,
      fixed: row.fixed,
    }));
  }

  /**
   * Irritants started at once (the regrouping), one statement per 500: an embedded database
   * pays for every round trip. @returns their ids, in the order given.
   */
  async createMany(
    rows: {
      category: string;
      lang: string | null;
      label: string;
      centroid: IrritantCentroid;
      seenAt: Date;
    }[],
    tx: EntityManager,
  ): Promise<string[]> {
    // Ids chosen here: the order of RETURNING is not promised.
    const ids = rows.map(() => randomUUID());
    for (let start = 0; start < rows.length; start += 500) {
      const slice = rows.slice(start, start + 500).map((row, i) => ({
        id: ids[start + i],
        category: row.category,
        lang: row.lang,
        label: row.label.slice(0, 200),
        centroid: row.centroid,
        seen_at: row.seenAt.toISOString(),
      }));
      await tx.query(
        `INSERT INTO irritant (id, category, lang, label, centroid, first_seen_at, last_seen_at)
         SELECT r.id, r.category, r.lang, r.label, r.centroid, r.seen_at, r.seen_at
           FROM jsonb_to_recordset($1::jsonb)
                AS r(id uuid, category varchar, lang varchar, label varchar, centroid jsonb, seen_at timestamptz)`,
        [JSON.stringify(slice)],
      );
    }
    return ids;
  }

  /** New centroids and labels for many irritants at once (an empty label keeps the one stored). */
  async updateCentroids(rows: readonly NewCentroid[], tx: EntityManager): Promise<void> {
    for (let start = 0; start < rows.length; start += 500) {
      await tx.query(
        `UPDATE irritant i SET ${CENTROID_SET}, updated_at = clock_timestamp()
           FROM ${CENTROID_ROWS('$1')} WHERE i.id = r.id`,
        [centroidRows(rows.slice(start, start + 500))],
      );
    }
  }

  /**
   * Whether the window read before the regrouping's lock is still as it was: every verbatim in the
   * same irritant, none placed by a person since, no irritant of it decided on since. New
   * verbatims clustered meanwhile do not count: the pass leaves them where they were placed.
   */
  async windowUnchanged(
    window: readonly { id: string; irritantId: string; fixed: boolean }[],
    tx: EntityManager,
  ): Promise<boolean> {
    if (window.length === 0) return true;
    const [row] = await tx.query<{ changed: number }[]>(
      `SELECT count(*)::int AS changed
         FROM unnest($1::uuid[], $2::uuid[], $3::boolean[]) AS w(id, irritant_id, fixed)
         LEFT JOIN verbatim v ON v.id = w.id
         LEFT JOIN irritant i ON i.id = w.irritant_id
        WHERE v.id IS NULL OR v.irritant_id IS DISTINCT FROM w.irritant_id
           OR (NOT w.fixed AND (v.irritant_pinned_at IS NOT NULL OR i.held_at IS NOT NULL))`,
      [window.map((one) => one.id), window.map((one) => one.irritantId), window.map((one) => one.fixed)],
    );
    return row.changed === 0;
  }

  /** Puts verbatims in other irritants (the regrouping): never a pinned one. */
  async reassign(
    assignments: { verbatimId: string; irritantId: string }[],
    tx: EntityManager,
  ): Promise<void> {
    if (assignments.length === 0) return;
    await tx.query(
      `UPDATE verbatim v SET irritant_id = a.irritant_id
         FROM unnest($1::uuid[], $2::uuid[]) AS a(id, irritant_id)
        WHERE v.id = a.id AND v.irritant_pinned_at IS NULL`,
      [assignments.map((a) => a.verbatimId), assignments.map((a) => a.irritantId)],
    );
  }

  /** Records a regrouping; its finish is the moment of this write. */
  async recordRegroup(
    run: {
      trigger: string;
      actor: string;
      startedAt: Date;
      windowVerbatims: number;
      irritantsBefore: number;
      irritantsAfter: number;
      merged: number;
      created: number;
      moved: number;
    },
    tx: EntityManager,
  ): Promise<void> {
    await tx.query(
      `INSERT INTO irritant_regroup (trigger, actor, started_at, finished_at, window_verbatims, irritants_before,
                                     irritants_after, merged, created, moved)
       VALUES ($1, $2, $3, clock_timestamp(), $4, $5, $6, $7, $8, $9)`,
      [
        run.trigger,
        run.actor,
        run.startedAt,
        run.windowVerbatims,
        run.irritantsBefore,
        run.irritantsAfter,
        run.merged,
        run.created,
        run.moved,
      ],
    );
  }

  /**
   * What the automatic regrouping waits on: when it last finished, when irritants last changed
   * after it, and the database's now (all on the database's clock).
   */
  async regroupState(): Promise<{ lastRegroupAt: Date | null; lastChangeAt: Date | null; now: Date }> {
    const rows: { last_regroup: Date | null; last_change: Date | null; now: Date }[] =
      await this.dataSource.query(
        `SELECT (SELECT max(finished_at) FROM irritant_regroup) AS last_regroup,
              (SELECT max(updated_at) FROM irritant) AS last_change, clock_timestamp() AS now`,
      );
    return { lastRegroupAt: rows[0].last_regroup, lastChangeAt: rows[0].last_change, now: rows[0].now };
  }

  list(filter: { category?: string; limit: number }): Promise<Irritant[]> {
    const qb = this.dataSource
      .getRepository(Irritant)
      .createQueryBuilder('i')
      .select([
        'i.id',
        'i.category',
        'i.categorySetBy',
        'i.lang',
        'i.heldAt',
        'i.label',
        'i.name',
        'i.title',
        'i.titleLang',
        'i.titleOther',
        'i.titleOtherLang',
        'i.titleQuote',
        'i.verbatimCount',
        'i.distinctCustomers',
        'i.firstSeenAt',
        'i.lastSeenAt',
      ])
      .orderBy('i.distinct_customers', 'DESC')
      .addOrderBy('i.last_seen_at', 'DESC')
      .take(filter.limit);
    if (filter.category) qb.where('i.category = :category', { category: filter.category });
    return qb.getMany();
  }

  findByIds(ids: string[]): Promise<Irritant[]> {
    return this.dataSource.getRepository(Irritant).find({ where: { id: In(ids) } });
  }

  /** Where verbatims stand, read without a lock: to know which locks a decision needs. */
  peekVerbatims(ids: string[]): Promise<Pick<Verbatim, 'id' | 'stage' | 'category' | 'irritantId'>[]> {
    return this.dataSource.getRepository(Verbatim).find({
      select: { id: true, stage: true, category: true, irritantId: true },
      where: { id: In(ids) },
    });
  }

  findById(id: string): Promise<Irritant | null> {
    return this.dataSource.getRepository(Irritant).findOne({ where: { id } });
  }

  /** Its most recent verbatims, for quotes. */
  samples(id: string, limit: number): Promise<Verbatim[]> {
    return this.dataSource.getRepository(Verbatim).find({
      where: { irritantId: id },
      relations: { source: true },
      order: { receivedAt: 'DESC' },
      take: limit,
    });
  }
}
