/** ln Γ(x) for x > 0 (Lanczos, g = 7, 9 terms: about 15 significant digits). */
function lnGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  const y = x - 1;
  let a = c[0];
  const t = y + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (y + i);
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(a);
}

/**
 * P(X >= k) for X ~ Poisson(lambda): summed from k upwards in log space when k is in the upper
 * tail (no cancellation, exact down to 1e-300), else 1 minus the lower sum.
 */
export function poissonUpperTail(k: number, lambda: number): number {
  if (k <= 0) return 1;
  if (lambda <= 0) return 0;
  const logTerm = (i: number) => -lambda + i * Math.log(lambda) - lnGamma(i + 1);
  if (k > lambda) {
    let term = Math.exp(logTerm(k));
    let sum = 0;
    for (let i = k; term > 0 && i < k + 10_000;) {
      sum += term;
      i++;
      term *= lambda / i;
      if (term < sum * 1e-17) break;
    }
    return Math.min(1, sum);
  }
  let lower = 0;
  for (let i = 0; i < k; i++) lower += Math.exp(logTerm(i));
  return Math.max(0, Math.min(1, 1 - lower));
}

export interface JumpTest {
  observed: number;
  expected: number;
  pValue: number;
  ratio: number;
  jumped: boolean;
}

/**
 * Whether `observed` distinct customers are a jump over a baseline that expected `expected`: at
 * least `minCustomers`, at least `minRatio` times the expectation, and improbable under it
 * (Poisson upper tail below `pValue`). All three, so that neither a small irritant's noise nor a
 * big one's ordinary busy hour alerts.
 */
export function jumpTest(
  observed: number,
  expected: number,
  thresholds: { minCustomers: number; pValue: number; minRatio: number },
): JumpTest {
  const pValue = poissonUpperTail(observed, expected);
  const ratio = expected > 0 ? observed / expected : Number.POSITIVE_INFINITY;
  return {
    observed,
    expected,
    pValue,
    ratio,
    jumped: observed >= thresholds.minCustomers && ratio >= thresholds.minRatio && pValue < thresholds.pValue,
  };
}
