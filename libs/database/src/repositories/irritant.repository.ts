import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Irritant, Verbatim, VerbatimStage } from '../entities';

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
    return this.dataSource.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('irritant:' || $1))`, [category]);
      return work(tx);
    });
  }

  /** Of the given verbatims, those still waiting for clustering, locked for this transaction. */
  lockWaiting(ids: string[], category: string, tx: EntityManager): Promise<Verbatim[]> {
    return tx
      .getRepository(Verbatim)
      .createQueryBuilder('v')
      .setLock('pessimistic_write')
      .where('v.id IN (:...ids)', { ids })
      .andWhere('v.stage = :stage', { stage: VerbatimStage.Analyzed })
      .andWhere('v.category = :category', { category })
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

  /**
   * Merges one irritant into another, as a triager decided: its verbatims move, the centroids add
   * up (so that later clustering sends their topic to the merged irritant), and it is deleted.
   * Verbatims that change category in the move count as category corrections by the actor: they
   * train the next classifier, so that later verbatims of the topic land in the same category.
   * Both rows are locked in id order, so that two opposite merges cannot deadlock.
   * @returns the two irritants as they were, or null when one does not exist.
   */
  async merge(
    sourceId: string,
    intoId: string,
    actor: string,
    combine: (into: Irritant, source: Irritant) => { label: string; centroid: IrritantCentroid },
  ): Promise<{ source: Irritant; into: Irritant } | null> {
    return this.dataSource.transaction(async (tx) => {
      const locked = await tx
        .getRepository(Irritant)
        .createQueryBuilder('i')
        .setLock('pessimistic_write')
        .where('i.id IN (:...ids)', { ids: [sourceId, intoId] })
        .orderBy('i.id')
        .getMany();
      const source = locked.find((irritant) => irritant.id === sourceId);
      const into = locked.find((irritant) => irritant.id === intoId);
      if (!source || !into) return null;
      const merged = combine(into, source);
      await tx.query(
        `UPDATE verbatim
            SET irritant_id = $2,
                category_corrected_by = CASE WHEN category IS DISTINCT FROM $3 THEN $4 ELSE category_corrected_by END,
                category_corrected_at = CASE WHEN category IS DISTINCT FROM $3 THEN now() ELSE category_corrected_at END,
                category = $3
          WHERE irritant_id = $1`,
        [sourceId, intoId, into.category, actor],
      );
      await this.updateCentroid(intoId, merged.label, merged.centroid, tx);
      await tx.getRepository(Irritant).delete({ id: sourceId });
      await this.recount([intoId], tx);
      return { source, into };
    });
  }

  list(filter: { category?: string; limit: number }): Promise<Irritant[]> {
    const qb = this.dataSource
      .getRepository(Irritant)
      .createQueryBuilder('i')
      .select([
        'i.id',
        'i.category',
        'i.label',
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
