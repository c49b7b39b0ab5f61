import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AlertStatus, IrritantAlert, irritantTitleSql } from '../entities';
import { changedRows } from '../returning';

export interface WindowCount {
  irritantId: string;
  label: string;
  category: string;
  /** Distinct customers in the last hour and in the last 24 hours. */
  hour: number;
  day: number;
}

/** What the alert scan reads and writes: window counts, baselines, and the episodes. */
@Injectable()
export class AlertRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Irritants with at least `minHour` distinct customers in [hourStart, end) or `minDay` in
   * [dayStart, end): the only ones a jump can be found in.
   */
  async candidates(
    hourStart: Date,
    dayStart: Date,
    end: Date,
    minHour: number,
    minDay: number,
  ): Promise<WindowCount[]> {
    const rows: { irritant_id: string; label: string; category: string; hour: number; day: number }[] =
      await this.dataSource.query(
        `SELECT v.irritant_id, ${irritantTitleSql('i')} AS label, i.category,
                count(DISTINCT v.author_key) FILTER (WHERE v.received_at >= $1)::int AS hour,
                count(DISTINCT v.author_key)::int AS day
           FROM verbatim v JOIN irritant i ON i.id = v.irritant_id
          WHERE v.received_at >= $2 AND v.received_at < $3 AND v.irritant_id IS NOT NULL
          GROUP BY v.irritant_id, i.label, i.name, i.title, i.title_other, i.category
         HAVING count(DISTINCT v.author_key) FILTER (WHERE v.received_at >= $1) >= $4
             OR count(DISTINCT v.author_key) >= $5`,
        [hourStart, dayStart, end, minHour, minDay],
      );
    return rows.map((row) => ({
      irritantId: row.irritant_id,
      label: row.label,
      category: row.category,
      hour: row.hour,
      day: row.day,
    }));
  }

  /**
   * Each irritant's history over [from, to): distinct customers counted once per day they wrote
   * (and once per hour), the sums whose means are the daily and hourly baseline rates.
   */
  async baselines(
    irritantIds: readonly string[],
    from: Date,
    to: Date,
    localHour: number,
    zone: string,
  ): Promise<Map<string, { customerDays: number; customerHours: number; customerHoursAtHour: number }>> {
    if (irritantIds.length === 0) return new Map();
    const rows: { irritant_id: string; days: number; hours: number; at_hour: number }[] =
      await this.dataSource.query(
        `SELECT irritant_id,
                count(DISTINCT (author_key, date_trunc('day', received_at)))::int AS days,
                count(DISTINCT (author_key, date_trunc('hour', received_at)))::int AS hours,
                count(DISTINCT (author_key, date_trunc('hour', received_at)))
                  FILTER (WHERE extract(hour FROM received_at AT TIME ZONE $5) = $4)::int AS at_hour
           FROM verbatim WHERE irritant_id = ANY($1::uuid[]) AND received_at >= $2 AND received_at < $3
          GROUP BY irritant_id`,
        [[...irritantIds], from, to, localHour, zone],
      );
    return new Map(
      rows.map((row) => [
        row.irritant_id,
        { customerDays: row.days, customerHours: row.hours, customerHoursAtHour: row.at_hour },
      ]),
    );
  }

  /** When the installation's history begins: a baseline cannot reach before it. */
  async firstVerbatimAt(): Promise<Date | null> {
    const [row] = await this.dataSource.query<{ at: Date | null }[]>(
      `SELECT min(received_at) AS at FROM verbatim`,
    );
    return row?.at ?? null;
  }

  /** Distinct customers of an irritant in each hour of [from, from + 24 h). */
  async hourly(irritantId: string, from: Date): Promise<number[]> {
    const rows: { h: number; n: number }[] = await this.dataSource.query(
      `SELECT floor(extract(epoch FROM received_at - $2::timestamptz) / 3600)::int AS h,
              count(DISTINCT author_key)::int AS n
         FROM verbatim WHERE irritant_id = $1 AND received_at >= $2 AND received_at < $2::timestamptz + interval '24 hours'
        GROUP BY 1`,
      [irritantId, from],
    );
    const counts = new Array<number>(24).fill(0);
    for (const row of rows) if (row.h >= 0 && row.h < 24) counts[row.h] = row.n;
    return counts;
  }

  /** The window's most recent verbatims of an irritant, redacted. */
  async quotes(
    irritantId: string,
    from: Date,
    to: Date,
    limit: number,
  ): Promise<{ verbatimId: string; channel: string; receivedAt: string; text: string }[]> {
    const rows: { id: string; channel: string; received_at: Date; text: string }[] =
      await this.dataSource.query(
        `SELECT id, channel, received_at, redacted_text AS text FROM verbatim
        WHERE irritant_id = $1 AND received_at >= $2 AND received_at < $3 AND redacted_text IS NOT NULL
        ORDER BY received_at DESC, id LIMIT $4`,
        [irritantId, from, to, limit],
      );
    return rows.map((row) => ({
      verbatimId: row.id,
      channel: row.channel,
      receivedAt: row.received_at.toISOString(),
      text: row.text.length > 280 ? `${row.text.slice(0, 277)}…` : row.text,
    }));
  }

  /** Open episodes of these irritants. */
  async openEpisodes(irritantIds: readonly string[]): Promise<IrritantAlert[]> {
    if (irritantIds.length === 0) return [];
    return this.dataSource
      .getRepository(IrritantAlert)
      .createQueryBuilder('a')
      .where('a.irritant_id IN (:...ids)', { ids: [...irritantIds] })
      .andWhere('a.closed_at IS NULL')
      .getMany();
  }

  /** The jump goes on: the episode stays open. */
  async stillJumping(ids: readonly string[], at: Date): Promise<void> {
    if (ids.length === 0) return;
    await this.dataSource.query(
      `UPDATE irritant_alert SET last_jump_at = greatest(last_jump_at, $2) WHERE id = ANY($1::uuid[])`,
      [[...ids], at],
    );
  }

  /** Ends the episodes without a jump since `before`. @returns how many. */
  async closeQuiet(before: Date, at: Date): Promise<number> {
    const rows = await changedRows<{ id: string }>(
      this.dataSource.manager,
      `UPDATE irritant_alert SET closed_at = $2 WHERE closed_at IS NULL AND last_jump_at < $1 RETURNING id`,
      [before, at],
    );
    return rows.length;
  }

  /** New alerts announced since `since` (the storm cap counts them). */
  async raisedSince(since: Date): Promise<number> {
    const [row] = await this.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM irritant_alert WHERE status = $1 AND opened_at >= $2`,
      [AlertStatus.Raised, since],
    );
    return row.n;
  }

  /**
   * Opens an episode unless the irritant has one open already (another scan, another worker).
   * @returns the alert, or null when one was open.
   */
  async open(
    alert: Omit<IrritantAlert, 'id' | 'createdAt' | 'closedAt'>,
    tx: EntityManager,
  ): Promise<IrritantAlert | null> {
    const result = await tx
      .createQueryBuilder()
      .insert()
      .into(IrritantAlert)
      .values({ ...alert, closedAt: null })
      .orIgnore()
      .returning('*')
      .execute();
    const [row] = result.raw as Record<string, unknown>[];
    if (!row) return null;
    return tx.getRepository(IrritantAlert).findOneOrFail({ where: { id: row.id as string } });
  }

  list(limit: number): Promise<IrritantAlert[]> {
    return this.dataSource.getRepository(IrritantAlert).find({ order: { openedAt: 'DESC' }, take: limit });
  }

  findById(id: string): Promise<IrritantAlert | null> {
    return this.dataSource.getRepository(IrritantAlert).findOne({ where: { id } });
  }
}
