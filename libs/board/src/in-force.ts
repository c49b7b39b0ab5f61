import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig, Clock } from '@app/config';
import {
  Decision,
  DecisionKind,
  OPEN_TICKET_STATUSES,
  Ticket,
  TicketRepository,
  TicketStatus,
} from '@app/database';
import { weekBounds } from '@app/scoring';

const DAY_MS = 86_400_000;
const days = (ms: number) => Math.round((ms / DAY_MS) * 10) / 10;

/**
 * What the meeting decided on an irritant, as it stands for one week's board: the decision, its
 * ticket, and how long it has been going against its target. For a ticket the age runs from the
 * irritant's first verbatim to its deployment (or now), against TIME_TO_FIX_TARGET_DAYS; for a
 * routed decision, from the decision to its department's answer (or now), against
 * ROUTED_ANSWER_TARGET_DAYS.
 */
export interface DecisionInForce {
  irritantId: string;
  decision: Decision;
  ticket: Ticket | null;
  answers: number;
  ageDays: number | null;
  targetDays: number | null;
  /** An open ticket past its target, or a routed decision its department has not answered in time. */
  overdue: boolean;
}

/**
 * Decisions carry across weeks: the one in force on an irritant of week W's board is the latest
 * taken on a board of W or before (on it or on an irritant merged into it), until it is closed
 * (its fix was deployed before W began) or re-decided.
 */
@Injectable()
export class DecisionsInForce {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly tickets: TicketRepository,
  ) {}

  async forWeek(
    isoWeek: string,
    irritantIds: string[],
    now = this.clock.now(),
  ): Promise<Map<string, DecisionInForce>> {
    const { start } = weekBounds(isoWeek, this.config.timeZone);
    const rows = await this.tickets.decisionsInForce(irritantIds, isoWeek);
    const inForce = new Map<string, DecisionInForce>();
    for (const row of rows) {
      const { ticket } = row;
      if (ticket?.status === TicketStatus.Deployed && ticket.deployedAt && ticket.deployedAt < start)
        continue;
      inForce.set(row.irritantId, this.view(row.irritantId, row.decision, ticket, row.answers, now));
    }
    return inForce;
  }

  view(
    irritantId: string,
    decision: Decision,
    ticket: Ticket | null,
    answers: number,
    now: Date,
  ): DecisionInForce {
    if (ticket) {
      const open = OPEN_TICKET_STATUSES.includes(ticket.status);
      const ageDays = days((ticket.deployedAt ?? now).getTime() - ticket.firstSeenAt.getTime());
      const targetDays = this.config.timeToFixTargetDays;
      return {
        irritantId,
        decision,
        ticket,
        answers,
        ageDays,
        targetDays,
        overdue: open && ageDays > targetDays,
      };
    }
    if (decision.kind === DecisionKind.Route) {
      const ageDays = days((decision.answeredAt ?? now).getTime() - decision.createdAt.getTime());
      const targetDays = this.config.routedAnswerTargetDays;
      return {
        irritantId,
        decision,
        ticket,
        answers,
        ageDays,
        targetDays,
        overdue: decision.answeredAt === null && ageDays > targetDays,
      };
    }
    return { irritantId, decision, ticket, answers, ageDays: null, targetDays: null, overdue: false };
  }
}
