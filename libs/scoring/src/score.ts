import { AXES, Axis, KeywordRule, ScoringProfile } from './profile';

/** What happened to one irritant in one week: everything its scores are made of. */
export interface IrritantWeek {
  category: string;
  verbatims: number;
  /** Distinct hashed authors this week, across channels. */
  customers: number;
  /** The same count the week before, and that week's name, for the growth reason. */
  previousCustomers: number;
  previousWeek: string;
  channels: readonly string[];
  /** Terminals other than 'unknown'. */
  terminals: readonly string[];
  /** Sentiment (-1..1) of each verbatim of the week. */
  sentiments: readonly number[];
  /** The week's verbatim texts, redacted: the words rules read them. */
  texts: readonly string[];
  /** Survey answers 0-6 whose comment joined this irritant (0 until surveys exist). */
  detractors: number;
  monitors: readonly { name: string; failing: boolean; slow: boolean }[];
  kpis: readonly { name: string; offTarget: boolean }[];
  /**
   * Survey points the irritant costs (the score without the customers who mention it minus the
   * score with them) and the half-width of their 95% interval; absent when no comment mentions it.
   */
  surveyImpact?: {
    nps: { points: number; ci95: number | null } | null;
    csat: { points: number; ci95: number | null } | null;
  };
}

export interface AxisScore {
  /** 0-100. */
  score: number;
  /** What produced the score, in words a person reads. */
  reasons: string[];
}

export interface IrritantScore {
  axes: Record<Axis, AxisScore>;
  /** The weighted mean of the axes, 0-100. */
  total: number;
}

const clamp = (value: number) => Math.max(0, Math.min(100, value));
const round1 = (value: number) => Math.round(value * 10) / 10;
const plural = (n: number, one: string, many = `${one}s`) =>
  `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** Lower case, accents removed: the form the profile's patterns are written for. */
export function foldForRules(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/[’`]/g, "'");
}

/** How many of the texts match each rule (compiled once per rule). */
function matches(rule: KeywordRule, folded: readonly string[]): number {
  const pattern = new RegExp(rule.pattern, 'u');
  return folded.reduce((n, text) => n + (pattern.test(text) ? 1 : 0), 0);
}

function client(week: IrritantWeek, rules: ScoringProfile['client']): AxisScore {
  const reasons: string[] = [];
  const countPart = (Math.log1p(week.customers) / Math.log1p(rules.customersAtFull)) * rules.customersPoints;
  const growth =
    week.previousCustomers > 0 ? (week.customers - week.previousCustomers) / week.previousCustomers : null;
  const trend =
    growth === null
      ? `new vs ${week.previousWeek}`
      : `${growth >= 0 ? '+' : ''}${Math.round(growth * 100)}% vs ${week.previousWeek}`;
  reasons.push(
    `${plural(week.customers, 'customer')} in ${plural(week.channels.length, 'channel')}, ${trend}`,
  );
  const growthPart =
    growth === null
      ? week.customers > 1
        ? rules.growthPoints / 2
        : 0
      : (Math.max(0, Math.min(growth, rules.growthAtFull)) / rules.growthAtFull) * rules.growthPoints;
  const negatives = week.sentiments.filter((s) => s < 0);
  const intensity =
    negatives.length > 0 ? negatives.reduce((sum, s) => sum - s, 0) / week.sentiments.length : 0;
  if (negatives.length > 0) {
    reasons.push(
      `${Math.round((negatives.length / week.sentiments.length) * 100)}% of the verbatims negative (intensity ${intensity.toFixed(2)})`,
    );
  }
  const detractorPart = Math.min(rules.detractorPoints, week.detractors * rules.pointsPerDetractor);
  if (week.detractors > 0) reasons.push(`${plural(week.detractors, 'NPS detractor')} mention it`);
  for (const [name, impact] of [
    ['NPS', week.surveyImpact?.nps],
    ['CSAT', week.surveyImpact?.csat],
  ] as const) {
    if (impact && impact.points > 0)
      reasons.push(
        `costs ${impact.points.toFixed(1)} ${name} points${impact.ci95 !== null ? ` (±${impact.ci95.toFixed(1)})` : ''}`,
      );
  }
  const channelPart =
    (Math.min(week.channels.length, rules.channelsAtFull) / rules.channelsAtFull) * rules.channelPoints;
  return {
    score: round1(
      clamp(
        Math.min(countPart, rules.customersPoints) +
          growthPart +
          intensity * rules.negativityPoints +
          detractorPart +
          channelPart,
      ),
    ),
    reasons,
  };
}

function business(
  week: IrritantWeek,
  rules: ScoringProfile['business'],
  folded: readonly string[],
): AxisScore {
  const reasons: string[] = [];
  let score = 0;
  const journey = rules.journeyStages[week.category];
  if (journey) {
    score += journey.points;
    reasons.push(`blocks ${journey.stage}`);
  }
  const promised = matches(rules.promiseBroken, folded);
  if (promised > 0) {
    score += rules.promiseBroken.points;
    reasons.push(`${plural(promised, 'verbatim')} about ${rules.promiseBroken.name}`);
  }
  for (const monitor of week.monitors.filter((one) => one.failing)) {
    score += rules.pointsPerFailingJourney;
    reasons.push(`the journey "${monitor.name}" failed this week`);
  }
  const atRisk = week.customers * rules.averageBasketEuros;
  if (atRisk > 0) {
    score += Math.min(1, Math.log1p(atRisk) / Math.log1p(rules.revenueAtFullEuros)) * rules.revenuePoints;
    reasons.push(
      `€${Math.round(atRisk).toLocaleString('en-US')} at risk (${plural(week.customers, 'customer')} × €${rules.averageBasketEuros} basket)`,
    );
  }
  return { score: round1(clamp(score)), reasons };
}

function legal(week: IrritantWeek, rules: ScoringProfile['legal'], folded: readonly string[]): AxisScore {
  const reasons: string[] = [];
  let score = rules.categories[week.category] ?? 0;
  if (score > 0) reasons.push(`category ${week.category.replace(/_/g, ' ')}`);
  for (const rule of rules.keywords) {
    const n = matches(rule, folded);
    if (n === 0) continue;
    score += rule.points;
    reasons.push(`${plural(n, 'verbatim')} ${n === 1 ? 'mentions' : 'mention'} ${rule.name}`);
  }
  return { score: round1(clamp(score)), reasons };
}

function technical(
  week: IrritantWeek,
  rules: ScoringProfile['technical'],
  folded: readonly string[],
): AxisScore {
  const reasons: string[] = [];
  let score = 0;
  for (const monitor of week.monitors) {
    if (monitor.failing) {
      score += rules.pointsPerFailingMonitor;
      reasons.push(`monitor "${monitor.name}" failing`);
    } else if (monitor.slow) {
      score += rules.pointsPerSlowMonitor;
      reasons.push(`monitor "${monitor.name}" slow`);
    }
  }
  for (const kpi of week.kpis.filter((one) => one.offTarget)) {
    score += rules.pointsPerKpiOffTarget;
    reasons.push(`KPI "${kpi.name}" off target`);
  }
  if (week.terminals.length > 0) {
    score += week.terminals.length * rules.pointsPerTerminal;
    reasons.push(
      `${plural(week.terminals.length, 'terminal')}: ${[...week.terminals].sort().join(', ').replace(/_/g, ' ')}`,
    );
  }
  const blocked = matches(rules.blocking, folded);
  if (blocked > 0 && folded.length > 0) {
    const share = blocked / folded.length;
    score += (Math.min(share, rules.blockingShareAtFull) / rules.blockingShareAtFull) * rules.blockingPoints;
    reasons.push(`${Math.round(share * 100)}% of the verbatims say the customer is ${rules.blocking.name}`);
  } else {
    reasons.push('non-blocking');
  }
  return { score: round1(clamp(score)), reasons };
}

/**
 * The four axis scores of an irritant for a week, each with its reasons, and their weighted total.
 * Pure: the same week and profile always give the same scores.
 */
export function scoreIrritant(week: IrritantWeek, profile: ScoringProfile): IrritantScore {
  const folded = week.texts.map(foldForRules);
  const axes: Record<Axis, AxisScore> = {
    client: client(week, profile.client),
    business: business(week, profile.business, folded),
    legal: legal(week, profile.legal, folded),
    technical: technical(week, profile.technical, folded),
  };
  return { axes, total: totalOf(axes, profile) };
}

/** The weighted mean of axis scores (after overrides, too). */
export function totalOf(axes: Record<Axis, { score: number }>, profile: ScoringProfile): number {
  const weightSum = AXES.reduce((sum, axis) => sum + profile.weights[axis], 0);
  return round1(AXES.reduce((sum, axis) => sum + axes[axis].score * profile.weights[axis], 0) / weightSum);
}
