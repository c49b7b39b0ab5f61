/**
 * What customers say in the benchmarks and the soak.
 *
 * `realisticTexts` (the benchmarks): real and real-looking customer messages, read in place, varied
 * the way real traffic varies. English: the public sets in ../shared/datasets when present
 * (Banking77, 13,083 real banking queries, CC BY 4.0; Bitext customer support, 6,480 texts,
 * CDLA-Sharing-1.0; UCI Sentiment Labelled Sentences, 3,000 product and restaurant review
 * sentences, CC BY 4.0); French and English: the shipped examples (the classifier's 1,957 and the
 * sentiment model's 183, written for the project) and the demo verbatims (240). Each text drawn
 * (half French, half English) may be greeted, signed, joined to a second message, written in lower
 * or upper case, and carry personal data that redaction must take out (e-mail, phone, order
 * number, card number, IBAN), so that no two verbatims of a run are alike.
 *
 * `FR` / `EN` (the soak): a few templates of complaints (`{n}` takes a booking number).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const FR = [
  'Paiement refusé à l’étape 3-D Secure sur mobile, j’ai essayé trois fois',
  'Je n’ai toujours pas reçu mon e-billet, commande {n}',
  'Remboursement de mon train annulé toujours pas reçu après 3 semaines',
  'Le prix a changé entre la recherche et le paiement, inadmissible',
  'L’appli plante quand je choisis ma place (Android)',
  'Impossible de réserver une place PMR en ligne',
  'Site très lent ce matin, erreur 500 au moment de payer',
];
export const EN = [
  'Payment declined at the 3-D Secure step on my phone',
  'My e-ticket never arrived, booking {n}',
  'Still no refund for my cancelled train after three weeks',
  'The price changed between search and checkout',
  'The app crashes when I pick a seat',
  'Cannot log in, the password reset e-mail never comes',
];

const ROOT = join(__dirname, '..', '..');
const DATASETS = process.env.BENCH_DATASETS ?? join(ROOT, '..', 'shared', 'datasets');

export interface TextPools {
  fr: string[];
  en: string[];
  /** Where the texts came from, with how many each: printed by the benchmarks. */
  origins: Record<string, number>;
}

function readJsonl(path: string): { text: string; lang?: string }[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as { text: string; lang?: string });
}

/** Every base text, by language (read once per process). */
export function textPools(): TextPools {
  const pools: TextPools = { fr: [], en: [], origins: {} };
  const add = (origin: string, rows: { text: string; lang?: string }[], lang?: 'fr' | 'en') => {
    let count = 0;
    for (const row of rows) {
      const language = lang ?? row.lang;
      if ((language !== 'fr' && language !== 'en') || !row.text?.trim()) continue;
      pools[language].push(row.text.trim());
      count++;
    }
    pools.origins[origin] = count;
  };
  add(
    'shipped classifier examples',
    readJsonl(join(ROOT, 'libs', 'nlp', 'src', 'taxonomy', 'training-set.jsonl')),
  );
  add(
    'shipped sentiment examples',
    readJsonl(join(ROOT, 'libs', 'nlp', 'src', 'sentiment', 'training-set.jsonl')),
  );
  add('demo verbatims', readJsonl(join(ROOT, 'apps', 'api', 'demo', 'verbatims.jsonl')));
  for (const [file, origin] of [
    ['banking77_en.jsonl', 'Banking77'],
    ['bitext_customer_support_en.jsonl', 'Bitext customer support'],
    ['sentiment_uci_en.jsonl', 'UCI sentiment sentences'],
  ] as const) {
    const path = join(DATASETS, file);
    if (existsSync(path)) add(origin, readJsonl(path), 'en');
  }
  return pools;
}

const GREETINGS = {
  fr: ['Bonjour,', 'Bonjour', 'Bonsoir,', 'Salut', 'Madame, Monsieur,', 'Bjr', '@LoveRail'],
  en: ['Hi,', 'Hello', 'Hey there,', 'Dear team,', 'Good morning,', '@LoveRail'],
};
const CLOSINGS = {
  fr: [
    'Cordialement, Jeanne Martin',
    'Merci d’avance',
    'Bien à vous,\nPierre',
    'Envoyé de mon iPhone',
    'merci',
  ],
  en: ['Thanks, John', 'Best regards,\nEmily Clarke', 'Sent from my iPhone', 'Cheers', 'thank you'],
};
const FIRST = ['marie', 'paul', 'sophie', 'karim', 'lea', 'tom', 'nina', 'hugo', 'emma', 'yanis'];

/** Personal data as customers type it, different for each verbatim. */
function personalData(i: number, lang: 'fr' | 'en'): string {
  const who = FIRST[i % FIRST.length];
  const phone = String(10_000_000 + ((i * 7_919) % 89_999_999)).padStart(8, '0');
  switch (i % 6) {
    case 0:
      return lang === 'fr' ? `Mon mail : ${who}.${i}@example.com` : `My email is ${who}.${i}@example.org`;
    case 1:
      return lang === 'fr'
        ? `Joignable au 06 ${phone.slice(0, 2)} ${phone.slice(2, 4)} ${phone.slice(4, 6)} ${phone.slice(6, 8)}`
        : `Call me on +44 7700 ${phone.slice(0, 6)}`;
    case 2:
      return lang === 'fr' ? `Commande n° ${100_000_000 + i}` : `Order #${100_000_000 + i}`;
    case 3:
      return lang === 'fr'
        ? `Réf. dossier ${(i * 48_271).toString(36).toUpperCase().slice(0, 6)}`
        : `booking ref ${(i * 48_271).toString(36).toUpperCase().slice(0, 6)}`;
    case 4:
      // A test card number (Luhn-valid): redaction must catch it.
      return lang === 'fr' ? 'payé avec la carte 4111 1111 1111 1111' : 'paid with card 4111-1111-1111-1111';
    default:
      return lang === 'fr' ? 'IBAN FR76 3000 6000 0112 3456 7890 189' : `account ${who}${i}@example.net`;
  }
}

/** A small deterministic hash: the same i always gives the same verbatim. */
function mix(i: number, salt: number): number {
  let h = Math.imul(i + 1, 2_654_435_761) ^ Math.imul(salt, 40_503);
  h ^= h >>> 15;
  h = Math.imul(h, 2_246_822_519);
  h ^= h >>> 13;
  // Unsigned: a negative number would index nothing.
  return h >>> 0;
}

/** The i-th verbatim of a run: a base text of the language, varied. */
export function realisticText(pools: TextPools, i: number): { text: string; lang: 'fr' | 'en' } {
  const lang: 'fr' | 'en' = mix(i, 1) % 2 === 0 ? 'fr' : 'en';
  const pool = pools[lang];
  let text = pool[mix(i, 2) % pool.length];
  const roll = mix(i, 3) % 100;
  if (roll < 15) text = `${text} ${pool[mix(i, 4) % pool.length]}`;
  if (mix(i, 5) % 100 < 25) text = `${GREETINGS[lang][mix(i, 6) % GREETINGS[lang].length]} ${text}`;
  if (mix(i, 7) % 100 < 35) text = `${text} ${personalData(mix(i, 8), lang)}`;
  if (mix(i, 9) % 100 < 20) text = `${text}\n${CLOSINGS[lang][mix(i, 10) % CLOSINGS[lang].length]}`;
  const casing = mix(i, 11) % 100;
  if (casing < 6) text = text.toLowerCase();
  else if (casing < 8) text = text.toUpperCase();
  return { text, lang };
}
