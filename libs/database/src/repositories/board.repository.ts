import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AxisOverride, Board, BoardItem, BoardStatus, irritantTitleSql } from '../entities';

/** What one irritant's verbatims of a week add up to, as the scoring reads it. */
export interface IrritantWeekRow {
  irritantId: string;
  category: string;
  label: string;
  verbatims: number;
  customers: number;
  channels: string[];
  terminals: string[];
  sentiments: number[];
  texts: string[];
  /** Survey comments of the week with an NPS score of 0-6 (detractors) in this irritant. */
  detractors: number;
}

export type NewBoardItem = Omit<BoardItem, 'id'>;

@Injectable()
export class BoardRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /**
   * Per irritant, what its verbatims received in [start, end) add up to. Texts: the most recent
   * `maxTexts`, enough for the words rules to count on without loading a whole month of mail.
   */
  async weekFacts(start: Date, end: Date, maxTexts: number, tx?: EntityManager): Promise<IrritantWeekRow[]> {
    const rows: {
      irritant_id: string;
      category: string;
      label: string;
      verbatims: number;
      customers: number;
      channels: string[];
      terminals: (string | null)[];
      sentiments: (number | null)[];
      texts: (string | null)[];
      detractors: number;
    }[] = await (tx ?? this.dataSource.manager).query(
      `SELECT v.irritant_id, i.category, ${irritantTitleSql('i')} AS label,
              count(*)::int AS verbatims, count(DISTINCT v.author_key)::int AS customers,
              array_agg(DISTINCT v.channel) AS channels,
              array_agg(DISTINCT v.terminal) AS terminals,
              array_agg(v.sentiment) AS sentiments,
              count(*) FILTER (WHERE v.channel = 'survey' AND v.metadata->>'npsScore' ~ '^[0-9]{1,2}$'
                                 AND (v.metadata->>'npsScore')::int <= 6)::int AS detractors,
              (array_agg(v.redacted_text ORDER BY v.received_at DESC))[1:$3] AS texts
         FROM verbatim v JOIN irritant i ON i.id = v.irritant_id
        WHERE v.received_at >= $1 AND v.received_at < $2
        GROUP BY v.irritant_id, i.category, i.label, i.name, i.title, i.title_other`,
      [start, end, maxTexts],
    );
    return rows.map((row) => ({
      irritantId: row.irritant_id,
      category: row.category,
      label: row.label,
      verbatims: row.verbatims,
      customers: row.customers,
      channels: row.channels,
      terminals: row.terminals.filter((t): t is string => t !== null && t !== 'unknown'),
      sentiments: row.sentiments.filter((s): s is number => s !== null),
      texts: row.texts.filter((t): t is string => t !== null),
      detractors: row.detractors,
    }));
  }

  /** Distinct customers per irritant over [start, end): last week's counts, for growth. */
  async customers(start: Date, end: Date, tx?: EntityManager): Promise<Map<string, number>> {
    const rows: { irritant_id: string; customers: number }[] = await (tx ?? this.dataSource.manager).query(
      `SELECT irritant_id, count(DISTINCT author_key)::int AS customers FROM verbatim
        WHERE received_at >= $1 AND received_at < $2 AND irritant_id IS NOT NULL GROUP BY irritant_id`,
      [start, end],
    );
    return new Map(rows.map((row) => [row.irritant_id, row.customers]));
  }

  /**
   * Distinct customers per irritant in a window [from, to) and in the `baselineMs` before it: did
   * they jump when something broke, or were they already there?
   */
  async customersAround(
    irritantIds: string[],
    from: Date,
    to: Date,
    baselineMs: number,
  ): Promise<Map<string, { during: number; before: number }>> {
    if (irritantIds.length === 0) return new Map();
    const since = new Date(from.getTime() - baselineMs);
    const rows: { irritant_id: string; during: number; before: number }[] = await this.dataSource.query(
      `SELECT irritant_id,
              count(DISTINCT author_key) FILTER (WHERE received_at >= $2)::int AS during,
              count(DISTINCT author_key) FILTER (WHERE received_at < $2)::int AS before
         FROM verbatim
        WHERE irritant_id = ANY($1::uuid[]) AND received_at >= $4 AND received_at < $3
        GROUP BY irritant_id`,
      [irritantIds, from, to, since],
    );
    return new Map(rows.map((row) => [row.irritant_id, { during: row.during, before: row.before }]));
  }

  /** The most recent verbatims of each irritant in [start, end), redacted, for quotes. */
  async quotes(
    irritantIds: string[],
    start: Date,
    end: Date,
    perIrritant: number,
    tx?: EntityManager,
  ): Promise<Map<string, { verbatimId: string; channel: string; receivedAt: string; text: string }[]>> {
    const quotes = new Map<
      string,
      { verbatimId: string; channel: string; receivedAt: string; text: string }[]
    >();
    if (irritantIds.length === 0) return quotes;
    const rows: { irritant_id: string; id: string; channel: string; received_at: Date; text: string }[] =
      await (tx ?? this.dataSource.manager).query(
        `SELECT irritant_id, id, channel, received_at, text FROM (
         SELECT irritant_id, id, channel, received_at, redacted_text AS text,
                row_number() OVER (PARTITION BY irritant_id ORDER BY received_at DESC, id) AS n
           FROM verbatim
          WHERE irritant_id = ANY($1::uuid[]) AND received_at >= $2 AND received_at < $3
            AND redacted_text IS NOT NULL) q
        WHERE n <= $4 ORDER BY irritant_id, n`,
        [irritantIds, start, end, perIrritant],
      );
    for (const row of rows) {
      const list = quotes.get(row.irritant_id) ?? [];
      list.push({
        verbatimId: row.id,
        channel: row.channel,
        receivedAt: row.received_at.toISOString(),
        text: row.text,
      });
      quotes.set(row.irritant_id, list);
    }
    return quotes;
  }

  /** The override in force for each (irritant, axis): the latest one, unless it lifted the override. */
  async overridesInForce(irritantIds: string[], tx?: EntityManager): Promise<AxisOverride[]> {
    if (irritantIds.length === 0) return [];
    const rows = await (tx ?? this.dataSource.manager)
      .getRepository(AxisOverride)
      .createQueryBuilder('o')
      .distinctOn(['o.irritant_id', 'o.axis'])
      .where('o.irritant_id IN (:...ids)', { ids: irritantIds })
      .orderBy('o.irritant_id')
      .addOrderBy('o.axis')
      .addOrderBy('o.created_at', 'DESC')
      .getMany();
    return rows.filter((row) => row.score !== null);
  }

  async addOverride(override: Omit<AxisOverride, 'id'>): Promise<AxisOverride> {
    const repository = this.dataSource.getRepository(AxisOverride);
    const saved = await repository.save(repository.create(override));
    return saved;
  }

  overrideHistory(irritantId: string): Promise<AxisOverride[]> {
    return this.dataSource
      .getRepository(AxisOverride)
      .find({ where: { irritantId }, order: { createdAt: 'ASC' } });
  }

  /** The week's board row, created live if missing, locked until the transaction ends. */
  async lockBoard(isoWeek: string, profile: string, at: Date, tx: EntityManager): Promise<Board> {
    await tx.query(
      `INSERT INTO board (iso_week, status, computed_at, profile) VALUES ($1, $2, $4, $3)
       ON CONFLICT (iso_week) DO NOTHING`,
      [isoWeek, BoardStatus.Live, profile, at],
    );
    return tx
      .getRepository(Board)
      .createQueryBuilder('b')
      .setLock('pessimistic_write')
      .where('b.iso_week = :isoWeek', { isoWeek })
      .getOneOrFail();
  }

  async replaceItems(
    isoWeek: string,
    items: NewBoardItem[],
    status: BoardStatus,
    profile: string,
    at: Date,
    tx: EntityManager,
  ): Promise<void> {
    await tx.getRepository(BoardItem).delete({ isoWeek });
    for (let i = 0; i < items.length; i += 500)
      await tx.getRepository(BoardItem).insert(items.slice(i, i + 500));
    await tx.query(
      `UPDATE board SET status = $2, computed_at = $5, profile = $3,
              frozen_at = CASE WHEN $4 THEN $5::timestamptz ELSE frozen_at END
        WHERE iso_week = $1`,
      [isoWeek, status, profile, status === BoardStatus.Frozen, at],
    );
  }

  /**
   * The weeks whose stored board is live and shows one of these irritants, or would once
   * recomputed (their verbatims fall in it): what a triage action on them must recompute.
   */
  async liveWeeksOf(irritantIds: string[], zone: string): Promise<string[]> {
    if (irritantIds.length === 0) return [];
    const rows: { iso_week: string }[] = await this.dataSource.query(
      `SELECT iso_week FROM board WHERE status = $3 AND (
          iso_week IN (SELECT iso_week FROM board_item WHERE irritant_id = ANY($1::uuid[]))
          OR iso_week IN (SELECT DISTINCT to_char(received_at AT TIME ZONE $2, 'IYYY-"W"IW')
                            FROM verbatim WHERE irritant_id = ANY($1::uuid[])))
        ORDER BY iso_week`,
      [irritantIds, zone, BoardStatus.Live],
    );
    return rows.map((row) => row.iso_week);
  }

  /** Whether any clustered verbatim was received in [start, end): an empty week has none. */
  async hasVerbatims(start: Date, end: Date): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM verbatim WHERE received_at >= $1 AND received_at < $2 AND irritant_id IS NOT NULL LIMIT 1`,
      [start, end],
    );
    return rows.length > 0;
  }

  findBoard(isoWeek: string): Promise<Board | null> {
    return this.dataSource.getRepository(Board).findOne({ where: { isoWeek } });
  }

  /** Irritant id -> rank on a week's board (for the movement of the next week). */
  async ranks(isoWeek: string, tx?: EntityManager): Promise<Map<string, number>> {
    const rows: { irritant_id: string; rank: number }[] = await (tx ?? this.dataSource.manager).query(
      'SELECT irritant_id, rank FROM board_item WHERE iso_week = $1',
      [isoWeek],
    );
    return new Map(rows.map((row) => [row.irritant_id, row.rank]));
  }

  items(
    isoWeek: string,
    filter: {
      category?: string;
      axis?: string;
      above?: number;
      channel?: string;
      terminal?: string;
      limit: number;
    },
  ): Promise<BoardItem[]> {
    const qb = this.dataSource
      .getRepository(BoardItem)
      .createQueryBuilder('b')
      .where('b.iso_week = :isoWeek', { isoWeek })
      .orderBy('b.rank', 'ASC')
      .take(filter.limit);
    if (filter.category) qb.andWhere('b.category = :category', { category: filter.category });
    // The axis name is checked against the four axes by the caller; the value is a bound parameter.
    if (filter.axis && filter.above !== undefined)
      qb.andWhere(`(b.axes -> :axis ->> 'score')::real >= :above`, {
        axis: filter.axis,
        above: filter.above,
      });
    if (filter.channel) qb.andWhere('b.channels ? :channel', { channel: filter.channel });
    if (filter.terminal) qb.andWhere('b.terminals ? :terminal', { terminal: filter.terminal });
    return qb.getMany();
  }

  /** One irritant's item on a week's board, or null when it is not on it. */
  item(isoWeek: string, irritantId: string): Promise<BoardItem | null> {
    return this.dataSource.getRepository(BoardItem).findOne({ where: { isoWeek, irritantId } });
  }

  /** The verbatim the team pinned as an item's quote for the digest, if any. */
  async pinnedQuoteId(isoWeek: string, irritantId: string): Promise<string | null> {
    const rows: { verbatim_id: string }[] = await this.dataSource.query(
      'SELECT verbatim_id FROM pinned_quote WHERE iso_week = $1 AND irritant_id = $2',
      [isoWeek, irritantId],
    );
    return rows[0]?.verbatim_id ?? null;
  }

  /** The weeks that have a board (live or frozen), newest first: the UI's week picker. */
  weeks(limit: number): Promise<Board[]> {
    return this.dataSource.getRepository(Board).find({ order: { isoWeek: 'DESC' }, take: limit });
  }

  /** Weeks whose board is still live, oldest first. */
  async liveWeeks(): Promise<string[]> {
    const rows: { iso_week: string }[] = await this.dataSource.query(
      `SELECT iso_week FROM board WHERE status = $1 ORDER BY iso_week`,
      [BoardStatus.Live],
    );
    return rows.map((row) => row.iso_week);
  }
}
