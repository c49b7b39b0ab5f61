import { BadRequestException, Injectable } from '@nestjs/common';
import { BoardService, DecisionService } from '@app/board';
import {
  Channel,
  ExportRepository,
  SourceRepository,
  TicketRow,
  TrackerRepository,
  TicketStatus,
  VerbatimRepository,
} from '@app/database';
import { Redactor } from '@app/nlp';
import { AXES, Language, describeReason, reasonOf } from '@app/scoring';
import type { ExportTable } from './table';

/** The most rows a verbatim export carries: a search, not a dump of the database. */
export const MAX_VERBATIM_ROWS = 50_000;
const MAX_TICKET_ROWS = 10_000;
const PAGE = 1_000;

export interface VerbatimExportQuery {
  q?: string;
  category?: string;
  channel?: Channel;
  source?: string;
  irritant?: string;
  from?: Date;
  to?: Date;
  limit?: number;
}

const days = (from: Date, to: Date | null) =>
  to === null ? null : Math.round(((to.getTime() - from.getTime()) / 86_400_000) * 10) / 10;

/**
 * The Monday meeting's tables as files: a week's board (axes, reasons, decisions, quotes), the
 * tickets, and a verbatim search. Only what the API shows goes in: redacted texts, no author.
 */
@Injectable()
export class ExportService {
  private readonly redactor = new Redactor();

  constructor(
    private readonly boards: BoardService,
    private readonly decisions: DecisionService,
    private readonly exportRows: ExportRepository,
    private readonly verbatims: VerbatimRepository,
    private readonly sources: SourceRepository,
    private readonly trackerLinks: TrackerRepository,
  ) {}

  /** @param lang the language of the reasons (the API's default: English). */
  async board(week: string, lang: Language = 'en'): Promise<ExportTable> {
    const { board, items, decisions } = await this.boards.get(week, { limit: 500 });
    const tickets = await this.exportRows.latestTickets(items.map((item) => item.irritantId));
    return {
      name: `Board ${board.isoWeek}`,
      columns: [
        { key: 'rank', header: 'rank', width: 6 },
        { key: 'irritant_id', header: 'irritant_id', width: 38 },
        { key: 'label', header: 'label', width: 40 },
        { key: 'category', header: 'category' },
        { key: 'total', header: 'total', width: 8 },
        ...AXES.map((axis) => ({ key: axis, header: axis, width: 9 })),
        ...AXES.map((axis) => ({ key: `${axis}_reasons`, header: `${axis}_reasons`, width: 50 })),
        { key: 'customers', header: 'customers', width: 10 },
        { key: 'verbatims', header: 'verbatims', width: 10 },
        { key: 'movement', header: 'movement', width: 10 },
        { key: 'channels', header: 'channels', width: 20 },
        { key: 'decision', header: 'decision', width: 16 },
        { key: 'department', header: 'department' },
        { key: 'owner', header: 'owner' },
        { key: 'target_release', header: 'target_release' },
        { key: 'ticket_status', header: 'ticket_status' },
        { key: 'quotes', header: 'quotes', width: 80 },
      ],
      rows: items.map((item) => {
        const decision = decisions.get(item.irritantId)?.decision;
        return [
          item.rank,
          item.irritantId,
          item.label,
          item.category,
          item.total,
          ...AXES.map((axis) => item.axes[axis].score),
          ...AXES.map((axis) =>
            (item.axes[axis].details ?? item.axes[axis].reasons)
              .map((one) => describeReason(reasonOf(one), lang))
              .join('; '),
          ),
          item.distinctCustomers,
          item.verbatimCount,
          item.movement === 'up' || item.movement === 'down'
            ? `${item.movement} ${Math.abs(item.rankChange ?? 0)}`
            : item.movement,
          item.channels.join(', '),
          decision?.kind ?? null,
          decision?.department ?? null,
          decision?.owner ?? null,
          decision?.targetRelease ?? null,
          tickets.get(item.irritantId)?.status ?? null,
          item.quotes.map((quote) => quote.text).join(' | '),
        ];
      }),
    };
  }

  async tickets(statuses: readonly TicketStatus[]): Promise<ExportTable> {
    const rows: TicketRow[] = [];
    let after: { priority: number; id: string } | undefined;
    while (rows.length < MAX_TICKET_ROWS) {
      const page = (await this.decisions.listTickets({ statuses, after, limit: 200 })).rows;
      rows.push(...page);
      const last = page.at(-1);
      if (page.length < 200 || !last) break;
      after = { priority: last.ticket.priority, id: last.ticket.id };
    }
    const links = await this.trackerLinks.linksOfTickets(rows.map((row) => row.ticket.id));
    const issue = (id: string) => (links.get(id) ?? []).find((link) => link.externalKey !== null);
    return {
      name: 'Tickets',
      columns: [
        { key: 'id', header: 'id', width: 38 },
        { key: 'irritant_id', header: 'irritant_id', width: 38 },
        { key: 'label', header: 'label', width: 40 },
        { key: 'kind', header: 'kind' },
        { key: 'status', header: 'status' },
        { key: 'priority', header: 'priority', width: 9 },
        { key: 'iso_week', header: 'iso_week', width: 10 },
        { key: 'team', header: 'team' },
        { key: 'claimed_by', header: 'claimed_by' },
        { key: 'release', header: 'release' },
        { key: 'first_seen_at', header: 'first_seen_at', width: 24 },
        { key: 'deployed_at', header: 'deployed_at', width: 24 },
        { key: 'time_to_fix_days', header: 'time_to_fix_days' },
        { key: 'tracker_key', header: 'tracker_key' },
        { key: 'tracker_url', header: 'tracker_url', width: 40 },
      ],
      rows: rows.map(({ ticket, item }) => [
        ticket.id,
        ticket.irritantId,
        item?.label ?? null,
        ticket.kind,
        ticket.status,
        ticket.priority,
        ticket.isoWeek,
        ticket.team,
        ticket.claimedBy,
        ticket.release,
        ticket.firstSeenAt.toISOString(),
        ticket.deployedAt?.toISOString() ?? null,
        days(ticket.firstSeenAt, ticket.deployedAt),
        issue(ticket.id)?.externalKey ?? null,
        issue(ticket.id)?.externalUrl ?? null,
      ]),
    };
  }

  async verbatimSearch(query: VerbatimExportQuery): Promise<ExportTable> {
    const limit = Math.min(query.limit ?? MAX_VERBATIM_ROWS, MAX_VERBATIM_ROWS);
    if (query.from && query.to && query.from > query.to)
      throw new BadRequestException('from must not be after to');
    let sourceId: string | undefined;
    let none = false;
    if (query.source) {
      const source = await this.sources.findByName(query.source);
      if (source) sourceId = source.id;
      else none = true;
    }
    const table: ExportTable = {
      name: 'Verbatims',
      columns: [
        { key: 'id', header: 'id', width: 38 },
        { key: 'received_at', header: 'received_at', width: 24 },
        { key: 'source', header: 'source' },
        { key: 'channel', header: 'channel' },
        { key: 'lang', header: 'lang', width: 6 },
        { key: 'category', header: 'category' },
        { key: 'sentiment', header: 'sentiment', width: 10 },
        { key: 'irritant_id', header: 'irritant_id', width: 38 },
        { key: 'text', header: 'text', width: 80 },
      ],
      rows: [],
    };
    if (none) return table;
    let after: { receivedAt: Date; id: string } | undefined;
    while (table.rows.length < limit) {
      const page = await this.verbatims.findPage({
        sourceId,
        channel: query.channel,
        from: query.from,
        to: query.to,
        query: query.q?.trim() || undefined,
        category: query.category,
        irritantId: query.irritant,
        after,
        limit: Math.min(PAGE, limit - table.rows.length),
      });
      for (const verbatim of page)
        table.rows.push([
          verbatim.id,
          verbatim.receivedAt.toISOString(),
          verbatim.source?.name ?? null,
          verbatim.channel,
          verbatim.lang,
          verbatim.category,
          verbatim.sentiment,
          verbatim.irritantId,
          // Until the ingest stage has run, redacted on the way out, as the API does.
          verbatim.redactedText ?? this.redactor.redact(verbatim.rawText),
        ]);
      const last = page.at(-1);
      if (!last || page.length < PAGE) break;
      after = { receivedAt: last.receivedAt, id: last.id };
    }
    return table;
  }
}
