import { AXES, Axis, KeywordRule, ScoringProfile } from './profile';
import { Reason, reason } from './reasons';

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
  /**
   * Linked monitors that week: `failing` when it failed during the week, `recovered` when it
   * passed again after its last failure (the axis still counts the failure; the reason says so).
   */
  monitors: readonly { name: string; failing: boolean; slow: boolean; recovered?: boolean }[];
  kpis: readonly { name: string; offTarget: boolean }[];
  /** The category's names, for reasons that name it (the taxonomy's labels). */
  categoryLabel?: { en: string; fr: string };
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
  /** What produced the score: codes with their figures, and the English text (`describeReason`). */
  reasons: Reason[];
}

export interface IrritantScore {
  axes: Record<Axis, AxisScore>;
  /** The weighted mean of the axes, 0-100. */
  total: number;
}

const clamp = (value: number) => Math.max(0, Math.min(100, value));
const round1 = (value: number) => Math.round(value * 10) / 10;
/** The rule's names as a reason's parameters: the French one only when the profile gives it. */
const ruleNames = (rule: KeywordRule): Record<string, string> =>
  rule.nameFr ? { rule: rule.name, ruleFr: rule.nameFr } : { rule: rule.name };

/** Lower case, accents removed: the form the profile's patterns are written for. */
export function foldForRules(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/[’`]/g, "'");
}

/** How many of the texts match each rule (compiled once per rule). */
function matches(rule: KeywordRule, folded: readonly string[]): number {
  const pattern = new RegExp(rule.pattern, 'u');
  return folded.reduce((n, text) => n + (pattern.test(text) ? 1 : 0), 0);
}

/**
 * How much of the people it could hurt an irritant reaches, 0..1: its distinct customers on a log
 * scale, full at `customersAtFull` (the first customers count most). Everything on the client axis,
 * and a category's weight on the business axis, is scaled by it: people hurt lead the ranking.
 */
export function reachOf(customers: number, rules: ScoringProfile['client']): number {
  return Math.min(1, Math.log1p(Math.max(0, customers)) / Math.log1p(rules.customersAtFull));
}

function client(week: IrritantWeek, rules: ScoringProfile['client']): AxisScore {
  const reasons: Reason[] = [];
  const reach = reachOf(week.customers, rules);
  const growth =
    week.previousCustomers > 0 ? (week.customers - week.previousCustomers) / week.previousCustomers : null;
  reasons.push(
    reason('client.customers', {
      customers: week.customers,
      channels: week.channels.length,
      growth: growth === null ? null : Math.round(growth * 100),
      previousWeek: week.previousWeek,
    }),
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
      reason('client.negative', {
        share: Math.round((negatives.length / week.sentiments.length) * 100),
        intensity: Math.round(intensity * 100) / 100,
      }),
    );
  }
  const detractorPart = Math.min(rules.detractorPoints, week.detractors * rules.pointsPerDetractor);
  if (week.detractors > 0) reasons.push(reason('client.detractors', { detractors: week.detractors }));
  for (const [survey, impact] of [
    ['NPS', week.surveyImpact?.nps],
    ['CSAT', week.surveyImpact?.csat],
  ] as const) {
    if (impact && impact.points > 0)
      reasons.push(reason('client.survey_cost', { survey, points: impact.points, ci95: impact.ci95 }));
  }
  const channelPart =
    (Math.min(week.channels.length, rules.channelsAtFull) / rules.channelsAtFull) * rules.channelPoints;
  // How strongly and where they complain matters in proportion to how many they are: one
  // furious customer on three channels is still one customer.
  return {
    score: round1(
      clamp(
        reach *
          (rules.customersPoints +
            growthPart +
            intensity * rules.negativityPoints +
            detractorPart +
            channelPart),
      ),
    ),
    reasons,
  };
}

function business(
  week: IrritantWeek,
  rules: ScoringProfile['business'],
  folded: readonly string[],
  reach: number,
): AxisScore {
  const reasons: Reason[] = [];
  // The category's weight (the stage it blocks) and a broken promise count per people hurt:
  // a heavy category cannot lift an irritant of one customer above one of fifty. What
  // monitors and revenue say stands as it is (the revenue at risk is people already).
  let weight = 0;
  let score = 0;
  const journey = rules.journeyStages[week.category];
  if (journey) {
    weight += journey.points;
    reasons.push(
      reason('business.journey', {
        category: week.category,
        stage: journey.stage,
        ...(journey.stageFr ? { stageFr: journey.stageFr } : {}),
      }),
    );
  }
  const promised = matches(rules.promiseBroken, folded);
  if (promised > 0) {
    weight += rules.promiseBroken.points;
    reasons.push(reason('business.promise', { verbatims: promised, ...ruleNames(rules.promiseBroken) }));
  }
  if (weight > 0) {
    score += weight * reach;
    if (reach < 1)
      reasons.push(
        reason('business.reach', { customers: week.customers, factor: Math.round(reach * 100) / 100 }),
      );
  }
  for (const monitor of week.monitors.filter((one) => one.failing)) {
    score += rules.pointsPerFailingJourney;
    reasons.push(reason('business.failing_journey', { monitor: monitor.name }));
  }
  const atRisk = week.customers * rules.averageBasketEuros;
  if (atRisk > 0) {
    score += Math.min(1, Math.log1p(atRisk) / Math.log1p(rules.revenueAtFullEuros)) * rules.revenuePoints;
    reasons.push(
      reason('business.revenue', {
        euros: Math.round(atRisk),
        customers: week.customers,
        basket: rules.averageBasketEuros,
      }),
    );
  }
  return { score: round1(clamp(score)), reasons };
}

function legal(week: IrritantWeek, rules: ScoringProfile['legal'], folded: readonly string[]): AxisScore {
  const reasons: Reason[] = [];
  let score = rules.categories[week.category] ?? 0;
  if (score > 0) {
    const label = week.categoryLabel;
    reasons.push(
      reason('legal.category', {
        category: week.category,
        ...(label ? { label: label.en, labelFr: label.fr } : {}),
      }),
    );
  }
  for (const rule of rules.keywords) {
    const n = matches(rule, folded);
    if (n === 0) continue;
    score += rule.points;
    reasons.push(reason('legal.keyword', { verbatims: n, ...ruleNames(rule) }));
  }
  return { score: round1(clamp(score)), reasons };
}

function technical(
  week: IrritantWeek,
  rules: ScoringProfile['technical'],
  folded: readonly string[],
): AxisScore {
  const reasons: Reason[] = [];
  let score = 0;
  for (const monitor of week.monitors) {
    if (monitor.failing) {
      score += rules.pointsPerFailingMonitor;
      reasons.push(
        reason(monitor.recovered ? 'technical.monitor_recovered' : 'technical.monitor_failing', {
          monitor: monitor.name,
        }),
      );
    } else if (monitor.slow) {
      score += rules.pointsPerSlowMonitor;
      reasons.push(reason('technical.monitor_slow', { monitor: monitor.name }));
    }
  }
  for (const kpi of week.kpis.filter((one) => one.offTarget)) {
    score += rules.pointsPerKpiOffTarget;
    reasons.push(reason('technical.kpi_off_target', { kpi: kpi.name }));
  }
  if (week.terminals.length > 0) {
    score += week.terminals.length * rules.pointsPerTerminal;
    reasons.push(reason('technical.terminals', { terminals: [...week.terminals].sort() }));
  }
  const blocked = matches(rules.blocking, folded);
  if (blocked > 0 && folded.length > 0) {
    const share = blocked / folded.length;
    score += (Math.min(share, rules.blockingShareAtFull) / rules.blockingShareAtFull) * rules.blockingPoints;
    reasons.push(
      reason('technical.blocking', { share: Math.round(share * 100), ...ruleNames(rules.blocking) }),
    );
  } else {
    reasons.push(reason('technical.non_blocking'));
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
    business: business(week, profile.business, folded, reachOf(week.customers, profile.client)),
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
