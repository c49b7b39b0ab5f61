import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { DecisionKind, TicketLink, TicketLinkStatus, TicketStatus, Tracker } from '../entities';
import { changedRows } from '../returning';

/** What an issue is made of: the ticket, its irritant's latest board item, its customers' words. */
export interface IssueSource {
  ticketId: string;
  irritantId: string;
  status: TicketStatus;
  kind: DecisionKind;
  isoWeek: string;
  team: string | null;
  label: string | null;
  category: string | null;
  axes: Record<string, { score: number; reasons: string[] }> | null;
  customers: number;
  quotes: { text: string; channel: string }[];
}

/** Trackers and each ticket's issue in them. */
@Injectable()
export class TrackerRepository {
  constructor(private readonly dataSource: DataSource) {}

  async create(tracker: Omit<Tracker, 'id' | 'createdAt' | 'active' | 'polledAt'>): Promise<Tracker> {
    const repository = this.dataSource.getRepository(Tracker);
    return repository.save(repository.create({ ...tracker, active: true, polledAt: null }));
  }

  list(): Promise<Tracker[]> {
    return this.dataSource.getRepository(Tracker).find({ order: { createdAt: 'ASC' } });
  }

  find(id: string): Promise<Tracker | null> {
    return this.dataSource.getRepository(Tracker).findOne({ where: { id } });
  }

  async deactivate(id: string): Promise<boolean> {
    const result = await this.dataSource
      .getRepository(Tracker)
      .update({ id, active: true }, { active: false });
    return (result.affected ?? 0) > 0;
  }

  async polled(id: string, at: Date): Promise<void> {
    await this.dataSource.getRepository(Tracker).update({ id }, { polledAt: at });
  }

  /**
   * Links every open fix or small evolution decided since an auto-creating tracker was added to it,
   * once per (ticket, tracker). @returns the links this call made.
   */
  async linkNewTickets(): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      `INSERT INTO ticket_link (ticket_id, tracker_id, status)
       SELECT t.id, tr.id, $1 FROM ticket t JOIN tracker tr ON tr.active AND tr.auto_create
        WHERE t.status IN ('todo', 'in_progress') AND t.kind IN ('fix', 'small_evolution')
          AND t.created_at >= tr.created_at
       ON CONFLICT (ticket_id, tracker_id) DO NOTHING RETURNING id`,
      [TicketLinkStatus.Pending],
    );
    return rows.map((row) => row.id);
  }

  /** A link asked for by a person (any ticket, any active tracker). */
  async link(ticketId: string, trackerId: string): Promise<TicketLink> {
    await this.dataSource.query(
      `INSERT INTO ticket_link (ticket_id, tracker_id, status) VALUES ($1, $2, $3)
       ON CONFLICT (ticket_id, tracker_id) DO NOTHING`,
      [ticketId, trackerId, TicketLinkStatus.Pending],
    );
    return this.dataSource.getRepository(TicketLink).findOneOrFail({ where: { ticketId, trackerId } });
  }

  /**
   * Links with work to do: issues to create, and created issues whose ticket's status differs from
   * the one last synced (the status to push). Of active trackers only.
   */
  async due(limit: number): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT l.id FROM ticket_link l JOIN tracker tr ON tr.id = l.tracker_id AND tr.active
         JOIN ticket t ON t.id = l.ticket_id
        WHERE l.status = $1 OR (l.status = $2 AND l.synced_status IS DISTINCT FROM t.status)
        ORDER BY l.updated_at LIMIT $3`,
      [TicketLinkStatus.Pending, TicketLinkStatus.Created, limit],
    );
    return rows.map((row) => row.id);
  }

  findLink(id: string): Promise<TicketLink | null> {
    return this.dataSource.getRepository(TicketLink).findOne({ where: { id } });
  }

  findByExternal(trackerId: string, externalId: string): Promise<TicketLink | null> {
    return this.dataSource.getRepository(TicketLink).findOne({ where: { trackerId, externalId } });
  }

  /** Created links of a tracker whose ticket is still open (what polling reads). */
  openLinks(trackerId: string, limit: number): Promise<TicketLink[]> {
    return this.dataSource
      .getRepository(TicketLink)
      .createQueryBuilder('l')
      .innerJoin('ticket', 't', 't.id = l.ticket_id')
      .where('l.tracker_id = :trackerId AND l.status = :created', {
        trackerId,
        created: TicketLinkStatus.Created,
      })
      .andWhere(`t.status IN ('todo', 'in_progress', 'fixed')`)
      .orderBy('l.updated_at', 'ASC')
      .take(limit)
      .getMany();
  }

  async update(id: string, changes: Partial<TicketLink>): Promise<void> {
    await this.dataSource.getRepository(TicketLink).update({ id }, changes);
  }

  async failedAttempt(id: string, error: string): Promise<number> {
    const rows = await changedRows<{ attempts: number }>(
      this.dataSource.manager,
      `UPDATE ticket_link SET attempts = attempts + 1, last_error = $2, updated_at = now() WHERE id = $1 RETURNING attempts`,
      [id, error.slice(0, 500)],
    );
    return rows[0]?.attempts ?? 0;
  }

  /** Notes the last error without counting an attempt (the attempt was counted when it started). */
  async noteError(id: string, error: string): Promise<number> {
    const rows = await changedRows<{ attempts: number }>(
      this.dataSource.manager,
      `UPDATE ticket_link SET last_error = $2, updated_at = now() WHERE id = $1 RETURNING attempts`,
      [id, error.slice(0, 500)],
    );
    return rows[0]?.attempts ?? 0;
  }

  /** The links of these tickets (the API, the UI and the digest show them wherever the ticket is). */
  async linksOfTickets(
    ticketIds: readonly string[],
  ): Promise<Map<string, (TicketLink & { trackerKind: string })[]>> {
    const result = new Map<string, (TicketLink & { trackerKind: string })[]>();
    if (ticketIds.length === 0) return result;
    const links = await this.dataSource
      .getRepository(TicketLink)
      .find({ where: { ticketId: In([...ticketIds]) } });
    const trackers = new Map((await this.list()).map((tracker) => [tracker.id, tracker]));
    for (const link of links) {
      const list = result.get(link.ticketId) ?? [];
      list.push({ ...link, trackerKind: trackers.get(link.trackerId)?.kind ?? '' });
      result.set(link.ticketId, list);
    }
    return result;
  }

  /** The links of the tickets of these irritants, latest ticket first. */
  async linksOfIrritants(irritantIds: readonly string[]): Promise<
    Map<
      string,
      {
        ticketId: string;
        ticketStatus: string;
        key: string | null;
        url: string | null;
        kind: string;
        externalStatus: string | null;
        status: string;
      }[]
    >
  > {
    const result = new Map<
      string,
      {
        ticketId: string;
        ticketStatus: string;
        key: string | null;
        url: string | null;
        kind: string;
        externalStatus: string | null;
        status: string;
      }[]
    >();
    if (irritantIds.length === 0) return result;
    const rows: {
      irritant_id: string;
      ticket_id: string;
      ticket_status: string;
      external_key: string | null;
      external_url: string | null;
      external_status: string | null;
      status: string;
      kind: string;
    }[] = await this.dataSource.query(
      `SELECT t.irritant_id, t.id AS ticket_id, t.status AS ticket_status, l.external_key, l.external_url,
              l.external_status, l.status, tr.kind
         FROM ticket t JOIN ticket_link l ON l.ticket_id = t.id JOIN tracker tr ON tr.id = l.tracker_id
        WHERE t.irritant_id = ANY($1::uuid[]) ORDER BY t.created_at DESC, l.created_at`,
      [[...irritantIds]],
    );
    for (const row of rows) {
      const list = result.get(row.irritant_id) ?? [];
      list.push({
        ticketId: row.ticket_id,
        ticketStatus: row.ticket_status,
        key: row.external_key,
        url: row.external_url,
        kind: row.kind,
        externalStatus: row.external_status,
        status: row.status,
      });
      result.set(row.irritant_id, list);
    }
    return result;
  }

  /** What the issue says: the ticket, its irritant's latest board item, and its most recent redacted words. */
  async issueSource(ticketId: string, quotes: number): Promise<IssueSource | null> {
    const [row] = await this.dataSource.query<
      {
        id: string;
        irritant_id: string;
        status: TicketStatus;
        kind: DecisionKind;
        iso_week: string;
        team: string | null;
        label: string | null;
        category: string | null;
        axes: Record<string, { score: number; reasons: string[] }> | null;
        customers: number | null;
      }[]
    >(
      `SELECT t.id, t.irritant_id, t.status, t.kind, t.iso_week, t.team, b.label, b.category, b.axes,
              i.distinct_customers AS customers
         FROM ticket t
         LEFT JOIN LATERAL (SELECT label, category, axes FROM board_item WHERE irritant_id = t.irritant_id
                             ORDER BY iso_week DESC LIMIT 1) b ON true
         LEFT JOIN irritant i ON i.id = t.irritant_id
        WHERE t.id = $1`,
      [ticketId],
    );
    if (!row) return null;
    const words = await this.dataSource.query<{ text: string; channel: string }[]>(
      `SELECT redacted_text AS text, channel FROM verbatim
        WHERE irritant_id = $1 AND redacted_text IS NOT NULL ORDER BY received_at DESC, id LIMIT $2`,
      [row.irritant_id, quotes],
    );
    return {
      ticketId: row.id,
      irritantId: row.irritant_id,
      status: row.status,
      kind: row.kind,
      isoWeek: row.iso_week,
      team: row.team,
      label: row.label,
      category: row.category,
      axes: row.axes,
      customers: row.customers ?? 0,
      quotes: words,
    };
  }
}
