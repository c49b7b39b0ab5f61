import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { changedRows } from '../returning';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { Source, SourceKind } from '../entities';

@Injectable()
export class SourceRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Ids of the named sources, creating the ones that do not exist yet with the given kind. */
  async ensure(
    names: string[],
    kind: SourceKind,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Map<string, string>> {
    const unique = [...new Set(names)];
    if (unique.length === 0) return new Map();
    await manager
      .createQueryBuilder()
      .insert()
      .into(Source)
      .values(unique.map((name) => ({ name, kind })))
      .orIgnore()
      .execute();
    const rows = await manager
      .getRepository(Source)
      .createQueryBuilder('s')
      .select(['s.id', 's.name'])
      .where('s.name IN (:...names)', { names: unique })
      .getMany();
    return new Map(rows.map((row) => [row.name, row.id]));
  }

  findByName(name: string): Promise<Source | null> {
    return this.dataSource.getRepository(Source).findOne({ where: { name } });
  }

  findById(id: string): Promise<Source | null> {
    return this.dataSource.getRepository(Source).findOne({ where: { id } });
  }

  list(): Promise<Source[]> {
    return this.dataSource.getRepository(Source).find({ order: { name: 'ASC' } });
  }

  async create(source: Partial<Source>): Promise<Source> {
    const repository = this.dataSource.getRepository(Source);
    return repository.save(repository.create(source));
  }

  async update(id: string, change: Partial<Source>): Promise<void> {
    await this.dataSource.getRepository(Source).update({ id }, change as QueryDeepPartialEntity<Source>);
  }

  /** Enabled sources of these kinds whose next poll is due, oldest poll first. */
  /**
   * Enabled sources of these kinds whose poll is due. `requiredSettings` names, per kind, the
   * setting without which a source of that kind only receives pushes (an e-mail source with no
   * IMAP host): those are never due.
   */
  async due(
    kinds: readonly SourceKind[],
    now: Date,
    limit: number,
    requiredSettings: Partial<Record<SourceKind, string>> = {},
  ): Promise<Source[]> {
    if (kinds.length === 0) return [];
    const query = this.dataSource
      .getRepository(Source)
      .createQueryBuilder('s')
      .where('s.enabled')
      .andWhere('s.kind IN (:...kinds)', { kinds });
    Object.entries(requiredSettings).forEach(([kind, setting], i) => {
      query.andWhere(`NOT (s.kind = :pushKind${i} AND COALESCE(s.settings ->> :pushSetting${i}, '') = '')`, {
        [`pushKind${i}`]: kind,
        [`pushSetting${i}`]: setting,
      });
    });
    return query
      .andWhere('(s.backoff_until IS NULL OR s.backoff_until <= :now)', { now })
      .andWhere(
        '(s.last_poll_at IS NULL OR s.last_poll_at + make_interval(secs => s.poll_every_seconds) <= :now)',
        { now },
      )
      .orderBy('s.last_poll_at', 'ASC', 'NULLS FIRST')
      .take(limit)
      .getMany();
  }

  /** A page stored: the cursor moves on (only after its verbatims are stored: no gap on a crash). */
  async advance(id: string, cursor: Record<string, unknown>): Promise<void> {
    await this.dataSource.getRepository(Source).update({ id }, { cursor } as QueryDeepPartialEntity<Source>);
  }

  async pollSucceeded(id: string, at: Date): Promise<void> {
    await this.dataSource
      .getRepository(Source)
      .update({ id }, { lastPollAt: at, lastSuccessAt: at, consecutiveFailures: 0, backoffUntil: null });
  }

  /** @returns the number of failures in a row, this one included. */
  async pollFailed(id: string, at: Date, error: string, backoffUntil: Date | null): Promise<number> {
    const rows = await changedRows<{ consecutive_failures: number }>(
      this.dataSource.manager,
      `UPDATE source SET last_poll_at = $2, last_error_at = $2, last_error = $3, backoff_until = $4,
              consecutive_failures = consecutive_failures + 1
        WHERE id = $1 RETURNING consecutive_failures`,
      [id, at, error.slice(0, 2_000), backoffUntil],
    );
    return rows[0]?.consecutive_failures ?? 0;
  }

  /** The provider asked to wait (rate limit): not a failure. */
  async rateLimited(id: string, at: Date, until: Date): Promise<void> {
    await this.dataSource.getRepository(Source).update({ id }, { lastPollAt: at, backoffUntil: until });
  }

  /** What a source brought: verbatims in the last 24 hours and the newest one's time. */
  async activity(id: string, now: Date): Promise<{ last24h: number; newestAt: Date | null }> {
    const rows: { last24h: number; newest: Date | null }[] = await this.dataSource.query(
      `SELECT count(*) FILTER (WHERE created_at > $2::timestamptz - interval '24 hours')::int AS last24h,
              max(received_at) AS newest
         FROM verbatim WHERE source_id = $1`,
      [id, now],
    );
    return { last24h: rows[0]?.last24h ?? 0, newestAt: rows[0]?.newest ?? null };
  }
}
