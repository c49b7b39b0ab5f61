import type { Axis, Reason } from '@app/scoring';

export type DigestLang = 'fr' | 'en';

/** A decision as it stands: taken this week or carried from an earlier one, with its ticket. */
export interface DigestDecision {
  kind: string;
  owner: string | null;
  department: string | null;
  targetRelease: string | null;
  /** The week of the board it was taken on. */
  decidedWeek: string;
  /** Taken on an earlier week's board, still in force. */
  carried: boolean;
  ticket: { status: string; release: string | null } | null;
  /** Ticket: days since the irritant's first verbatim; route: days waiting for the answer. */
  ageDays: number | null;
  targetDays: number | null;
  overdue: boolean;
  answer: string | null;
}

export interface DigestItem {
  rank: number;
  irritantId?: string;
  label: string;
  category: string;
  total: number;
  axes: Record<Axis, number>;
  movement: string;
  rankChange: number | null;
  customers: number;
  verbatims: number;
  /** One customer's words, redacted and without their name, so that the impact is felt. */
  quote: { text: string; channel: string; pinned: boolean } | null;
  decision: DigestDecision | null;
  /** Why it ranks: the first reason of each of its strongest axes, said in the reader's language. */
  reasons: Reason[];
  /** The ticket's issue in the team's tracker (Jira, GitHub, Linear), when it has one. */
  tracker?: { key: string; url: string } | null;
  /** NPS and CSAT points the irritant costs (survey comments that mention it), with the 95% interval. */
  surveyImpact?: {
    nps: { points: number; ci95: number | null } | null;
    csat: { points: number; ci95: number | null } | null;
  } | null;
}

/** Everything the Monday digest says about one ISO week, before it is written in a language. */
export interface DigestData {
  isoWeek: string;
  frozen: boolean;
  /** The time zone dates are written in (TIME_ZONE). */
  timeZone: string;
  boardUrl: string;
  items: DigestItem[];
  /** Items of the week's board (top of it) with no decision in force: the meeting's to decide. */
  awaiting: { rank: number; label: string }[];
  /** Decisions taken on this week's board. */
  decisions: (DigestDecision & { label: string })[];
  /** Decisions of earlier weeks still in force on this week's board: where the work stands. */
  ongoing: (DigestDecision & { label: string })[];
  /** Routed decisions whose department has not answered yet. */
  unanswered: { label: string; department: string; days: number; targetDays: number; overdue: boolean }[];
  /** Open tickets past the time-to-fix target. */
  overdue: { label: string; status: string; team: string | null; ageDays: number; targetDays: number }[];
  timeToFix: { medianDays: number | null; targetDays: number; deployed: number };
  /** Monitors that failed during the week: still failing at its end, or failed then recovered. */
  monitors: {
    name: string;
    state: 'failing' | 'recovered';
    failed: number;
    runs: number;
    from: string;
    to: string | null;
    steps: string[];
  }[];
  /** Headline KPIs: this week's figure against the week before and the target. */
  kpis: {
    key: string;
    name: string;
    unit: string;
    value: number | null;
    previous: number | null;
    target: number | null;
    onTarget: boolean | null;
    n: number;
    ci95: number | null;
  }[];
}
