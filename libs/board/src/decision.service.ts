import {
  BadRequestException,
  ConflictException,
  ForbiddenException,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
} from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig, Clock } from '@app/config';
import {
  AuditRepository,
  Decision,
  DecisionAnswer,
  DecisionKind,
  OPEN_TICKET_STATUSES,
  Role,
  Ticket,
  TicketFilter,
  TicketRepository,
  TicketRow,
  TicketStatus,
} from '@app/database';
import { ISO_WEEK_RULE, isIsoWeek, isoWeekOf } from '@app/scoring';
import { WebhookEvent, WebhookService } from '@app/webhooks';
import { ReadCache, TicketList } from './read-cache';

export interface DecisionInput {
  kind: DecisionKind;
  department?: string | null;
  owner?: string | null;
  targetRelease?: string | null;
  comment?: string | null;
}

const ACCEPTED: readonly DecisionKind[] = [DecisionKind.Fix, DecisionKind.SmallEvolution];

/** Where a ticket may go from each status: forward, or back one step when a fix did not hold. */
export const NEXT_STATUSES: Record<TicketStatus, readonly TicketStatus[]> = {
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

const DAY_MS = 86_400_000;

/**
 * Decisions of the Monday meeting on board items, and the tickets they open for developers: a fix
 * or a small evolution opens (or updates) the irritant's ticket; any other decision drops a
 * ticket not yet fixed. Every change a team downstream cares about is a webhook event recorded in
 * the same transaction: the decision, a department's answer, a claim, each status change, and a
 * ticket or a routed decision past its target. Audited; the history of decisions and answers kept.
 */
@Injectable()
export class DecisionService {
  private readonly logger = new Logger(DecisionService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly tickets: TicketRepository,
    private readonly audit: AuditRepository,
    private readonly webhooks: WebhookService,
    private readonly cache: ReadCache,
  ) {}

  private checkWeek(isoWeek: string): void {
    if (!isIsoWeek(isoWeek)) throw new BadRequestException(`not ${ISO_WEEK_RULE}: ${isoWeek}`);
  }

  /**
   * Records a decision on an irritant of a stored board (BoardService.ensure stores it first).
   * @returns the decision and the ticket it opened, updated or dropped.
   */
  async decide(
    isoWeek: string,
    irritantId: string,
    input: DecisionInput,
    actor: string,
  ): Promise<{ decision: Decision; ticket: Ticket | null }> {
    this.checkWeek(isoWeek);
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
    const now = this.clock.now();
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
          overdueAt: null,
          createdAt: now,
        },
        tx,
      );
      const open = await this.tickets.openTicket(irritantId, tx);
      let ticket: Ticket | null = open;
      const deliveries: string[] = [];
      if (ACCEPTED.includes(input.kind)) {
        ticket = await this.tickets.saveTicket(
          {
            ...(open ?? {
              irritantId,
              status: TicketStatus.Todo,
              claimedBy: null,
              release: null,
              deployedAt: null,
              overdueAt: null,
              firstSeenAt: (await this.tickets.firstSeenAt(irritantId, tx)) ?? now,
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
        deliveries.push(...(await this.statusChanged(open, TicketStatus.Dropped, open.release, tx)));
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
      deliveries.push(
        ...(await this.webhooks.record(
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
        )),
      );
      return { decision, ticket, deliveries };
    });
    this.cache.clear();
    await this.webhooks.dispatch(made.deliveries);
    return { decision: made.decision, ticket: made.ticket };
  }

  /** The team's pick of a quote for the digest: a verbatim of that irritant. */
  async pinQuote(isoWeek: string, irritantId: string, verbatimId: string, actor: string): Promise<void> {
    this.checkWeek(isoWeek);
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
    this.checkWeek(isoWeek);
    return this.tickets.decisions(isoWeek, irritantId);
  }

  /** Where a routed item may go (DEPARTMENTS). */
  departments(): readonly string[] {
    return this.config.departments;
  }

  /**
   * What the department answered to a routed item: kept with its earlier answers (a second
   * answer adds to the history; the decision shows the latest), audited, sent as
   * `decision.answered` to the department's webhooks and everyone's.
   */
  async answer(decisionId: string, answer: string, actor: string): Promise<Decision> {
    const at = this.clock.now();
    const deliveries = await this.tickets.transaction(async (tx) => {
      const decision = await this.tickets.lockDecision(decisionId, tx);
      if (!decision) throw new NotFoundException(`decision ${decisionId} does not exist`);
      if (decision.kind !== DecisionKind.Route)
        throw new BadRequestException('only a routed decision gets an answer');
      const earlier = (await this.tickets.answers(decisionId)).length;
      await this.tickets.addAnswer(decisionId, answer, actor, at, tx);
      await this.audit.record(
        {
          actor,
          action: 'decision.answered',
          subjectType: 'decision',
          subjectId: decisionId,
          after: { department: decision.department, answers: earlier + 1 },
        },
        tx,
      );
      return this.webhooks.record(
        WebhookEvent.DecisionAnswered,
        `${decisionId}:${earlier + 1}`,
        {
          decisionId,
          isoWeek: decision.isoWeek,
          irritantId: decision.irritantId,
          department: decision.department,
          answer,
          answeredAt: at.toISOString(),
          answers: earlier + 1,
        },
        tx,
        decision.department,
      );
    });
    this.cache.clear();
    await this.webhooks.dispatch(deliveries);
    return (await this.tickets.findDecision(decisionId)) as Decision;
  }

  async answers(decisionId: string): Promise<DecisionAnswer[]> {
    if (!(await this.tickets.findDecision(decisionId)))
      throw new NotFoundException(`decision ${decisionId} does not exist`);
    return this.tickets.answers(decisionId);
  }

  unanswered(limit: number): Promise<Decision[]> {
    return this.tickets.unanswered(limit);
  }

  async listTickets(filter: TicketFilter): Promise<TicketList> {
    const key = JSON.stringify(filter);
    const cached = this.cache.tickets.get(key);
    if (cached) return cached;
    const list = { rows: await this.tickets.list(filter) };
    this.cache.tickets.set(key, list);
    return list;
  }

  async ticket(id: string): Promise<TicketRow> {
    const row = await this.tickets.findTicket(id);
    if (!row) throw new NotFoundException(`ticket ${id} does not exist`);
    return row;
  }

  /**
   * A developer takes a ticket: theirs from now on (in progress if it was to do); another's claim
   * is a 409. Sent as `ticket.claimed`, and as `ticket.status_changed` when its status moved.
   */
  async claim(id: string, actor: string): Promise<TicketRow> {
    const deliveries = await this.tickets.transaction(async (tx) => {
      const ticket = await this.tickets.lockTicket(id, tx);
      if (!ticket) throw new NotFoundException(`ticket ${id} does not exist`);
      if (!OPEN_TICKET_STATUSES.includes(ticket.status))
        throw new ConflictException(`ticket ${id} is ${ticket.status}`);
      if (ticket.claimedBy !== null && ticket.claimedBy !== actor) {
        throw new ConflictException(`ticket ${id} is claimed by ${ticket.claimedBy}`);
      }
      if (ticket.claimedBy === actor) return [];
      const status = ticket.status === TicketStatus.Todo ? TicketStatus.InProgress : ticket.status;
      await this.tickets.saveTicket({ ...ticket, claimedBy: actor, status }, tx);
      await this.audit.record(
        { actor, action: 'ticket.claimed', subjectType: 'ticket', subjectId: id, after: { status } },
        tx,
      );
      const claimed = await this.webhooks.record(
        WebhookEvent.TicketClaimed,
        `${id}:${actor}`,
        { ticketId: id, irritantId: ticket.irritantId, claimedBy: actor, status },
        tx,
      );
      const moved =
        status === ticket.status ? [] : await this.statusChanged(ticket, status, ticket.release, tx);
      return [...claimed, ...moved];
    });
    this.cache.clear();
    await this.webhooks.dispatch(deliveries);
    return this.ticket(id);
  }

  /**
   * Moves a ticket along (todo, in progress, fixed, deployed) and records its release. A claim is
   * owned: another developer gets a 403 (the triage team and admins still move it).
   */
  async update(
    id: string,
    change: { status?: TicketStatus; release?: string },
    actor: string,
    role?: Role,
  ): Promise<TicketRow> {
    const { before, deliveries } = await this.tickets.transaction(async (tx) => {
      const ticket = await this.tickets.lockTicket(id, tx);
      if (!ticket) throw new NotFoundException(`ticket ${id} does not exist`);
      if (role === Role.Developer && ticket.claimedBy !== null && ticket.claimedBy !== actor) {
        throw new ForbiddenException(
          `ticket ${id} is claimed by ${ticket.claimedBy}: only they or an admin move it`,
        );
      }
      const status = change.status ?? ticket.status;
      const allowed = NEXT_STATUSES[ticket.status];
      if (status !== ticket.status && !allowed.includes(status)) {
        throw new ConflictException(
          allowed.length === 0
            ? `ticket ${id} is ${ticket.status}, not ${status}: it is closed (decide again on the board to reopen the work)`
            : `ticket ${id} is ${ticket.status}: it can become ${allowed.join(' or ')}, not ${status}`,
        );
      }
      const release = change.release ?? ticket.release;
      await this.tickets.saveTicket(
        {
          ...ticket,
          status,
          release,
          deployedAt: status === TicketStatus.Deployed ? this.clock.now() : ticket.deployedAt,
        },
        tx,
      );
      const recorded = status !== ticket.status ? await this.statusChanged(ticket, status, release, tx) : [];
      return { before: ticket, deliveries: recorded };
    });
    this.cache.clear();
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

  /**
   * Flags, once each, the open tickets past TIME_TO_FIX_TARGET_DAYS and the routed decisions
   * unanswered past ROUTED_ANSWER_TARGET_DAYS (`ticket.overdue`, `decision.unanswered`); the
   * board and the digest show them from their ages. Runs with the freeze check, every minute.
   * @returns how many were flagged.
   */
  async flagOverdue(now = this.clock.now()): Promise<{ tickets: number; routes: number }> {
    const { deliveries, tickets, routes } = await this.tickets.transaction(async (tx) => {
      const late = await this.tickets.flagOverdueTickets(
        new Date(now.getTime() - this.config.timeToFixTargetDays * DAY_MS),
        now,
        tx,
      );
      const unanswered = await this.tickets.flagUnansweredRoutes(
        new Date(now.getTime() - this.config.routedAnswerTargetDays * DAY_MS),
        now,
        tx,
      );
      const recorded: string[] = [];
      for (const ticket of late)
        recorded.push(
          ...(await this.webhooks.record(
            WebhookEvent.TicketOverdue,
            ticket.id,
            {
              ticketId: ticket.id,
              irritantId: ticket.irritantId,
              status: ticket.status,
              team: ticket.team,
              claimedBy: ticket.claimedBy,
              firstSeenAt: ticket.firstSeenAt.toISOString(),
              ageDays: Math.floor((now.getTime() - ticket.firstSeenAt.getTime()) / DAY_MS),
              targetDays: this.config.timeToFixTargetDays,
            },
            tx,
          )),
        );
      for (const decision of unanswered)
        recorded.push(
          ...(await this.webhooks.record(
            WebhookEvent.DecisionUnanswered,
            decision.id,
            {
              decisionId: decision.id,
              isoWeek: decision.isoWeek,
              irritantId: decision.irritantId,
              department: decision.department,
              decidedAt: decision.createdAt.toISOString(),
              waitingDays: Math.floor((now.getTime() - decision.createdAt.getTime()) / DAY_MS),
              targetDays: this.config.routedAnswerTargetDays,
            },
            tx,
            decision.department,
          )),
        );
      return { deliveries: recorded, tickets: late.length, routes: unanswered.length };
    });
    if (tickets + routes > 0) {
      this.cache.clear();
      this.logger.log({ tickets, routes }, 'overdue work flagged');
    }
    await this.webhooks.dispatch(deliveries);
    return { tickets, routes };
  }

  /** Median time-to-fix (first verbatim to deployed) of the tickets deployed each week. */
  async timeToFix(weeks: number, now = this.clock.now()): Promise<TimeToFixWeek[]> {
    const zone = this.config.timeZone;
    const since = new Date(now.getTime() - weeks * 7 * DAY_MS);
    const byWeek = new Map<string, number[]>();
    for (const ticket of await this.tickets.deployedSince(since)) {
      if (!ticket.deployedAt) continue;
      const week = isoWeekOf(ticket.deployedAt, zone);
      const days = (ticket.deployedAt.getTime() - ticket.firstSeenAt.getTime()) / DAY_MS;
      byWeek.set(week, [...(byWeek.get(week) ?? []), days]);
    }
    const target = this.config.timeToFixTargetDays;
    const result: TimeToFixWeek[] = [];
    for (let i = weeks - 1; i >= 0; i--) {
      const week = isoWeekOf(new Date(now.getTime() - i * 7 * DAY_MS), zone);
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

  /** `ticket.status_changed`, recorded in the transaction of the change. */
  private statusChanged(
    ticket: Ticket,
    to: TicketStatus,
    release: string | null,
    tx: EntityManager,
  ): Promise<string[]> {
    return this.webhooks.record(
      WebhookEvent.TicketStatusChanged,
      `${ticket.id}:${to}:${ticket.updatedAt.getTime()}`,
      { ticketId: ticket.id, irritantId: ticket.irritantId, from: ticket.status, to, release },
      tx,
    );
  }
}
