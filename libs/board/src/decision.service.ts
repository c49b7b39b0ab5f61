import {
  BadRequestException,
  ConflictException,
  Inject,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import { APP_CONFIG, AppConfig, Clock } from '@app/config';
import {
  AuditRepository,
  Decision,
  DecisionKind,
  OPEN_TICKET_STATUSES,
  Ticket,
  TicketFilter,
  TicketRepository,
  TicketRow,
  TicketStatus,
} from '@app/database';
import { isIsoWeek, isoWeekOf } from '@app/scoring';
import { WebhookEvent, WebhookService } from '@app/webhooks';
import { LRUCache } from 'lru-cache';
import { READ_CACHE_MS } from './board.service';

/** Ticket lists are kept for READ_CACHE_MS, as boards are; this process's writes clear them. */
const TICKET_READ_CACHE_MS = READ_CACHE_MS;

/** A page of tickets as read (and kept for a moment), with its answer once serialised. */
export interface TicketList {
  rows: TicketRow[];
  /** Per language of the reasons. */
  json?: Partial<Record<string, string>>;
}

export interface DecisionInput {
  kind: DecisionKind;
  department?: string | null;
  owner?: string | null;
  targetRelease?: string | null;
  comment?: string | null;
}

const ACCEPTED: readonly DecisionKind[] = [DecisionKind.Fix, DecisionKind.SmallEvolution];

/** Where a ticket may go from each status: forward, or back one step when a fix did not hold. */
const NEXT: Record<TicketStatus, readonly TicketStatus[]> = {
  [TicketStatus.Todo]: [TicketStatus.InProgress, TicketStatus.Fixed],
  [TicketStatus.InProgress]: [TicketStatus.Todo, TicketStatus.Fixed],
  [TicketStatus.Fixed]: [TicketStatus.InProgress, TicketStatus.Deployed],
  [TicketStatus.Deployed]: [],
  [TicketStatus.Dropped]: [],
};

export interface TimeToFixWeek {
  isoWeek: string;
  deployed: number;
  medianDays: number | null;
  targetDays: number;
  onTarget: boolean | null;
}

/**
 * Decisions of the Monday meeting on board items, and the tickets they open for developers: a fix
 * or a small evolution opens (or updates) the irritant's ticket, at the item's total as priority;
 * any other decision drops a ticket not yet fixed. Audited; the history of decisions is kept.
 */
@Injectable()
export class DecisionService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly tickets: TicketRepository,
    private readonly audit: AuditRepository,
    private readonly webhooks: WebhookService,
  ) {}

  private readonly reads = new LRUCache<string, TicketList>({ max: 500, ttl: TICKET_READ_CACHE_MS });

  async decide(
    isoWeek: string,
    irritantId: string,
    input: DecisionInput,
    actor: string,
  ): Promise<{ decision: Decision; ticket: Ticket | null }> {
    if (!isIsoWeek(isoWeek)) throw new BadRequestException(`not an ISO week (like 2026-W48): ${isoWeek}`);
    const department = input.department ?? null;
    if (input.kind === DecisionKind.Route) {
      if (department === null || !this.config.departments.includes(department)) {
        throw new BadRequestException(
          `a routed item needs a department, one of ${this.config.departments.join(', ')}`,
        );
      }
    } else if (department !== null) {
      throw new BadRequestException('only a routed item has a department');
    }
    const made = await this.tickets.transaction(async (tx) => {
      const item = await this.tickets.lockItem(isoWeek, irritantId, tx);
      if (!item) throw new NotFoundException(`irritant ${irritantId} is not on the board of ${isoWeek}`);
      const decision = await this.tickets.addDecision(
        {
          isoWeek,
          irritantId,
          kind: input.kind,
          department,
          owner: input.owner ?? null,
          targetRelease: input.targetRelease ?? null,
          comment: input.comment ?? null,
          actor,
        },
        tx,
      );
      const open = await this.tickets.openTicket(irritantId, tx);
      let ticket: Ticket | null = open;
      if (ACCEPTED.includes(input.kind)) {
        ticket = await this.tickets.saveTicket(
          {
            ...(open ?? {
              irritantId,
              status: TicketStatus.Todo,
              claimedBy: null,
              release: null,
              deployedAt: null,
              firstSeenAt: (await this.tickets.firstSeenAt(irritantId, tx)) ?? this.clock.now(),
            }),
            decisionId: decision.id,
            isoWeek,
            kind: input.kind,
            priority: item.total,
            team: input.owner ?? open?.team ?? null,
          },
          tx,
        );
      } else if (open && open.status !== TicketStatus.Fixed) {
        ticket = await this.tickets.saveTicket({ ...open, status: TicketStatus.Dropped }, tx);
      }
      await this.audit.record(
        {
          actor,
          action: 'decision.made',
          subjectType: 'irritant',
          subjectId: irritantId,
          after: { isoWeek, kind: input.kind, department, owner: decision.owner, ticket: ticket?.id ?? null },
        },
        tx,
      );
      const deliveries = await this.webhooks.record(
        WebhookEvent.DecisionMade,
        decision.id,
        {
          decisionId: decision.id,
          isoWeek,
          irritantId,
          label: item.label,
          category: item.category,
          rank: item.rank,
          total: item.total,
          kind: decision.kind,
          department,
          owner: decision.owner,
          targetRelease: decision.targetRelease,
          comment: decision.comment,
          ticketId: ticket?.id ?? null,
        },
        tx,
        department,
      );
      return { decision, ticket, deliveries };
    });
    this.reads.clear();
    await this.webhooks.dispatch(made.deliveries);
    return { decision: made.decision, ticket: made.ticket };
  }

  /** The team's pick of a quote for the digest: a verbatim of that irritant. */
  async pinQuote(isoWeek: string, irritantId: string, verbatimId: string, actor: string): Promise<void> {
    if (!isIsoWeek(isoWeek)) throw new BadRequestException(`not an ISO week (like 2026-W48): ${isoWeek}`);
    if (!(await this.tickets.pinQuote({ isoWeek, irritantId, verbatimId, actor }))) {
      throw new BadRequestException(`verbatim ${verbatimId} is not one of irritant ${irritantId}`);
    }
    await this.audit.record({
      actor,
      action: 'quote.pinned',
      subjectType: 'irritant',
      subjectId: irritantId,
      after: { isoWeek, verbatimId },
    });
  }

  history(isoWeek: string, irritantId: string): Promise<Decision[]> {
    return this.tickets.decisions(isoWeek, irritantId);
  }

  /** The decision in force (the latest) for each irritant of a week's board. */
  inForce(isoWeek: string): Promise<Decision[]> {
    if (!isIsoWeek(isoWeek)) throw new BadRequestException(`not an ISO week (like 2026-W48): ${isoWeek}`);
    return this.tickets.latestDecisions(isoWeek);
  }

  /** Where a routed item may go (DEPARTMENTS). */
  departments(): readonly string[] {
    return this.config.departments;
  }

  /** What the department answered to a routed item. */
  async answer(decisionId: string, answer: string, actor: string): Promise<Decision> {
    const decision = await this.tickets.findDecision(decisionId);
    if (!decision) throw new NotFoundException(`decision ${decisionId} does not exist`);
    if (decision.kind !== DecisionKind.Route)
      throw new BadRequestException('only a routed decision gets an answer');
    await this.tickets.answer(decisionId, answer);
    await this.audit.record({
      actor,
      action: 'decision.answered',
      subjectType: 'decision',
      subjectId: decisionId,
      after: { department: decision.department },
    });
    return (await this.tickets.findDecision(decisionId)) as Decision;
  }

  unanswered(limit: number): Promise<Decision[]> {
    return this.tickets.unanswered(limit);
  }

  async listTickets(filter: TicketFilter): Promise<TicketList> {
    const key = JSON.stringify(filter);
    const cached = this.reads.get(key);
    if (cached) return cached;
    const list = { rows: await this.tickets.list(filter) };
    this.reads.set(key, list);
    return list;
  }

  async ticket(id: string): Promise<TicketRow> {
    const row = await this.tickets.findTicket(id);
    if (!row) throw new NotFoundException(`ticket ${id} does not exist`);
    return row;
  }

  /** A developer takes a ticket: theirs from now on; another's claim is a 409. */
  async claim(id: string, actor: string): Promise<TicketRow> {
    await this.tickets.transaction(async (tx) => {
      const ticket = await this.tickets.lockTicket(id, tx);
      if (!ticket) throw new NotFoundException(`ticket ${id} does not exist`);
      if (!OPEN_TICKET_STATUSES.includes(ticket.status))
        throw new ConflictException(`ticket ${id} is ${ticket.status}`);
      if (ticket.claimedBy !== null && ticket.claimedBy !== actor) {
        throw new ConflictException(`ticket ${id} is claimed by ${ticket.claimedBy}`);
      }
      await this.tickets.saveTicket(
        {
          ...ticket,
          claimedBy: actor,
          status: ticket.status === TicketStatus.Todo ? TicketStatus.InProgress : ticket.status,
        },
        tx,
      );
    });
    this.reads.clear();
    await this.audit.record({ actor, action: 'ticket.claimed', subjectType: 'ticket', subjectId: id });
    return this.ticket(id);
  }

  /** Moves a ticket along (todo, in progress, fixed, deployed) and records its release. */
  async update(
    id: string,
    change: { status?: TicketStatus; release?: string },
    actor: string,
  ): Promise<TicketRow> {
    const { before, deliveries } = await this.tickets.transaction(async (tx) => {
      const ticket = await this.tickets.lockTicket(id, tx);
      if (!ticket) throw new NotFoundException(`ticket ${id} does not exist`);
      const status = change.status ?? ticket.status;
      if (status !== ticket.status && !NEXT[ticket.status].includes(status)) {
        throw new ConflictException(`a ${ticket.status} ticket cannot become ${status}`);
      }
      await this.tickets.saveTicket(
        {
          ...ticket,
          status,
          release: change.release ?? ticket.release,
          deployedAt: status === TicketStatus.Deployed ? this.clock.now() : ticket.deployedAt,
        },
        tx,
      );
      const changed = status !== ticket.status;
      const recorded = changed
        ? await this.webhooks.record(
            WebhookEvent.TicketStatusChanged,
            `${id}:${status}:${ticket.updatedAt.getTime()}`,
            {
              ticketId: id,
              irritantId: ticket.irritantId,
              from: ticket.status,
              to: status,
              release: change.release ?? ticket.release,
            },
            tx,
          )
        : [];
      return { before: ticket, deliveries: recorded };
    });
    this.reads.clear();
    await this.webhooks.dispatch(deliveries);
    await this.audit.record({
      actor,
      action: 'ticket.updated',
      subjectType: 'ticket',
      subjectId: id,
      before: { status: before.status, release: before.release },
      after: { status: change.status ?? before.status, release: change.release ?? before.release },
    });
    return this.ticket(id);
  }

  /** Median time-to-fix (first verbatim to deployed) of the tickets deployed each week. */
  async timeToFix(weeks: number, now = this.clock.now()): Promise<TimeToFixWeek[]> {
    const zone = this.config.timeZone;
    const since = new Date(now.getTime() - weeks * 7 * 86_400_000);
    const byWeek = new Map<string, number[]>();
    for (const ticket of await this.tickets.deployedSince(since)) {
      if (!ticket.deployedAt) continue;
      const week = isoWeekOf(ticket.deployedAt, zone);
      const days = (ticket.deployedAt.getTime() - ticket.firstSeenAt.getTime()) / 86_400_000;
      byWeek.set(week, [...(byWeek.get(week) ?? []), days]);
    }
    const target = this.config.timeToFixTargetDays;
    const result: TimeToFixWeek[] = [];
    for (let i = weeks - 1; i >= 0; i--) {
      const week = isoWeekOf(new Date(now.getTime() - i * 7 * 86_400_000), zone);
      const days = (byWeek.get(week) ?? []).sort((a, b) => a - b);
      const median =
        days.length === 0
          ? null
          : days.length % 2 === 1
            ? days[(days.length - 1) / 2]
            : (days[days.length / 2 - 1] + days[days.length / 2]) / 2;
      result.push({
        isoWeek: week,
        deployed: days.length,
        medianDays: median === null ? null : Math.round(median * 10) / 10,
        targetDays: target,
        onTarget: median === null ? null : median <= target,
      });
    }
    return result;
  }
}
