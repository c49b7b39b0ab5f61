import type { BoardItem } from '../../components/ui';

/** GET /irritants/{id} */
export interface Irritant {
  id: string;
  category: string;
  /** The name a triager gave it, else its generated title, else its distinctive words. */
  label: string;
  /** The name a triager gave it (wins over the title everywhere). */
  name: string | null;
  /** A short phrase in its customers' own words, in its main language. */
  title: string | null;
  /** The title in the other language, when some of its verbatims are in it. */
  otherTitle: { lang: string; title: string } | null;
  /** Its most representative verbatim (redacted). */
  quote: string | null;
  verbatimCount: number;
  distinctCustomers: number;
  firstSeenAt: string;
  lastSeenAt: string;
  quotes: { id: string; source: string; channel: string; receivedAt: string; text: string }[];
}

/** GET /boards/{week}/items/{id} */
export interface ItemRead {
  isoWeek: string;
  status: 'live' | 'frozen';
  item: BoardItem;
  pinnedVerbatimId: string | null;
}

export interface Verbatim {
  id: string;
  source: string;
  channel: string;
  receivedAt: string;
  lang: string | null;
  text: string;
  category: string | null;
  sentiment: number | null;
  sentimentLabel: string | null;
  terminal: string | null;
  irritantId: string | null;
  irritantPinned: boolean;
  /** After a move or a category correction: where it went. */
  placement?: Placement;
}

/** Where a triage action put a verbatim (PUT /verbatims/{id}/irritant, PATCH …/category). */
export interface Placement {
  from: { id: string; label: string; deleted: boolean } | null;
  to: { id: string; label: string; category: string; verbatimCount: number; created: boolean } | null;
  moved: boolean;
}

export interface Proposal {
  id: string;
  irritantId: string;
  isoWeek: string;
  monitorId: string | null;
  kpiKey: string | null;
  evidence: Record<string, unknown>;
  status: string;
}

export interface IrritantOption {
  id: string;
  label: string;
  category: string;
  verbatimCount: number;
}

export const SENTIMENTS = ['negative', 'neutral', 'positive'] as const;

/** The irritant page's address for an irritant, keeping the week it was opened from. */
export const irritantPath = (id: string, week: string | undefined | null) =>
  `/irritants/${id}${week ? `?week=${week}` : ''}`;
