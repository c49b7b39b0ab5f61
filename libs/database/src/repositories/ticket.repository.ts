import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { BoardItem, Decision, DecisionAnswer, DecisionKind, Ticket, TicketStatus } from '../entities';

export const OPEN_TICKET_STATUSES: readonly TicketStatus[] = [
  TicketStatus.Todo,
  TicketStatus.InProgress,
  TicketStatus.Fixed,
];

export interface TicketRow {
  ticket: Ticket;
  /** The irritant's most recent board item: scores, reasons, quotes, terminals. */
  item: BoardItem | null;
}

/** A decision as it stands for an irritant of a board: the latest taken on it up to that week. */
export interface DecisionInForceRow {
  /** The irritant of the board it shows on (the decision's own may have been merged into it). */
  irritantId: string;
  decision: Decision;
  /** The ticket it opened or updated, if it is a fix or a small evolution. */
  ticket: Ticket | null;
  /** How many answers its department gave (route). */
  answers: number;
}

/**
 * Where an irritant's board item is read from: itself, or the irritant it was merged into. The
 * same irritant id resolved in SQL wherever tickets meet board items.
 */
const RESOLVED = (column: string) =>
  `COALESCE((SELECT r.to_id FROM irritant_redirect r WHERE r.from_id = ${column}), ${column})`;

export interface TicketFilter {
  statuses: readonly TicketStatus[];
  team?: string;
  terminal?: string;
  isoWeek?: string;
  after?: { priority: number; id: string };
  limit: number;
}

@Injectable()
export class TicketRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** A board item locked for a decision (two decisions on one item in a row, not interleaved). */
  lockItem(isoWeek: string, irritantId: string, tx: EntityManager): Promise<BoardItem | null> {
    return tx
      .getRepository(BoardItem)
      .createQueryBuilder('b')
      .setLock('pessimistic_write')
      .where('b.iso_week = :isoWeek AND b.irritant_id = :irritantId', { isoWeek, irritantId })
      .getOne();
  }

  async addDecision(
    decision: Omit<Decision, 'id' | 'answeredAt' | 'answer'>,
    tx: EntityManager,
  ): Promise<Decision> {
    const repository = tx.getRepository(Decision);
    return repository.save(repository.create({ ...decision, answeredAt: null, answer: null }));
  }

  /** The open ticket of an irritant, locked, if any. */
  openTicket(irritantId: string, tx: EntityManager): Promise<Ticket | null> {
    return tx
      .getRepository(Ticket)
      .createQueryBuilder('t')
      .setLock('pessimistic_write')
      .where('t.irritant_id = :irritantId', { irritantId })
      .andWhere('t.status IN (:...open)', { open: OPEN_TICKET_STATUSES })
      .getOne();
  }

  async saveTicket(ticket: Partial<Ticket>, tx: EntityManager): Promise<Ticket> {
    return tx.getRepository(Ticket).save(ticket);
  }

  async firstSeenAt(irritantId: string, tx: EntityManager): Promise<Date | null> {
    const rows: { first_seen_at: Date }[] = await tx.query(
      'SELECT first_seen_at FROM irritant WHERE id = $1',
      [irritantId],
    );
    return rows[0]?.first_seen_at ?? null;
  }

  decisions(isoWeek: string, irritantId: string): Promise<Decision[]> {
    return this.dataSource
      .getRepository(Decision)
      .createQueryBuilder('d')
      .where('d.iso_week = :isoWeek AND d.irritant_id = :irritantId', { isoWeek, irritantId })
      .orderBy('d.created_at', 'ASC')
      .addOrderBy('d.seq', 'ASC')
      .getMany();
  }

  /**
   * The decision in force for each of these irritants on the board of `isoWeek`: the latest one
   * taken on a board of that week or an earlier one, on the irritant or on one merged into it.
   */
  async decisionsInForce(irritantIds: string[], isoWeek: string): Promise<DecisionInForceRow[]> {
    if (irritantIds.length === 0) return [];
    const picked: { shown_id: string; id: string }[] = await this.dataSource.query(
      `WITH shown AS (
         SELECT id AS shown_id, id AS irritant_id FROM unnest($1::uuid[]) AS id
         UNION ALL
         SELECT r.to_id, r.from_id FROM irritant_redirect r WHERE r.to_id = ANY($1::uuid[]))
       SELECT DISTINCT ON (s.shown_id) s.shown_id, d.id
         FROM shown s JOIN decision d ON d.irritant_id = s.irritant_id
        WHERE d.iso_week <= $2
        ORDER BY s.shown_id, d.created_at DESC, d.seq DESC`,
      [irritantIds, isoWeek],
    );
    if (picked.length === 0) return [];
    const ids = picked.map((row) => row.id);
    const decisions = await this.dataSource
      .getRepository(Decision)
      .createQueryBuilder('d')
      .where('d.id IN (:...ids)', { ids })
      .getMany();
    const tickets = await this.dataSource
      .getRepository(Ticket)
      .createQueryBuilder('t')
      .where('t.decision_id IN (:...ids)', { ids })
      .orderBy('t.created_at', 'DESC')
      .getMany();
    const answers: { decision_id: string; n: number }[] = await this.dataSource.query(
      'SELECT decision_id, count(*)::int AS n FROM decision_answer WHERE decision_id = ANY($1::uuid[]) GROUP BY 1',
      [ids],
    );
    const byId = new Map(decisions.map((decision) => [decision.id, decision]));
    return picked.map((row) => ({
      irritantId: row.shown_id,
      decision: byId.get(row.id) as Decision,
      ticket: tickets.find((ticket) => ticket.decisionId === row.id) ?? null,
      answers: answers.find((answer) => answer.decision_id === row.id)?.n ?? 0,
    }));
  }

  /**
   * Open tickets take the total of the newest board their irritant is on as their priority, so that
   * developers' order follows the board week after week (called when a board is computed).
   */
  async followBoard(isoWeek: string, tx: EntityManager): Promise<number> {
    const [, changed] = await tx.query<[unknown[], number]>(
      `UPDATE ticket t SET priority = b.total
         FROM board_item b
        WHERE b.iso_week = $1 AND b.irritant_id = ${RESOLVED('t.irritant_id')}
          AND t.status = ANY($2::varchar[]) AND t.priority IS DISTINCT FROM b.total
          AND NOT EXISTS (SELECT 1 FROM board_item n WHERE n.irritant_id = b.irritant_id AND n.iso_week > $1)`,
      [isoWeek, OPEN_TICKET_STATUSES],
    );
    return changed;
  }

  /** Records a department's answer (kept with the earlier ones); the decision shows the latest. */
  async addAnswer(
    decisionId: string,
    answer: string,
    actor: string,
    at: Date,
    tx: EntityManager,
  ): Promise<void> {
    await tx.getRepository(DecisionAnswer).insert({ decisionId, answer, actor, createdAt: at });
    await tx.getRepository(Decision).update({ id: decisionId }, { answer, answeredAt: at });
  }

  answers(decisionId: string): Promise<DecisionAnswer[]> {
    return this.dataSource
      .getRepository(DecisionAnswer)
      .createQueryBuilder('a')
      .where('a.decision_id = :decisionId', { decisionId })
      .orderBy('a.created_at', 'ASC')
      .addOrderBy('a.seq', 'ASC')
      .getMany();
  }

  lockDecision(id: string, tx: EntityManager): Promise<Decision | null> {
    return tx
      .getRepository(Decision)
      .createQueryBuilder('d')
      .setLock('pessimistic_write')
      .where('d.id = :id', { id })
      .getOne();
  }

  /**
   * Open tickets past the time-to-fix target (from the irritant's first verbatim) not flagged yet,
   * flagged now, in the caller's transaction: each is reported once.
   */
  async flagOverdueTickets(before: Date, at: Date, tx: EntityManager): Promise<Ticket[]> {
    const [rows] = await tx.query<[{ id: string }[], number]>(
      `UPDATE ticket SET overdue_at = $2
        WHERE status = ANY($3::varchar[]) AND overdue_at IS NULL AND first_seen_at < $1
        RETURNING id`,
      [before, at, OPEN_TICKET_STATUSES],
    );
    if (rows.length === 0) return [];
    return tx
      .getRepository(Ticket)
      .createQueryBuilder('t')
      .where('t.id IN (:...ids)', { ids: rows.map((r) => r.id) })
      .getMany();
  }

  /** Routed decisions without an answer since before `before`, not flagged yet, flagged now. */
  async flagUnansweredRoutes(before: Date, at: Date, tx: EntityManager): Promise<Decision[]> {
    const [rows] = await tx.query<[{ id: string }[], number]>(
      `UPDATE decision d SET overdue_at = $2
        WHERE d.kind = $3 AND d.answered_at IS NULL AND d.overdue_at IS NULL AND d.created_at < $1
          AND NOT EXISTS (SELECT 1 FROM decision n WHERE n.irritant_id = d.irritant_id
                            AND (n.created_at, n.seq) > (d.created_at, d.seq))
        RETURNING d.id`,
      [before, at, DecisionKind.Route],
    );
    if (rows.length === 0) return [];
    return tx
      .getRepository(Decision)
      .createQueryBuilder('d')
      .where('d.id IN (:...ids)', { ids: rows.map((r) => r.id) })
      .getMany();
  }

  /** Pins a verbatim of the irritant as its quote for the week (replacing an earlier pin). */
  async pinQuote(pin: {
    isoWeek: string;
    irritantId: string;
    verbatimId: string;
    actor: string;
  }): Promise<boolean> {
    const belongs: unknown[] = await this.dataSource.query(
      'SELECT 1 FROM verbatim WHERE id = $1 AND irritant_id = $2',
      [pin.verbatimId, pin.irritantId],
    );
    if (belongs.length === 0) return false;
    await this.dataSource.query(
      `INSERT INTO pinned_quote (iso_week, irritant_id, verbatim_id, actor) VALUES ($1, $2, $3, $4)
       ON CONFLICT (iso_week, irritant_id) DO UPDATE SET verbatim_id = EXCLUDED.verbatim_id, actor = EXCLUDED.actor`,
      [pin.isoWeek, pin.irritantId, pin.verbatimId, pin.actor],
    );
    return true;
  }

  /** The pinned quotes of a week: irritant id -> the redacted text and channel. */
  async pinnedQuotes(isoWeek: string): Promise<Map<string, { text: string; channel: string }>> {
    const rows: { irritant_id: string; text: string; channel: string }[] = await this.dataSource.query(
      `SELECT p.irritant_id, v.redacted_text AS text, v.channel FROM pinned_quote p
         JOIN verbatim v ON v.id = p.verbatim_id WHERE p.iso_week = $1 AND v.redacted_text IS NOT NULL`,
      [isoWeek],
    );
    return new Map(rows.map((row) => [row.irritant_id, { text: row.text, channel: row.channel }]));
  }

  findDecision(id: string): Promise<Decision | null> {
    return this.dataSource.getRepository(Decision).findOne({ where: { id } });
  }

  /**
   * Routed decisions whose department has not answered yet and that are still in force (the
   * latest on their irritant: a re-decided item waits for no answer), oldest first.
   */
  unanswered(limit: number): Promise<Decision[]> {
    return this.dataSource
      .getRepository(Decision)
      .createQueryBuilder('d')
      .where('d.kind = :route', { route: DecisionKind.Route })
      .andWhere('d.answered_at IS NULL')
      .andWhere(
        `NOT EXISTS (SELECT 1 FROM decision n WHERE n.irritant_id = d.irritant_id
            AND (n.created_at, n.seq) > (d.created_at, d.seq))`,
      )
      .orderBy('d.created_at', 'ASC')
      .take(limit)
      .getMany();
  }

  /** Tickets by priority (highest first), each with its irritant's latest board item. */
  async list(filter: TicketFilter): Promise<TicketRow[]> {
    const qb = this.dataSource
      .getRepository(Ticket)
      .createQueryBuilder('t')
      .leftJoinAndMapOne(
        't.item',
        BoardItem,
        'b',
        `b.id = (SELECT b2.id FROM board_item b2 WHERE b2.irritant_id = ${RESOLVED('t.irritant_id')} ORDER BY b2.iso_week DESC LIMIT 1)`,
      )
      .where('t.status IN (:...statuses)', { statuses: filter.statuses })
      .orderBy('t.priority', 'DESC')
      .addOrderBy('t.id', 'ASC')
      // limit, not take: the join gives one row per ticket, so TypeORM's two-query pagination
      // (a DISTINCT over ids first) would only double the work.
      .limit(filter.limit);
    if (filter.team) qb.andWhere('t.team = :team', { team: filter.team });
    if (filter.isoWeek) qb.andWhere('t.iso_week = :isoWeek', { isoWeek: filter.isoWeek });
    if (filter.terminal) qb.andWhere('b.terminals ? :terminal', { terminal: filter.terminal });
    if (filter.after) {
      qb.andWhere('(t.priority < :priority OR (t.priority = :priority AND t.id > :id))', filter.after);
    }
    const tickets = (await qb.getMany()) as (Ticket & { item?: BoardItem })[];
    return tickets.map(({ item, ...ticket }) => ({ ticket, item: item ?? null }));
  }

  async findTicket(id: string): Promise<TicketRow | null> {
    const ticket = await this.dataSource.getRepository(Ticket).findOne({ where: { id } });
    if (!ticket) return null;
    const item = await this.dataSource
      .getRepository(BoardItem)
      .createQueryBuilder('b')
      .where(`b.irritant_id = ${RESOLVED(':irritantId::uuid')}`, { irritantId: ticket.irritantId })
      .orderBy('b.iso_week', 'DESC')
      .getOne();
    return { ticket, item };
  }

  lockTicket(id: string, tx: EntityManager): Promise<Ticket | null> {
    return tx
      .getRepository(Ticket)
      .createQueryBuilder('t')
      .setLock('pessimistic_write')
      .where('t.id = :id', { id })
      .getOne();
  }

  /** Tickets deployed since `since`, for time-to-fix. */
  deployedSince(since: Date): Promise<Pick<Ticket, 'firstSeenAt' | 'deployedAt'>[]> {
    return this.dataSource
      .getRepository(Ticket)
      .createQueryBuilder('t')
      .select(['t.firstSeenAt', 't.deployedAt'])
      .where('t.deployed_at >= :since', { since })
      .getMany();
  }
}
