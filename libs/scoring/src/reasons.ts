/**
 * Why an axis scored what it did, as data: a stable code, the figures and names that fill it, and
 * the English text for clients that only read text. `describeReason` says it in French or English;
 * a reason carries every name it needs (the rule's, the journey stage's, in both languages), so a
 * frozen board reads the same after the profile has changed.
 */

export const LANGUAGES = ['en', 'fr'] as const;
export type Language = (typeof LANGUAGES)[number];

export const REASON_CODES = [
  /** {customers, channels, growth: % vs previous week or null when new, previousWeek} */
  'client.customers',
  /** {share: % of the week's verbatims negative, intensity: 0..1} */
  'client.negative',
  /** {detractors} */
  'client.detractors',
  /** {survey: NPS or CSAT, points the score would gain without the customers who mention it, ci95} */
  'client.survey_cost',
  /** {category, stage, stageFr?} */
  'business.journey',
  /** {verbatims, rule, ruleFr?} */
  'business.promise',
  /**
   * {customers, factor: 0..1} The category's weight and a broken promise counted in proportion to
   * the people hurt (docs/SCORING.md, "Ranking by people hurt").
   */
  'business.reach',
  /** {monitor} */
  'business.failing_journey',
  /** {euros, customers, basket} */
  'business.revenue',
  /** {category, label?, labelFr?} */
  'legal.category',
  /** {verbatims, rule, ruleFr?} */
  'legal.keyword',
  /** {monitor} */
  'technical.monitor_failing',
  /** {monitor}: it failed during the week and passed again since. */
  'technical.monitor_recovered',
  /** {monitor} */
  'technical.monitor_slow',
  /** {kpi} */
  'technical.kpi_off_target',
  /** {terminals: terminal keys} */
  'technical.terminals',
  /** {share: % of the week's verbatims, rule, ruleFr?} */
  'technical.blocking',
  /** {} */
  'technical.non_blocking',
  /** {text}: a reason stored as plain English text (boards frozen before reasons had codes). */
  'text',
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

export type ReasonParam = string | number | null | readonly string[];

export interface Reason {
  code: ReasonCode;
  params: Readonly<Record<string, ReasonParam>>;
  /** The English text. */
  text: string;
}

const TERMINAL_NAMES: Record<string, { en: string; fr: string }> = {
  desktop_web: { en: 'desktop web', fr: 'web ordinateur' },
  mobile_web: { en: 'mobile web', fr: 'web mobile' },
  ios_app: { en: 'ios app', fr: 'app iOS' },
  android_app: { en: 'android app', fr: 'app Android' },
};

const LOCALE: Record<Language, string> = { en: 'en-US', fr: 'fr-FR' };

const num = (value: ReasonParam, lang: Language, digits = 0): string =>
  Number(value ?? 0).toLocaleString(LOCALE[lang], {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
/** French sets a (no-break) space before %; English does not. */
const percent = (value: ReasonParam, lang: Language): string =>
  lang === 'fr' ? `${num(value, lang)}\u00a0%` : `${num(value, lang)}%`;
const plural = (n: ReasonParam, lang: Language, one: string, many = `${one}s`): string =>
  `${num(n, lang)} ${Number(n) === 1 || (lang === 'fr' && Number(n) === 0) ? one : many}`;
const str = (value: ReasonParam): string => (typeof value === 'string' ? value : String(value ?? ''));
/** The French name when the profile gave one, else the English one. */
const named = (params: Reason['params'], key: string, lang: Language): string =>
  lang === 'fr' && typeof params[`${key}Fr`] === 'string' ? str(params[`${key}Fr`]) : str(params[key]);
const terminals = (value: ReasonParam, lang: Language): string =>
  (Array.isArray(value) ? [...(value as string[])] : [])
    .sort()
    .map((key) => TERMINAL_NAMES[key]?.[lang] ?? key.replace(/_/g, ' '))
    .join(', ');

function english(code: ReasonCode, p: Reason['params']): string | null {
  switch (code) {
    case 'client.customers': {
      const trend =
        p.growth === null || p.growth === undefined
          ? `new vs ${str(p.previousWeek)}`
          : `${Number(p.growth) >= 0 ? '+' : ''}${num(p.growth, 'en')}% vs ${str(p.previousWeek)}`;
      return `${plural(p.customers, 'en', 'customer')} in ${plural(p.channels, 'en', 'channel')}, ${trend}`;
    }
    case 'client.negative':
      return `${num(p.share, 'en')}% of the verbatims negative (intensity ${num(p.intensity, 'en', 2)})`;
    case 'client.detractors':
      return `${plural(p.detractors, 'en', 'NPS detractor')} ${Number(p.detractors) === 1 ? 'mentions' : 'mention'} it`;
    case 'client.survey_cost':
      return `costs ${num(p.points, 'en', 1)} ${str(p.survey)} points${p.ci95 === null || p.ci95 === undefined ? '' : ` (±${num(p.ci95, 'en', 1)})`}`;
    case 'business.journey':
      return `blocks ${str(p.stage)}`;
    case 'business.promise':
      return `${plural(p.verbatims, 'en', 'verbatim')} about ${str(p.rule)}`;
    case 'business.reach':
      return `weighed by the people hurt: ${plural(p.customers, 'en', 'customer')}, ×${num(p.factor, 'en', 2)}`;
    case 'business.failing_journey':
      return `the journey "${str(p.monitor)}" failed this week`;
    case 'business.revenue':
      return `€${num(p.euros, 'en')} at risk (${plural(p.customers, 'en', 'customer')} × €${num(p.basket, 'en')} basket)`;
    case 'legal.category':
      return `category ${str(p.category).replace(/_/g, ' ')}`;
    case 'legal.keyword':
      return `${plural(p.verbatims, 'en', 'verbatim')} ${Number(p.verbatims) === 1 ? 'mentions' : 'mention'} ${str(p.rule)}`;
    case 'technical.monitor_failing':
      return `monitor "${str(p.monitor)}" failing`;
    case 'technical.monitor_recovered':
      return `monitor "${str(p.monitor)}" failed this week, recovered since`;
    case 'technical.monitor_slow':
      return `monitor "${str(p.monitor)}" slow`;
    case 'technical.kpi_off_target':
      return `KPI "${str(p.kpi)}" off target`;
    case 'technical.terminals': {
      const list = Array.isArray(p.terminals) ? p.terminals : [];
      return `${plural(list.length, 'en', 'terminal')}: ${terminals(p.terminals, 'en')}`;
    }
    case 'technical.blocking':
      return `${num(p.share, 'en')}% of the verbatims say the customer is ${str(p.rule)}`;
    case 'technical.non_blocking':
      return 'non-blocking';
    case 'text':
      return str(p.text);
    default:
      return null;
  }
}

function french(code: ReasonCode, p: Reason['params']): string | null {
  switch (code) {
    case 'client.customers': {
      const trend =
        p.growth === null || p.growth === undefined
          ? `nouveau vs ${str(p.previousWeek)}`
          : `${Number(p.growth) >= 0 ? '+' : ''}${percent(p.growth, 'fr')} vs ${str(p.previousWeek)}`;
      return `${plural(p.customers, 'fr', 'client')} sur ${plural(p.channels, 'fr', 'canal', 'canaux')}, ${trend}`;
    }
    case 'client.negative':
      return `${percent(p.share, 'fr')} des verbatims négatifs (intensité ${num(p.intensity, 'fr', 2)})`;
    case 'client.detractors':
      return Number(p.detractors) > 1
        ? `${num(p.detractors, 'fr')} détracteurs NPS en parlent`
        : `${num(p.detractors, 'fr')} détracteur NPS en parle`;
    case 'client.survey_cost':
      return `coûte ${num(p.points, 'fr', 1)} points de ${str(p.survey)}${p.ci95 === null || p.ci95 === undefined ? '' : ` (±${num(p.ci95, 'fr', 1)})`}`;
    case 'business.journey':
      return `bloque ${named(p, 'stage', 'fr')}`;
    case 'business.promise':
      return `${plural(p.verbatims, 'fr', 'verbatim')} sur ${named(p, 'rule', 'fr')}`;
    case 'business.reach':
      return `pondéré par les personnes touchées : ${plural(p.customers, 'fr', 'client')}, ×${num(p.factor, 'fr', 2)}`;
    case 'business.failing_journey':
      return `le parcours « ${str(p.monitor)} » a échoué cette semaine`;
    case 'business.revenue':
      return `${num(p.euros, 'fr')}\u00a0€ en jeu (${plural(p.customers, 'fr', 'client')} × panier de ${num(p.basket, 'fr')}\u00a0€)`;
    case 'legal.category':
      return `catégorie ${typeof p.labelFr === 'string' ? p.labelFr.toLowerCase() : str(p.category).replace(/_/g, ' ')}`;
    case 'legal.keyword':
      return `${plural(p.verbatims, 'fr', 'verbatim')} ${Number(p.verbatims) > 1 ? 'mentionnent' : 'mentionne'} ${named(p, 'rule', 'fr')}`;
    case 'technical.monitor_failing':
      return `sonde « ${str(p.monitor)} » en échec`;
    case 'technical.monitor_recovered':
      return `sonde « ${str(p.monitor)} » en échec cette semaine, rétablie depuis`;
    case 'technical.monitor_slow':
      return `sonde « ${str(p.monitor)} » lente`;
    case 'technical.kpi_off_target':
      return `KPI « ${str(p.kpi)} » hors objectif`;
    case 'technical.terminals': {
      const list = Array.isArray(p.terminals) ? p.terminals : [];
      return `${plural(list.length, 'fr', 'terminal', 'terminaux')} : ${terminals(p.terminals, 'fr')}`;
    }
    case 'technical.blocking':
      return `${percent(p.share, 'fr')} des verbatims disent le client ${named(p, 'rule', 'fr')}`;
    case 'technical.non_blocking':
      return 'non bloquant';
    case 'text':
      return str(p.text);
    default:
      return null;
  }
}

/** A reason from its code and figures, with its English text. */
export function reason(code: ReasonCode, params: Reason['params'] = {}): Reason {
  return { code, params, text: english(code, params) ?? code };
}

/**
 * What a stored reason is, whatever its age: boards frozen before reasons had codes hold plain
 * English strings, which read as `text` reasons.
 */
export function reasonOf(stored: unknown): Reason {
  if (typeof stored === 'string') return { code: 'text', params: { text: stored }, text: stored };
  if (stored && typeof stored === 'object') {
    const { code, params, text } = stored as Partial<Reason>;
    if (typeof code === 'string' && params && typeof params === 'object')
      return { code, params, text: typeof text === 'string' ? text : code };
  }
  return { code: 'text', params: { text: '' }, text: '' };
}

/**
 * A reason in words, in French or English. A plain string (a board frozen before reasons had
 * codes) and a code this version does not know (written by a newer one) read as their English text.
 */
export function describeReason(stored: Reason | string, lang: Language): string {
  const { code, params, text } = reasonOf(stored);
  if (!(REASON_CODES as readonly string[]).includes(code)) return text;
  return (lang === 'fr' ? french(code, params) : english(code, params)) ?? text;
}

/** `fr` or `en` from anything (a query parameter, a recipient's setting); null when neither. */
export function languageOf(value: unknown): Language | null {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value)
    ? (value as Language)
    : null;
}
