import type { Axis } from '@app/scoring';

export type DigestLang = 'fr' | 'en';

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
  /** One customer's words, redacted, so that the impact is felt and not only counted. */
  quote: { text: string; channel: string; pinned: boolean } | null;
  decision: { kind: string; owner: string | null; department: string | null } | null;
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
  boardUrl: string;
  items: DigestItem[];
  /** Items of the week's board (top of it) that have no decision yet. */
  awaiting: { rank: number; label: string }[];
  decisions: { label: string; kind: string; owner: string | null; department: string | null }[];
  unanswered: { label: string; department: string; days: number }[];
  timeToFix: { medianDays: number | null; targetDays: number; deployed: number };
  /** Monitors with failed runs during the week. */
  monitorsFailed: { name: string; failed: number; runs: number }[];
  /** Headline KPIs: this week's figure against the week before and the target. */
  kpis: {
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
