import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { changedRows } from '../returning';
import { Irritant, IrritantFeedback, Verbatim, VerbatimStage } from '../entities';

export type IrritantCentroid = Irritant['centroid'];

/** Irritants one clustering run compares against: those of the category still alive lately. */
const CANDIDATE_DAYS = 90;
const MAX_CANDIDATES = 5_000;

@Injectable()
export class IrritantRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Runs clustering work for one category alone: concurrent workers would otherwise both start
   * an irritant for the same new topic. The lock is the transaction's: released at commit.
   */
  inCategoryLock<T>(category: string, work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.inCategoriesLock([category], work);
  }

  /**
   * The same lock over several categories (a move across categories), taken in one order so that
   * two opposite moves cannot deadlock.
   */
  inCategoriesLock<T>(categories: string[], work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (tx) => {
      for (const category of [...new Set(categories)].sort()) {
        await tx.query(`SELECT pg_advisory_xact_lock(hashtext('irritant:' || $1))`, [category]);
      }
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
  lockWaiting(ids: string[], category: string, tx: EntityManager): Promise<Verbatim[]> {
    return tx
      .getRepository(Verbatim)
      .createQueryBuilder('v')
      .setLock('pessimistic_write')
      .where('v.id IN (:...ids)', { ids })
      .andWhere('v.stage = :stage', { stage: VerbatimStage.Analyzed })
      .andWhere('v.category = :category', { category })
      .andWhere('v.irritant_pinned_at IS NULL')
      .getMany();
  }

  candidates(category: string, tx: EntityManager): Promise<Irritant[]> {
    return tx
      .getRepository(Irritant)
      .createQueryBuilder('i')
      .where('i.category = :category', { category })
      .andWhere(`i.last_seen_at > now() - make_interval(days => ${CANDIDATE_DAYS})`)
      .orderBy('i.last_seen_at', 'DESC')
      .take(MAX_CANDIDATES)
      .getMany();
  }

  async create(
    irritant: { category: string; label: string; centroid: IrritantCentroid; seenAt: Date },
    tx: EntityManager,
  ): Promise<string> {
    const result = await tx.getRepository(Irritant).insert({
      category: irritant.category,
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

  /** Counts from the verbatims themselves, so that they stay right whatever order work ran in. */
  async recount(ids: string[], tx: EntityManager): Promise<void> {
    if (ids.length === 0) return;
    await tx.query(
      `UPDATE irritant i
          SET verbatim_count = c.verbatims, distinct_customers = c.customers,
              first_seen_at = c.first_seen, last_seen_at = c.last_seen, updated_at = now()
         FROM (SELECT irritant_id, count(*)::int AS verbatims, count(DISTINCT author_key)::int AS customers,
                      min(received_at) AS first_seen, max(received_at) AS last_seen
                 FROM verbatim WHERE irritant_id = ANY($1::uuid[]) GROUP BY irritant_id) c
        WHERE i.id = c.irritant_id`,
      [ids],
    );
  }

  list(filter: { category?: string; limit: number }): Promise<Irritant[]> {
    const qb = this.dataSource
      .getRepository(Irritant)
      .createQueryBuilder('i')
      .select([
        'i.id',
        'i.category',
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
