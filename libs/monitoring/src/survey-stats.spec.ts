import { customerSatisfaction, netPromoterScore } from './survey-stats';

const counts = (entries: [number, number][]) => new Map(entries);

describe('survey figures', () => {
  it('computes NPS as promoters minus detractors, with its 95% interval', () => {
    // 50 promoters, 30 passives, 20 detractors: NPS 30.
    const nps = netPromoterScore(
      counts([
        [10, 30],
        [9, 20],
        [8, 20],
        [7, 10],
        [6, 10],
        [0, 10],
      ]),
    );
    expect(nps.value).toBe(30);
    expect(nps.n).toBe(100);
    // var = (0.5 + 0.2 - 0.09) / 100 = 0.0061; 1.96 * sqrt(0.0061) = 0.1531
    expect(nps.ci95).toBeCloseTo(15.3, 1);
    expect(netPromoterScore(counts([[10, 5]])).value).toBe(100);
    expect(netPromoterScore(counts([[3, 5]])).value).toBe(-100);
    expect(netPromoterScore(new Map())).toEqual({ value: null, n: 0, ci95: null });
    expect(netPromoterScore(counts([[9, 1]])).ci95).toBeNull();
  });

  it('computes CSAT as the share of 4 and 5, with its interval', () => {
    const csat = customerSatisfaction(
      counts([
        [5, 40],
        [4, 40],
        [3, 10],
        [1, 10],
      ]),
    );
    expect(csat.value).toBe(80);
    // 1.96 * sqrt(0.8 * 0.2 / 100) = 0.0784
    expect(csat.ci95).toBeCloseTo(7.8, 1);
  });
});
