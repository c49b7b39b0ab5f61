import { DateTime } from 'luxon';
import { DEFAULT_TAXONOMY } from '@app/nlp';
import type { Axis } from '@app/scoring';
import type { DigestDecision, DigestItem, DigestLang } from './digest-data';

const plural = (n: number, one: string, many: string) => (n > 1 ? many : one);

/** The shipped KPIs' names in French (their English name is the one stored). */
const KPI_NAMES_FR: Record<string, string> = {
  nps: 'NPS',
  csat: 'Satisfaction client (CSAT)',
  error_page_rate: 'Taux de pages d’erreur',
  page_load_time: 'Temps de chargement des pages',
  error_rate: 'Taux d’erreur',
  booking_journey_time: 'Durée d’une réservation',
  journey_availability: 'Disponibilité des parcours (sondes)',
};

const DEPARTMENTS: Record<DigestLang, Record<string, string>> = {
  fr: {
    customer_service: 'Service client',
    marketing: 'Marketing',
    legal: 'Juridique',
    operations: 'Opérations',
    finance: 'Finance',
    product: 'Produit',
  },
  en: {
    customer_service: 'Customer service',
    marketing: 'Marketing',
    legal: 'Legal',
    operations: 'Operations',
    finance: 'Finance',
    product: 'Product',
  },
};

const CHANNELS: Record<DigestLang, Record<string, string>> = {
  fr: {
    email: 'e-mail',
    chat: 'chat',
    chatbot: 'chatbot',
    twitter: 'X / Twitter',
    forum: 'forum',
    facebook: 'Facebook',
    survey: 'enquête',
    phone: 'téléphone',
    other: 'autre',
  },
  en: {
    email: 'e-mail',
    chat: 'chat',
    chatbot: 'chatbot',
    twitter: 'X / Twitter',
    forum: 'forum',
    facebook: 'Facebook',
    survey: 'survey',
    phone: 'phone',
    other: 'other',
  },
};

const categoryLabels = new Map(DEFAULT_TAXONOMY.categories.map((category) => [category.key, category.label]));
/** A department or category key no list knows: shown as words rather than as a key. */
const asWords = (key: string) => key.replace(/_/g, ' ');

const movement = (item: DigestItem, isNew: string) =>
  item.movement === 'new'
    ? isNew
    : item.movement === 'up'
      ? `▲ ${item.rankChange}`
      : item.movement === 'down'
        ? `▼ ${Math.abs(item.rankChange ?? 0)}`
        : '=';

/** Everything the digest writes, in each language. */
export const WORDS = {
  fr: {
    locale: 'fr-FR',
    /** French puts a space before a colon. */
    colon: ' : ',
    quote: (text: string) => `« ${text} »`,
    subject: (week: string) => `LoveBoard · ce que les clients ont vécu en ${week}`,
    intro: (week: string, frozen: boolean) =>
      `Semaine ${week}${frozen ? '' : ' (tableau encore ouvert : envoyé avant son gel)'} : les irritants qui ont le plus touché les clients, et ce que l’équipe propose.`,
    top: 'Les irritants de la semaine',
    customers: (n: number) => `${n.toLocaleString('fr-FR')} ${plural(n, 'client', 'clients')}`,
    verbatims: (n: number) => `${n.toLocaleString('fr-FR')} ${plural(n, 'verbatim', 'verbatims')}`,
    total: 'score',
    axes: { client: 'client', business: 'commercial', legal: 'juridique', technical: 'technique' } as Record<
      Axis,
      string
    >,
    movement: (item: DigestItem) => movement(item, 'nouveau'),
    decision: 'Décision',
    why: 'Pourquoi',
    noDecision: 'à décider',
    kinds: {
      fix: 'corriger',
      small_evolution: 'petite évolution',
      route: 'orienter',
      watch: 'surveiller',
      reject: 'rejeter',
    } as Record<string, string>,
    statuses: {
      todo: 'à faire',
      in_progress: 'en cours',
      fixed: 'corrigé, à déployer',
      deployed: 'en production',
      dropped: 'abandonné',
    } as Record<string, string>,
    ticket: 'ticket',
    release: (release: string) => `version ${release}`,
    decidedIn: (week: string) => `décidé en ${week}`,
    age: (days: number, target: number) => `${Math.floor(days)} j / objectif ${target} j`,
    late: 'en retard',
    answered: 'réponse reçue',
    noAnswer: 'sans réponse',
    decisions: 'Décisions prises cette semaine',
    ongoing: 'Décisions en cours (semaines précédentes)',
    none: 'Aucune.',
    awaiting: 'En attente de votre arbitrage',
    unanswered: 'Orientés, sans réponse du service',
    days: (n: number) => `depuis ${n} j`,
    overdue: 'Tickets au-delà de l’objectif de correction',
    overdueLine: (days: number, target: number) =>
      `${days} j depuis le premier verbatim (objectif ${target} j)`,
    timeToFix: 'Délai de correction (premier verbatim → mise en production)',
    median: (days: number | null, target: number, deployed: number) =>
      days === null
        ? `aucune correction déployée cette semaine (objectif ${target} j)`
        : `médiane ${days.toLocaleString('fr-FR')} j pour ${deployed} ${plural(deployed, 'correction', 'corrections')}, objectif ${target} j`,
    open: 'Ouvrir le tableau de la semaine',
    kpis: 'Indicateurs',
    monitors: 'Parcours clients en échec',
    failing: (from: string, steps: string) => `en échec depuis ${from}${steps ? ` (étape ${steps})` : ''}`,
    recovered: (from: string, to: string | null, steps: string) =>
      `en échec de ${from} à ${to ?? '?'}${steps ? ` (étape ${steps})` : ''}, rétabli depuis`,
    failedRuns: (failed: number, runs: number) =>
      `${failed} ${plural(failed, 'échec', 'échecs')} sur ${runs} ${plural(runs, 'passage', 'passages')}`,
    pinned: 'choisi par l’équipe',
    noKpi: 'Aucune mesure cette semaine.',
    vs: 'vs sem. préc.',
    target: 'objectif',
    kpiName: (key: string, name: string) => KPI_NAMES_FR[key] ?? name,
    category: (key: string) => categoryLabels.get(key)?.fr ?? asWords(key),
    department: (key: string) => DEPARTMENTS.fr[key] ?? asWords(key),
    channel: (key: string) => CHANNELS.fr[key] ?? asWords(key),
    costs: (points: number, ci95: number | null, survey: string) =>
      `coûte ${points.toLocaleString('fr-FR', { minimumFractionDigits: 1, maximumFractionDigits: 1 })} point${Math.abs(points) >= 2 ? 's' : ''} de ${survey}${ci95 !== null ? ` (±${ci95.toLocaleString('fr-FR', { minimumFractionDigits: 1, maximumFractionDigits: 1 })})` : ''}`,
  },
  en: {
    locale: 'en-GB',
    colon: ': ',
    quote: (text: string) => `“${text}”`,
    subject: (week: string) => `LoveBoard · what customers went through in ${week}`,
    intro: (week: string, frozen: boolean) =>
      `Week ${week}${frozen ? '' : ' (board still open: sent before it froze)'}: the irritants that hurt customers most, and what the team proposes.`,
    top: 'Irritants of the week',
    customers: (n: number) => `${n.toLocaleString('en-US')} ${plural(n, 'customer', 'customers')}`,
    verbatims: (n: number) => `${n.toLocaleString('en-US')} ${plural(n, 'verbatim', 'verbatims')}`,
    total: 'score',
    axes: { client: 'client', business: 'business', legal: 'legal', technical: 'technical' } as Record<
      Axis,
      string
    >,
    movement: (item: DigestItem) => movement(item, 'new'),
    decision: 'Decision',
    why: 'Why',
    noDecision: 'to decide',
    kinds: {
      fix: 'fix',
      small_evolution: 'small evolution',
      route: 'route',
      watch: 'watch',
      reject: 'reject',
    } as Record<string, string>,
    statuses: {
      todo: 'to do',
      in_progress: 'in progress',
      fixed: 'fixed, to deploy',
      deployed: 'deployed',
      dropped: 'dropped',
    } as Record<string, string>,
    ticket: 'ticket',
    release: (release: string) => `release ${release}`,
    decidedIn: (week: string) => `decided in ${week}`,
    age: (days: number, target: number) => `${Math.floor(days)} d / target ${target} d`,
    late: 'overdue',
    answered: 'answered',
    noAnswer: 'no answer yet',
    decisions: 'Decisions taken this week',
    ongoing: 'Decisions in progress (earlier weeks)',
    none: 'None.',
    awaiting: 'Awaiting your call',
    unanswered: 'Routed, no answer from the department yet',
    days: (n: number) => `for ${n} d`,
    overdue: 'Tickets past the time-to-fix target',
    overdueLine: (days: number, target: number) => `${days} d since the first verbatim (target ${target} d)`,
    timeToFix: 'Time to fix (first verbatim → deployed)',
    median: (days: number | null, target: number, deployed: number) =>
      days === null
        ? `no fix deployed this week (target ${target} d)`
        : `median ${days} d over ${deployed} ${plural(deployed, 'fix', 'fixes')}, target ${target} d`,
    open: 'Open the board of the week',
    kpis: 'Headline KPIs',
    monitors: 'Customer journeys that failed',
    failing: (from: string, steps: string) => `failing since ${from}${steps ? ` (step ${steps})` : ''}`,
    recovered: (from: string, to: string | null, steps: string) =>
      `failed from ${from} to ${to ?? '?'}${steps ? ` (step ${steps})` : ''}, recovered since`,
    failedRuns: (failed: number, runs: number) =>
      `${failed} failed of ${runs} ${plural(runs, 'run', 'runs')}`,
    pinned: 'picked by the team',
    noKpi: 'No measure this week.',
    vs: 'vs last week',
    target: 'target',
    kpiName: (_key: string, name: string) => name,
    category: (key: string) => categoryLabels.get(key)?.en ?? asWords(key),
    department: (key: string) => DEPARTMENTS.en[key] ?? asWords(key),
    channel: (key: string) => CHANNELS.en[key] ?? asWords(key),
    costs: (points: number, ci95: number | null, survey: string) =>
      `costs ${points.toFixed(1)} ${survey} point${points === 1 ? '' : 's'}${ci95 !== null ? ` (±${ci95.toFixed(1)})` : ''}`,
  },
};

export type Words = (typeof WORDS)[DigestLang];

/** An instant as people of that language read it, in the company's time zone. */
export function when(iso: string, zone: string, lang: DigestLang): string {
  return DateTime.fromISO(iso, { zone }).setLocale(WORDS[lang].locale).toFormat('ccc d LLL HH:mm');
}

/** A decision in words: what, for whom, and where its work stands against its target. */
export function decisionLine(decision: DigestDecision, lang: DigestLang): { text: string; late: boolean } {
  const w = WORDS[lang];
  const parts = [
    `${w.kinds[decision.kind] ?? decision.kind}${decision.department ? ` → ${w.department(decision.department)}` : ''}${decision.owner ? ` (${decision.owner})` : ''}`,
  ];
  if (decision.ticket) {
    parts.push(
      `${w.ticket} ${w.statuses[decision.ticket.status] ?? decision.ticket.status}${decision.ticket.release ? `, ${w.release(decision.ticket.release)}` : decision.targetRelease ? `, ${w.release(decision.targetRelease)}` : ''}`,
    );
  } else if (decision.kind === 'route') {
    parts.push(decision.answer !== null ? w.answered : w.noAnswer);
  }
  if (decision.ageDays !== null && decision.targetDays !== null && decision.ticket?.status !== 'deployed')
    parts.push(w.age(decision.ageDays, decision.targetDays));
  if (decision.carried) parts.push(w.decidedIn(decision.decidedWeek));
  if (decision.overdue) parts.push(w.late.toUpperCase());
  return { text: parts.join(' · '), late: decision.overdue };
}
