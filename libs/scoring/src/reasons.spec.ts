import { DEFAULT_PROFILE, parseScoringProfile } from './profile';
import { REASON_CODES, Reason, describeReason, reason, reasonOf } from './reasons';
import { IrritantWeek, scoreIrritant } from './score';

const week = (overrides: Partial<IrritantWeek> = {}): IrritantWeek => ({
  category: 'payment',
  verbatims: 5,
  customers: 1412,
  previousCustomers: 882,
  previousWeek: '2026-W47',
  channels: ['email', 'chat', 'twitter'],
  terminals: ['ios_app', 'android_app'],
  sentiments: [-0.8, -0.6, 0.1, -0.4],
  texts: [
    'Paiement refusé, impossible de payer',
    'On m’avait promis un remboursement',
    'je saisis la CNIL et mon avocat',
  ],
  detractors: 3,
  monitors: [
    { name: 'Paris-Lille booking', failing: true, slow: false },
    { name: 'Home page', failing: false, slow: true },
  ],
  kpis: [{ name: 'Error rate', offTarget: true }],
  categoryLabel: { en: 'Payment', fr: 'Paiement' },
  ...overrides,
});

const all = (week: IrritantWeek, profile = DEFAULT_PROFILE): Reason[] => {
  const { axes } = scoreIrritant(week, profile);
  return [...axes.client.reasons, ...axes.business.reasons, ...axes.legal.reasons, ...axes.technical.reasons];
};

describe('describeReason', () => {
  it('says every reason of an irritant in French, rule and stage names included', () => {
    const reasons = all(week());
    expect(reasons.map((one) => describeReason(one, 'fr'))).toEqual([
      '1\u202f412 clients sur 3 canaux, +60\u00a0% vs 2026-W47',
      '75\u00a0% des verbatims négatifs (intensité 0,45)',
      '3 détracteurs NPS en parlent',
      'bloque le paiement',
      '1 verbatim sur une promesse non tenue',
      'le parcours « Paris-Lille booking » a échoué cette semaine',
      '120\u202f020\u00a0€ en jeu (1\u202f412 clients × panier de 85\u00a0€)',
      '1 verbatim mentionne le RGPD',
      '1 verbatim mentionne un avocat ou un tribunal',
      'sonde « Paris-Lille booking » en échec',
      'sonde « Home page » lente',
      'KPI « Error rate » hors objectif',
      '2 terminaux : app Android, app iOS',
      '33\u00a0% des verbatims disent le client bloqué',
    ]);
    // The English text is carried with the code, and describeReason says it the same way.
    expect(reasons.map((one) => describeReason(one, 'en'))).toEqual(reasons.map((one) => one.text));
    expect(reasons.map((one) => one.text)).toContain('€120,020 at risk (1,412 customers × €85 basket)');
  });

  it('says the other reasons in French too: new irritants, one customer, legal categories, non-blocking', () => {
    const reasons = all(
      week({
        category: 'legal_privacy',
        categoryLabel: { en: 'Legal & privacy', fr: 'Juridique et données personnelles' },
        customers: 1,
        previousCustomers: 0,
        channels: ['email'],
        terminals: [],
        detractors: 1,
        monitors: [],
        kpis: [],
        texts: ['merci'],
      }),
    );
    expect(reasons.map((one) => describeReason(one, 'fr'))).toEqual([
      '1 client sur 1 canal, nouveau vs 2026-W47',
      '75\u00a0% des verbatims négatifs (intensité 0,45)',
      '1 détracteur NPS en parle',
      '85\u00a0€ en jeu (1 client × panier de 85\u00a0€)',
      'catégorie juridique et données personnelles',
      'non bloquant',
    ]);
    expect(reasons.map((one) => one.text)).toEqual([
      '1 customer in 1 channel, new vs 2026-W47',
      '75% of the verbatims negative (intensity 0.45)',
      '1 NPS detractor mentions it',
      '€85 at risk (1 customer × €85 basket)',
      'category legal privacy',
      'non-blocking',
    ]);
  });

  it('has an English and a French text for every code', () => {
    const params: Record<string, string | number | null | string[]> = {
      customers: 2,
      channels: 2,
      growth: -10,
      previousWeek: '2026-W01',
      share: 50,
      intensity: 0.5,
      detractors: 2,
      category: 'payment',
      stage: 'payment',
      verbatims: 2,
      rule: 'a rule',
      monitor: 'm',
      euros: 170,
      basket: 85,
      kpi: 'k',
      terminals: ['mobile_web'],
      text: 'plain',
    };
    for (const code of REASON_CODES) {
      const one = reason(code, params);
      expect({ code, en: one.text.length > 0, fr: describeReason(one, 'fr').length > 0 }).toEqual({
        code,
        en: true,
        fr: true,
      });
      if (code !== 'text')
        expect({ code, same: describeReason(one, 'fr') === one.text }).toEqual({ code, same: false });
    }
  });

  it('reads reasons stored as plain strings (boards frozen before codes) and codes it does not know', () => {
    expect(describeReason('blocks payment', 'fr')).toBe('blocks payment');
    expect(reasonOf('blocks payment')).toEqual({
      code: 'text',
      params: { text: 'blocks payment' },
      text: 'blocks payment',
    });
    const future = { code: 'client.something_new', params: {}, text: 'said in English' } as unknown as Reason;
    expect(describeReason(future, 'fr')).toBe('said in English');
    expect(reasonOf(null).text).toBe('');
  });

  it('uses the English name of a rule that has no French one (a profile written before)', () => {
    const profile = parseScoringProfile({
      ...JSON.parse(JSON.stringify(DEFAULT_PROFILE)),
      legal: { categories: {}, keywords: [{ name: 'strike', pattern: '\\bgreve\\b', points: 10 }] },
      business: {
        ...JSON.parse(JSON.stringify(DEFAULT_PROFILE.business)),
        journeyStages: { payment: { stage: 'checkout', points: 60 } },
      },
    });
    const said = all(week({ texts: ['encore une grève'] }), profile).map((one) => describeReason(one, 'fr'));
    expect(said).toContain('1 verbatim mentionne strike');
    expect(said).toContain('bloque checkout');
  });

  it('refuses a profile whose French names are not strings', () => {
    const bad = JSON.parse(JSON.stringify(DEFAULT_PROFILE)) as {
      business: { journeyStages: Record<string, unknown> };
      legal: { keywords: { nameFr: unknown }[] };
    };
    bad.business.journeyStages.payment = { stage: 'payment', stageFr: 3, points: 60 };
    bad.legal.keywords[0].nameFr = '';
    expect(() => parseScoringProfile(bad)).toThrow(
      /journeyStages\.payment[\s\S]*nameFr|nameFr[\s\S]*journeyStages\.payment/,
    );
  });
});
