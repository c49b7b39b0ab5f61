import { surveyImpact } from './survey-stats';

/** A seeded generator (mulberry32): the check below is the same at every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('survey impact of an irritant', () => {
  it('is the score without the mentioning answers minus the score with them', () => {
    // 200 answers: 100 promoters, 50 passives, 50 detractors (NPS 25). 30 mention the irritant:
    // 2 promoters, 4 passives, 24 detractors. Without them: 98 promoters, 26 detractors of 170.
    const impact = surveyImpact({ n: 200, good: 100, bad: 50 }, { n: 30, good: 2, bad: 24 });
    expect(impact).not.toBeNull();
    expect(impact?.overall).toBe(25);
    expect(impact?.without).toBeCloseTo(((98 - 26) / 170) * 100, 1);
    expect(impact?.points).toBeCloseTo(((98 - 26) / 170) * 100 - 25, 1);
    expect(impact?.answers).toBe(200);
    expect(impact?.mentioning).toBe(30);
    expect(impact?.ci95).toBeGreaterThan(0);
  });

  it('says nothing when nobody mentions it or everybody does, and no interval from one answer', () => {
    expect(surveyImpact({ n: 10, good: 5, bad: 2 }, { n: 0, good: 0, bad: 0 })).toBeNull();
    expect(surveyImpact({ n: 10, good: 5, bad: 2 }, { n: 10, good: 5, bad: 2 })).toBeNull();
    const one = surveyImpact({ n: 10, good: 5, bad: 2 }, { n: 1, good: 0, bad: 1 });
    expect(one?.ci95).toBeNull();
    expect(one?.points).toBeCloseTo(((5 - 1) / 9) * 100 - 30, 1);
  });

  it('a CSAT impact counts unsatisfied answers as 0, not -1', () => {
    // 100 answers, 80 satisfied (CSAT 80); the 20 who mention it: 5 satisfied.
    const impact = surveyImpact({ n: 100, good: 80, bad: 0 }, { n: 20, good: 5, bad: 0 });
    expect(impact?.overall).toBe(80);
    expect(impact?.without).toBeCloseTo((75 / 80) * 100, 1);
  });

  it('its 95% interval covers the true cost about 95 times in 100 (simulated surveys)', () => {
    // A population where mentioning customers are mostly detractors: draw 2,000 surveys of 300
    // answers and count how often the interval covers the population's own impact.
    const random = seeded(20);
    const share = 0.1;
    const them = { promoter: 0.1, detractor: 0.7 };
    const others = { promoter: 0.5, detractor: 0.15 };
    const truth = share * (others.promoter - others.detractor - (them.promoter - them.detractor)) * 100;
    let covered = 0;
    const runs = 2_000;
    for (let run = 0; run < runs; run++) {
      const all = { n: 0, good: 0, bad: 0 };
      const mentioning = { n: 0, good: 0, bad: 0 };
      for (let i = 0; i < 300; i++) {
        const mentions = random() < share;
        const group = mentions ? them : others;
        const draw = random();
        const good = draw < group.promoter ? 1 : 0;
        const bad = draw >= 1 - group.detractor ? 1 : 0;
        all.n++;
        all.good += good;
        all.bad += bad;
        if (mentions) {
          mentioning.n++;
          mentioning.good += good;
          mentioning.bad += bad;
        }
      }
      const impact = surveyImpact(all, mentioning);
      if (impact?.ci95 != null && Math.abs(impact.points - truth) <= impact.ci95) covered++;
    }
    // The interval conditions on the group sizes; the true impact's share varies a little too.
    expect(covered / runs).toBeGreaterThan(0.9);
    expect(covered / runs).toBeLessThan(0.99);
  });
});
