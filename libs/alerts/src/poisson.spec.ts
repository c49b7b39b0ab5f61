import { jumpTest, poissonUpperTail } from './poisson';

describe('Poisson upper tail', () => {
  it('matches exact sums of the probability mass', () => {
    const exact = (k: number, lambda: number) => {
      let lower = 0;
      let term = Math.exp(-lambda);
      for (let i = 0; i < k; i++) {
        lower += term;
        term *= lambda / (i + 1);
      }
      return 1 - lower;
    };
    for (const [k, lambda] of [
      [1, 0.5],
      [3, 2],
      [5, 5],
      [10, 4],
      [12, 3.5],
      [30, 20],
    ]) {
      expect(poissonUpperTail(k, lambda)).toBeCloseTo(exact(k, lambda), 12);
    }
  });

  it('is right far in the tail, where 1 minus a sum would round to 0', () => {
    // P(X >= 20 | 0.5): the first term dominates, e^-0.5 0.5^20 / 20! ≈ 2.39e-25.
    const p = poissonUpperTail(20, 0.5);
    expect(p).toBeGreaterThan(2.3e-25);
    expect(p).toBeLessThan(2.5e-25);
    expect(poissonUpperTail(0, 3)).toBe(1);
    expect(poissonUpperTail(3, 0)).toBe(0);
  });
});

describe('jump test', () => {
  const thresholds = { minCustomers: 5, pValue: 1e-4, minRatio: 3 };

  it('needs the minimum count, the ratio and the improbability, all three', () => {
    // 30 customers in an hour where 0.5 were expected: a jump.
    expect(jumpTest(30, 0.5, thresholds).jumped).toBe(true);
    // 4 where 0.02 were expected: improbable, but under the minimum.
    expect(jumpTest(4, 0.02, thresholds).jumped).toBe(false);
    // 60 where 40 were expected: improbable enough? No, and not 3 times.
    expect(jumpTest(60, 40, thresholds).jumped).toBe(false);
    // 9 where 3 were expected: 3 times, but P(X >= 9 | 3) ≈ 0.0038, ordinary.
    expect(jumpTest(9, 3, thresholds).jumped).toBe(false);
    expect(jumpTest(9, 3, thresholds).pValue).toBeCloseTo(0.0038, 4);
  });
});
