import englishStemmer from 'natural/lib/natural/stemmers/porter_stemmer';
import frenchStemmer from 'natural/lib/natural/stemmers/porter_stemmer_fr';
import { words as englishStopwords } from 'natural/lib/natural/util/stopwords';
import { words as frenchStopwords } from 'natural/lib/natural/util/stopwords_fr';
import { Language, foldAccents } from './language';

/** A verbatim's text made countable: what the clustering, the labels and the rules work on. */
export interface PreparedText {
  /** Lower-case words, accents kept, URLs, mentions, emoji and numbers taken out. */
  tokens: string[];
  /** Stems of the tokens that are not stop words, accents folded: "remboursée" and "rembourser" meet. */
  stems: string[];
  /** The token each stem came from (same order as `stems`): readable labels are made of these. */
  surfaces: string[];
  urls: string[];
  mentions: string[];
  emoji: string[];
  numbers: string[];
}

const URL = /\bhttps?:\/\/[^\s<>"']+|\bwww\.[^\s<>"']+/gi;
const MENTION = /(?<![\w@])@[A-Za-z0-9_]{1,30}\b/g;
const EMOJI = /\p{Extended_Pictographic}(?:\uFE0F|\u200D\p{Extended_Pictographic})*/gu;
const NUMBER = /\b\d+(?:[.,:h]\d+)*\b/g;
const WORD = /[\p{L}][\p{L}'’-]*/gu;

const STOPWORDS: Record<Exclude<Language, 'other'>, Set<string>> = {
  fr: new Set(frenchStopwords.map((word) => foldAccents(word))),
  en: new Set(englishStopwords),
};
// Elisions are not words of their own: "l'appli" is "appli".
const ELISION = /^(?:l|d|j|qu|n|c|s|m|t)['’]/;

/** The stem of a token, accents folded, or null for a stop word or a one-letter token. */
function stemOf(token: string, lang: Language): string | null {
  const folded = foldAccents(token);
  if (folded.length < 2 || (lang !== 'other' && STOPWORDS[lang].has(folded))) return null;
  const stemmer = lang === 'fr' ? frenchStemmer : lang === 'en' ? englishStemmer : null;
  return foldAccents(stemmer ? stemmer.stem(token) : folded);
}

// natural's Porter stemmers cost tens of microseconds a word; customers use a small vocabulary
// over and over, so each word is stemmed once. Bounded: cleared when it grows past the limit.
const STEM_CACHE_LIMIT = 200_000;
const STEM_CACHE: Record<Language, Map<string, string | null>> = {
  fr: new Map(),
  en: new Map(),
  other: new Map(),
};

/**
 * Tokenises, stems (natural's Porter stemmers for French and English) and drops stop words.
 * Text in another language is tokenised and folded, not stemmed.
 */
export function prepareText(text: string, lang: Language): PreparedText {
  const urls = text.match(URL) ?? [];
  let rest = text.replace(URL, ' ');
  const mentions = rest.match(MENTION) ?? [];
  rest = rest.replace(MENTION, ' ');
  const emoji = rest.match(EMOJI) ?? [];
  rest = rest.replace(EMOJI, ' ');
  const numbers = rest.match(NUMBER) ?? [];
  rest = rest.replace(NUMBER, ' ');
  const tokens = (rest.toLowerCase().match(WORD) ?? [])
    .map((token) => token.replace(ELISION, '').replace(/['’-]+$/, ''))
    .filter((token) => token.length > 0);
  const cache = STEM_CACHE[lang];
  const stems: string[] = [];
  const surfaces: string[] = [];
  for (const token of tokens) {
    let stem = cache.get(token);
    if (stem === undefined) {
      stem = stemOf(token, lang);
      if (cache.size >= STEM_CACHE_LIMIT) cache.clear();
      cache.set(token, stem);
    }
    if (stem !== null) {
      stems.push(stem);
      surfaces.push(token);
    }
  }
  return { tokens, stems, surfaces, urls, mentions, emoji, numbers };
}
