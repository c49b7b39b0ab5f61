import { prepareText } from '../language/prepare';
import { quoteOf } from '../quote';
import { toConcepts } from './concepts';
import { IdfTable, TermVector, termVector } from './similarity';

/** What irritant clustering compares of a text: its terms and the readable word of each. */
export interface ClusteringTerms {
  /**
   * Stems, French and English words for one thing merged into one concept, then each pair of
   * neighbouring terms ("card arriv", "~refund ~cancel"): a pair says more of the topic than
   * either word alone ("card" is in half a bank's messages, "card arriv" in one topic).
   */
  terms: string[];
  /** The word (or pair of words) each term came from (same order): labels are made of these. */
  surfaces: string[];
}

const MONTHS_AND_DAYS =
  'january|february|march|april|may|june|july|august|september|october|november|december|' +
  'janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre|' +
  'monday|tuesday|wednesday|thursday|friday|saturday|sunday|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche';

/**
 * What is told apart by its value, never by its topic, and goes before words are compared: two
 * customers whose orders are #A12-889 and #B77-102 complain about the same thing.
 * - placeholders left by redaction or by a ticketing tool ("[email]", "{{Order Number}}");
 * - amounts with their currency ("45,90 €", "$120", "30 euros");
 * - dates ("12/03/2026", "3 mars", "March 3rd") and times ("14h30", "2:45pm");
 * - references, order and booking numbers: any token with a digit in it ("QX7H2P9", "ORD-5521").
 */
const NORMALISED_AWAY: readonly RegExp[] = [
  /\{\{[^{}]{0,80}\}\}|\[[^[\]]{0,40}\]|<[^<>]{0,40}>/g,
  /[$€£¥]\s?\d[\d\s.,]*|\b\d[\d.,]*\s?(?:[$€£¥]|eur|euros?|usd|gbp|dollars?|pounds?|cents?|centimes?)(?![\p{L}])/giu,
  /\b\d{1,4}[/.-]\d{1,2}(?:[/.-]\d{1,4})?\b/g,
  /\b\d{1,2}\s?(?:h|:)\s?\d{0,2}\s?(?:am|pm)?\b/gi,
  /\b\d{1,2}(?:st|nd|rd|th|er|e|ème)?\b/gi,
  new RegExp(`(?<![\\p{L}])(?:${MONTHS_AND_DAYS})(?![\\p{L}])`, 'giu'),
  /(?<![\p{L}\d])[\p{L}\d#-]*\d[\p{L}\d#-]*/gu,
];

/** Replaces references, ids, dates and amounts by spaces (exported for its spec). */
export function normaliseForClustering(text: string): string {
  let rest = text;
  for (const pattern of NORMALISED_AWAY) rest = rest.replace(pattern, ' ');
  return rest;
}

/**
 * Words of customer service that every topic has: greetings, thanks, politeness, "I want / I
 * need / can you tell me". Written as words and stemmed at load with the pipeline's stemmer, as
 * the bilingual lexicon is. Only the way people write to a company: no word of a product here.
 */
const DOMAIN_STOP_WORDS: Record<'fr' | 'en', string> = {
  en:
    'hello hi hey dear sir madam team thanks thank thx please pls kindly regards cheers ok okay yes ' +
    'want wanted wants would could can may might need needs needed like get got getting know tell let ' +
    'way someone something anyone anything everything somebody also just still really actually ' +
    'help helping assist assistance question questions wondering',
  fr:
    'bonjour bonsoir salut madame monsieur équipe merci svp stp cordialement ' +
    'veux voudrais voulais voulez vouloir peux pouvez pourriez pouvoir besoin faut savoir sais ' +
    'quelqu quelque chose aussi juste encore vraiment aide aider question questions',
};
const STOP_STEMS = new Set<string>(
  (['fr', 'en'] as const).flatMap((lang) => prepareText(DOMAIN_STOP_WORDS[lang], lang).stems),
);
/** Concepts of the lexicon that are such words (politeness, need): dropped as their words are. */
const STOP_CONCEPTS = new Set(['~thanks', '~hello', '~need', '~assistance']);
const isStop = (stem: string, concept: string) => STOP_STEMS.has(stem) || STOP_CONCEPTS.has(concept);

/** The terms of a text as clustering reads them (`lang` as stored: anything but fr/en is other). */
export function clusteringTerms(text: string, lang: string | null): ClusteringTerms {
  // Closings, signatures and device footers ("Cordialement, Jeanne Martin", "Sent from my
  // iPhone") go first: a signer's name is a rare word, which would pull one customer's messages
  // together whatever they are about, and "sent iphone" is in every topic.
  const said = quoteOf(text) || text;
  const prepared = prepareText(normaliseForClustering(said), lang === 'fr' || lang === 'en' ? lang : 'other');
  // French and English words for one thing meet as one concept: one complaint, one irritant.
  const concepts = toConcepts(prepared.stems);
  const terms: string[] = [];
  const surfaces: string[] = [];
  concepts.forEach((concept, i) => {
    if (isStop(prepared.stems[i], concept)) return;
    // A phrase ("mot de passe") is one concept over several stems: counted once.
    if (concept.startsWith('~') && terms[terms.length - 1] === concept) return;
    terms.push(concept);
    surfaces.push(prepared.surfaces[i]);
  });
  const words = terms.length;
  for (let i = 0; i + 1 < words; i++) {
    terms.push(`${terms[i]} ${terms[i + 1]}`);
    surfaces.push(`${surfaces[i]} ${surfaces[i + 1]}`);
  }
  return { terms, surfaces };
}

/** The terms and their weighted vector against the background: what a placement compares. */
export function clusteringVector(
  text: string,
  lang: string | null,
  idf: IdfTable,
): ClusteringTerms & { vector: TermVector } {
  const read = clusteringTerms(text, lang);
  return { ...read, vector: termVector(read.terms, idf) };
}
