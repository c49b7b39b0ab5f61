import { DEFAULT_PROFILE, ScoringProfileError, parseScoringProfile } from './profile';
import { AxisScore, IrritantWeek, scoreIrritant } from './score';
import { freezeTime, isIsoWeek, isoWeekOf, previousWeek, weekBounds } from './iso-week';

const week = (overrides: Partial<IrritantWeek> = {}): IrritantWeek => ({
  category: 'payment',
  verbatims: 500,
  customers: 412,
  previousCustomers: 257,
  previousWeek: '2026-W47',
  channels: ['email', 'chat', 'twitter'],
  terminals: [],
  sentiments: [-0.8, -0.6, 0.1, -0.4],
  texts: ['Paiement refusé au 3-D Secure', 'payment declined again'],
  detractors: 0,
  monitors: [],
  kpis: [],
  ...overrides,
});

/** An axis as text: its score and its reasons' English texts. */
const said = ({ score, reasons }: AxisScore) => ({ score, reasons: reasons.map((one) => one.text) });

describe('scoreIrritant', () => {
  it('explains the client axis in words: customers, channels and growth vs the previous week', () => {
    const score = scoreIrritant(week(), DEFAULT_PROFILE);
    expect(said(score.axes.client).reasons[0]).toBe('412 customers in 3 channels, +60% vs 2026-W47');
    expect(said(score.axes.client).reasons[1]).toBe('75% of the verbatims negative (intensity 0.45)');
    expect(score.axes.client.score).toBeGreaterThan(60);
    expect(score.axes.client.score).toBeLessThanOrEqual(100);
  });

  it('scores more customers and faster growth higher', () => {
    const few = scoreIrritant(week({ customers: 10, previousCustomers: 10 }), DEFAULT_PROFILE).axes.client
      .score;
    const many = scoreIrritant(week({ customers: 400, previousCustomers: 10 }), DEFAULT_PROFILE).axes.client
      .score;
    expect(many).toBeGreaterThan(few);
    const fresh = scoreIrritant(week({ previousCustomers: 0 }), DEFAULT_PROFILE);
    expect(said(fresh.axes.client).reasons[0]).toBe('412 customers in 3 channels, new vs 2026-W47');
  });

  it('names the blocked journey stage, a broken promise and the revenue at risk', () => {
    const score = scoreIrritant(
      week({ customers: 100, texts: ['On m’avait promis un remboursement, toujours pas reçu', 'refusé'] }),
      DEFAULT_PROFILE,
    );
    expect(said(score.axes.business).reasons).toEqual([
      'blocks payment',
      '1 verbatim about a promise broken',
      'weighed by the people hurt: 100 customers, ×0.74',
      '€8,500 at risk (100 customers × €85 basket)',
    ]);
  });

  it('counts a failing linked journey on the business axis too: customers cannot buy through it', () => {
    const score = scoreIrritant(
      week({ customers: 100, monitors: [{ name: 'Paris-Lille booking', failing: true, slow: false }] }),
      DEFAULT_PROFILE,
    );
    expect(said(score.axes.business).reasons).toContain('the journey "Paris-Lille booking" failed this week');
    const healthy = scoreIrritant(week({ customers: 100 }), DEFAULT_PROFILE);
    expect(score.axes.business.score).toBeGreaterThan(healthy.axes.business.score);
  });

  it('finds legal words in French and English, accents or not', () => {
    const score = scoreIrritant(
      week({
        category: 'refund_exchange',
        texts: [
          'Je vais saisir mon avocat et la DGCCRF',
          'You are breaking GDPR with my personal data',
          'le RGPD vous oblige',
          'nothing legal here',
        ],
      }),
      DEFAULT_PROFILE,
    );
    expect(said(score.axes.legal).reasons).toEqual([
      '2 verbatims mention GDPR / RGPD',
      '1 verbatim mentions a lawyer or a court',
      '1 verbatim mentions consumer and refund rights',
    ]);
    expect(score.axes.legal.score).toBe(100);
    expect(
      said(scoreIrritant(week({ category: 'accessibility', texts: ['rien'] }), DEFAULT_PROFILE).axes.legal),
    ).toEqual({
      score: 40,
      reasons: ['category accessibility'],
    });
  });

  it('counts failing monitors, KPIs off target, terminals and blocking verbatims on the technical axis', () => {
    const score = scoreIrritant(
      week({
        monitors: [
          { name: 'Paris-Lille booking', failing: true, slow: false },
          { name: 'Home page', failing: false, slow: true },
        ],
        kpis: [{ name: 'Error rate', offTarget: true }],
        terminals: ['ios_app', 'android_app'],
        texts: ['impossible de payer', 'ça plante', 'merci'],
      }),
      DEFAULT_PROFILE,
    );
    expect(said(score.axes.technical).reasons).toEqual([
      'monitor "Paris-Lille booking" failing',
      'monitor "Home page" slow',
      'KPI "Error rate" off target',
      '2 terminals: android app, ios app',
      '67% of the verbatims say the customer is blocked',
    ]);
    expect(score.axes.technical.score).toBe(100);
    expect(said(scoreIrritant(week({ texts: ['merci'] }), DEFAULT_PROFILE).axes.technical)).toEqual({
      score: 0,
      reasons: ['non-blocking'],
    });
  });

  it('weighs the axes into a total, and gives the same scores for the same week', () => {
    const score = scoreIrritant(week(), DEFAULT_PROFILE);
    const { weights } = DEFAULT_PROFILE;
    const expected =
      (score.axes.client.score * weights.client +
        score.axes.business.score * weights.business +
        score.axes.legal.score * weights.legal +
        score.axes.technical.score * weights.technical) /
      (weights.client + weights.business + weights.legal + weights.technical);
    expect(score.total).toBeCloseTo(expected, 0);
    expect(scoreIrritant(week(), DEFAULT_PROFILE)).toEqual(score);
  });
});

describe('ranking by people hurt', () => {
  const total = (overrides: Partial<IrritantWeek>) => scoreIrritant(week(overrides), DEFAULT_PROFILE).total;
  /** Fifty customers, and nothing else going for them: a light category, no growth, neutral words. */
  const fifty = week({
    category: 'customer_service',
    customers: 50,
    verbatims: 50,
    previousCustomers: 80,
    channels: ['email'],
    sentiments: Array.from({ length: 50 }, () => 0),
    texts: ['le service client ne répond pas au téléphone'],
  });

  it('never lifts one customer above fifty through the category, the words or the anger, without a legal or technical reason', () => {
    const floor = scoreIrritant(fifty, DEFAULT_PROFILE);
    expect(floor.axes.legal.score).toBe(0);
    expect(floor.axes.technical.score).toBe(0);
    let highest = 0;
    for (const category of Object.keys(DEFAULT_PROFILE.business.journeyStages))
      for (const texts of [['merci'], ['On m’avait promis un remboursement, toujours pas reçu']])
        for (const channels of [['email'], ['email', 'chat', 'twitter', 'forum']])
          for (const detractors of [0, 1, 20])
            for (const previousCustomers of [0, 1])
              for (const sentiments of [[-1], [-1, -1, -1, -1], [0.5]]) {
                const one = scoreIrritant(
                  week({
                    category,
                    texts,
                    channels,
                    detractors,
                    previousCustomers,
                    sentiments,
                    customers: 1,
                    verbatims: 4,
                  }),
                  DEFAULT_PROFILE,
                );
                expect(one.axes.legal.score).toBe(0);
                expect(one.axes.technical.score).toBe(0);
                highest = Math.max(highest, one.total);
              }
    expect(highest).toBeLessThan(floor.total);
    // Blocking words and terminals (technical reasons, said) do not make up for 49 people either.
    expect(
      total({
        customers: 1,
        verbatims: 1,
        texts: ['impossible de payer'],
        terminals: ['ios_app', 'android_app'],
      }),
    ).toBeLessThan(floor.total);
  });

  it('ranks a clear 116-customer irritant above a mixed 12-customer one in a heavy category', () => {
    const mixed = total({
      category: 'payment',
      customers: 12,
      verbatims: 14,
      previousCustomers: 9,
      channels: ['email', 'chat'],
      sentiments: [-0.6, 0.3, -0.2, 0.4, 0, -0.5, 0.2, 0.1, -0.3, 0.5, 0, -0.1, 0.2, 0.3],
      texts: ['paiement refusé, on m’avait promis que ça marcherait', 'paiement ok finalement'],
    });
    const clear = total({
      category: 'prices_fares',
      customers: 116,
      verbatims: 130,
      previousCustomers: 110,
      channels: ['email', 'twitter'],
      sentiments: Array.from({ length: 130 }, () => -0.7),
      texts: ['le prix a doublé entre la recherche et le panier'],
    });
    expect(clear).toBeGreaterThan(mixed);
  });

  it('lets a legal reason lift one customer above fifty, and says it', () => {
    const lawyer = scoreIrritant(
      week({
        category: 'payment',
        customers: 1,
        verbatims: 1,
        texts: ['je saisis mon avocat et la CNIL (RGPD)'],
      }),
      DEFAULT_PROFILE,
    );
    expect(lawyer.total).toBeGreaterThan(scoreIrritant(fifty, DEFAULT_PROFILE).total);
    expect(said(lawyer.axes.legal).reasons).toEqual([
      '1 verbatim mentions GDPR / RGPD',
      '1 verbatim mentions a lawyer or a court',
    ]);
  });

  it('lets a failing monitor lift one customer above fifty, and says it', () => {
    const failing = scoreIrritant(
      week({
        customers: 1,
        verbatims: 1,
        monitors: [{ name: 'Checkout', failing: true, slow: false }],
        kpis: [{ name: 'Error rate', offTarget: true }],
      }),
      DEFAULT_PROFILE,
    );
    expect(failing.total).toBeGreaterThan(scoreIrritant(fifty, DEFAULT_PROFILE).total);
    expect(said(failing.axes.technical).reasons).toContain('monitor "Checkout" failing');
  });

  it('scales the category weight with the people hurt, and says by how much', () => {
    const one = scoreIrritant(week({ customers: 1, texts: ['merci'] }), DEFAULT_PROFILE).axes.business;
    const many = scoreIrritant(week({ customers: 500, texts: ['merci'] }), DEFAULT_PROFILE).axes.business;
    expect(said(one).reasons).toContain('weighed by the people hurt: 1 customer, ×0.11');
    expect(said(many).reasons).not.toContainEqual(expect.stringMatching(/^weighed/));
    expect(many.score).toBeGreaterThan(one.score + 50);
  });

  it('leads the client axis by customers, then their trend', () => {
    const client = (overrides: Partial<IrritantWeek>) =>
      scoreIrritant(week(overrides), DEFAULT_PROFILE).axes.client.score;
    const angryFew = client({ customers: 3, previousCustomers: 1, sentiments: [-1, -1, -1], detractors: 5 });
    const calmMany = client({ customers: 60, previousCustomers: 60, sentiments: [0], channels: ['email'] });
    expect(calmMany).toBeGreaterThan(angryFew);
    expect(client({ customers: 60, previousCustomers: 30 })).toBeGreaterThan(
      client({ customers: 60, previousCustomers: 60 }),
    );
  });
});

describe('parseScoringProfile', () => {
  it('names every problem of a bad profile', () => {
    const bad = JSON.parse(JSON.stringify(DEFAULT_PROFILE)) as {
      weights: { client: number };
      legal: { keywords: { pattern: string }[] };
      business: { journeyStages: Record<string, unknown> };
    };
    bad.weights.client = 3;
    bad.legal.keywords[0].pattern = '(unclosed';
    bad.business.journeyStages.payment = { stage: 'payment', points: 400 };
    expect(() => parseScoringProfile(bad)).toThrow(ScoringProfileError);
    try {
      parseScoringProfile(bad);
    } catch (error) {
      expect((error as Error).message).toContain('weights.client');
      expect((error as Error).message).toContain('rule "GDPR / RGPD"');
      expect((error as Error).message).toContain('business.journeyStages.payment');
    }
    expect(() => parseScoringProfile('nope')).toThrow('a profile is a JSON object');
  });
});

describe('ISO weeks in a time zone', () => {
  it('starts weeks on Monday 00:00 Paris time', () => {
    // Sunday 23:30 UTC in winter is Monday 00:30 in Paris: already the next week.
    expect(isoWeekOf(new Date('2026-11-29T23:30:00Z'), 'Europe/Paris')).toBe('2026-W49');
    expect(isoWeekOf(new Date('2026-11-29T23:30:00Z'), 'UTC')).toBe('2026-W48');
    expect(weekBounds('2026-W48', 'Europe/Paris')).toEqual({
      start: new Date('2026-11-22T23:00:00Z'),
      end: new Date('2026-11-29T23:00:00Z'),
    });
  });

  it('knows years of 53 weeks and the week before the first', () => {
    expect(isIsoWeek('2026-W53')).toBe(true);
    expect(isIsoWeek('2027-W53')).toBe(false);
    expect(isIsoWeek('2026-W00')).toBe(false);
    expect(isIsoWeek('2026-48')).toBe(false);
    expect(previousWeek('2027-W01', 'Europe/Paris')).toBe('2026-W53');
  });

  it('freezes a week on the Monday after, at the configured local time, summer or winter', () => {
    expect(freezeTime('2026-W48', 'Europe/Paris', '08:00')).toEqual(new Date('2026-11-30T07:00:00Z'));
    expect(freezeTime('2026-W26', 'Europe/Paris', '08:00')).toEqual(new Date('2026-06-29T06:00:00Z'));
  });
});
