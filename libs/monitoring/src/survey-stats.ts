/** A survey figure for a week: its value, how many answers, and its 95% confidence interval. */
export interface SurveyFigure {
  value: number | null;
  n: number;
  /** Half-width of the 95% interval (value ± ci95); null below two answers. */
  ci95: number | null;
}

const Z95 = 1.959964;
const round1 = (value: number) => Math.round(value * 10) / 10;

/**
 * Net Promoter Score of answers 0-10: % promoters (9-10) minus % detractors (0-6), -100..100. Its
 * variance is that of the difference of two proportions of one sample:
 * (p + d - (p - d)²) / n, on the 0-1 scale.
 */
export function netPromoterScore(counts: ReadonlyMap<number, number>): SurveyFigure {
  let n = 0;
  let promoters = 0;
  let detractors = 0;
  for (const [score, count] of counts) {
    n += count;
    if (score >= 9) promoters += count;
    else if (score <= 6) detractors += count;
  }
  if (n === 0) return { value: null, n: 0, ci95: null };
  const p = promoters / n;
  const d = detractors / n;
  const variance = (p + d - (p - d) ** 2) / n;
  return { value: round1((p - d) * 100), n, ci95: n < 2 ? null : round1(Z95 * Math.sqrt(variance) * 100) };
}

/** CSAT of answers 1-5: the % of satisfied answers (4 and 5), with the normal interval of a proportion. */
export function customerSatisfaction(counts: ReadonlyMap<number, number>): SurveyFigure {
  let n = 0;
  let satisfied = 0;
  for (const [score, count] of counts) {
    n += count;
    if (score >= 4) satisfied += count;
  }
  if (n === 0) return { value: null, n: 0, ci95: null };
  const p = satisfied / n;
  return { value: round1(p * 100), n, ci95: n < 2 ? null : round1(Z95 * Math.sqrt((p * (1 - p)) / n) * 100) };
}

/** Answers of a survey by class: NPS promoters (9-10), passives, detractors (0-6); CSAT satisfied (4-5) or not. */
export interface SurveyCounts {
  n: number;
  /** NPS promoters, or CSAT satisfied answers. */
  good: number;
  /** NPS detractors (0 for CSAT: an unsatisfied answer counts 0, not -1). */
  bad: number;
}

export interface SurveyImpact {
  /** Points the score would gain without the customers who mention the irritant (negative: it would lose). */
  points: number;
  /** Half-width of the 95% interval of `points`; null below two mentioning answers or two others. */
  ci95: number | null;
  /** The score over every answer of the window, and without the mentioning customers' answers. */
  overall: number;
  without: number;
  /** Answers of the window, and those of the customers who mention the irritant. */
  answers: number;
  mentioning: number;
}

/** Mean and variance of one answer's value (+1, 0, -1 for NPS; 1, 0 for CSAT) in a group. */
function moments(counts: SurveyCounts): { mean: number; variance: number } {
  const p = counts.good / counts.n;
  const d = counts.bad / counts.n;
  return { mean: p - d, variance: p + d - (p - d) ** 2 };
}

/**
 * What an irritant costs a survey score: the score without the answers of the customers who
 * mention it, minus the score over all answers. With `m` of `n` answers mentioning it (share
 * s = m / n), that is s × (mean of the others − mean of the mentioning) = s × D. Its 95% interval
 * is the delta method's, counting both what is uncertain: the two groups' means (independent
 * samples) and the share itself (a binomial proportion):
 * 1.96 × √(s² × (var_others / (n − m) + var_mentioning / m) + D² × s(1 − s) / n). On the 0-100 scale.
 */
export function surveyImpact(all: SurveyCounts, mentioning: SurveyCounts): SurveyImpact | null {
  if (mentioning.n === 0 || all.n === 0 || mentioning.n > all.n) return null;
  const rest: SurveyCounts = {
    n: all.n - mentioning.n,
    good: all.good - mentioning.good,
    bad: all.bad - mentioning.bad,
  };
  const overall = moments(all).mean;
  if (rest.n === 0) {
    // Everyone who answered mentions it: there is no score without them.
    return null;
  }
  const others = moments(rest);
  const them = moments(mentioning);
  const share = mentioning.n / all.n;
  const gap = others.mean - them.mean;
  const points = share * gap;
  const ci95 =
    mentioning.n < 2 || rest.n < 2
      ? null
      : Z95 *
        Math.sqrt(
          share ** 2 * (others.variance / rest.n + them.variance / mentioning.n) +
            (gap ** 2 * share * (1 - share)) / all.n,
        );
  return {
    points: round1(points * 100),
    ci95: ci95 === null ? null : round1(ci95 * 100),
    overall: round1(overall * 100),
    without: round1(others.mean * 100),
    answers: all.n,
    mentioning: mentioning.n,
  };
}
