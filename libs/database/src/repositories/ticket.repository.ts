import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { BoardItem, Decision, DecisionKind, Ticket, TicketStatus } from '../entities';

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
    decision: Omit<Decision, 'id' | 'createdAt' | 'answeredAt' | 'answer'>,
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
      .find({ where: { isoWeek, irritantId }, order: { createdAt: 'ASC' } });
  }

  /** The decision in force for each irritant of a week's board (the latest one). */
  latestDecisions(isoWeek: string): Promise<Decision[]> {
    return this.dataSource
      .getRepository(Decision)
      .createQueryBuilder('d')
      .distinctOn(['d.irritant_id'])
      .where('d.iso_week = :isoWeek', { isoWeek })
      .orderBy('d.irritant_id')
      .addOrderBy('d.created_at', 'DESC')
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

  async answer(id: string, answer: string): Promise<boolean> {
    const result = await this.dataSource
      .getRepository(Decision)
      .update({ id, kind: DecisionKind.Route }, { answer, answeredAt: new Date() });
    return (result.affected ?? 0) > 0;
  }

  /** Routed decisions whose department has not answered yet, oldest first. */
  unanswered(limit: number): Promise<Decision[]> {
    return this.dataSource
      .getRepository(Decision)
      .createQueryBuilder('d')
      .where('d.kind = :route', { route: DecisionKind.Route })
      .andWhere('d.answered_at IS NULL')
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
        `b.id = (SELECT b2.id FROM board_item b2 WHERE b2.irritant_id = t.irritant_id ORDER BY b2.iso_week DESC LIMIT 1)`,
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
      .findOne({ where: { irritantId: ticket.irritantId }, order: { isoWeek: 'DESC' } });
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
