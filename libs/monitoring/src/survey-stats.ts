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
