import englishStemmer from 'natural/lib/natural/stemmers/porter_stemmer';
import frenchStemmer from 'natural/lib/natural/stemmers/porter_stemmer_fr';
import { words as englishStopwords } from 'natural/lib/natural/util/stopwords';
import { words as frenchStopwords } from 'natural/lib/natural/util/stopwords_fr';
import { foldAccents } from '../language/language';
import { quoteOf } from '../quote';

/**
 * An irritant's title in its customers' own words: the phrase of their verbatims that says most of
 * what they share ("paiement refusé au 3-d secure", "on hold for hours to rebook"), and the verbatim
 * that says it best (medoid-like), instead of a list of stems.
 *
 * Each word weighs how many of the irritant's verbatims use it (share) times how distinctive it is
 * in the installation (the background's weight), generic words ("flight", "merci") a fifth of that.
 * Every span of 1 to 8 words inside a clause of a verbatim is a candidate; its score is the summed
 * weight of its distinct content words minus a cost per word, so that it stops where the shared
 * words stop and drops leading and trailing stop words on its own. A span customers repeat word for
 * word gains a little. Greetings, thanks and sign-offs cut clauses; a span never starts just after
 * a negation ("pas reçu", "never arrived" keep their "pas", "never"). Run on redacted text only.
 */

export type TitleLanguage = 'fr' | 'en' | 'other';

export interface TitleSource {
  /** Redacted text. */
  text: string;
  lang: string | null;
}

export interface IrritantTitle {
  /** Lower case, accents and elisions as customers wrote them. */
  title: string;
  /** The language most of its verbatims are in. */
  lang: TitleLanguage;
  /** The title in the other language (French beside English), when some verbatims are in it. */
  other: { lang: TitleLanguage; title: string } | null;
  /** Its most representative verbatim, closings and signatures off; null when none is quotable. */
  quote: string | null;
}

export interface TitleOptions {
  /**
   * How distinctive a stem (accents folded, as `prepareText` stems) is in the installation; the
   * clustering background's IDF in production. Without it, every word weighs the same.
   */
  weight?: (stem: string) => number;
}

/** Words of a title at most: a short phrase, not a sentence. */
const MAX_WORDS = 8;
/** Characters of a title and of a quote at most (the column holds 200; a board line less). */
const MAX_TITLE_CHARS = 90;
const MAX_QUOTE_CHARS = 280;
/** Generic words count this much of their weight: present everywhere, they say nothing. */
const GENERIC_FACTOR = 0.2;
/** The cost of each word of a span, as a share of the strongest word's weight. */
const WORD_COST = 0.08;
/** Shared words first: a word half the verbatims use weighs about a third, not a half. */
const SHARE_POWER = 1.5;

const STOPWORDS = {
  fr: new Set(
    [...frenchStopwords, 'ça', 'ca', 'plus', 'très', 'tres', 'tout', 'tous', 'si'].map(foldAccents),
  ),
  en: new Set([...englishStopwords, 'not', 'no', 'nor', 'i', "i'm", "it's", "don't", "can't", 'im', 'dont']),
};

/** Politeness and filler: a clause ends there (a title never says "bonsoir" or "thanks"). */
const BREAKS = new Set(
  [
    'bonjour',
    'bonsoir',
    'salut',
    'coucou',
    'merci',
    'cordialement',
    'madame',
    'monsieur',
    'mme',
    'svp',
    'stp',
    'hello',
    'hi',
    'hey',
    'dear',
    'thanks',
    'thank',
    'thx',
    'ty',
    'please',
    'pls',
    'plz',
    'regards',
    'cheers',
    'sir',
    'madam',
    'mr',
    'mrs',
    'ms',
    'lol',
    'omg',
    'ok',
    'okay',
    'oui',
    'yes',
    'yeah',
    'bref',
    'voilà',
    'voila',
    'hum',
    'euh',
  ].map(foldAccents),
);

/**
 * Words of every irritant (the trade, politeness, time, wanting and trying): they may sit inside a
 * title but never carry it. Folded.
 */
const GENERIC = new Set(
  [
    // English
    'flight',
    'flights',
    'fly',
    'flying',
    'airline',
    'airlines',
    'plane',
    'service',
    'customer',
    'customers',
    'help',
    'helpful',
    'need',
    'want',
    'would',
    'could',
    'like',
    'get',
    'got',
    'getting',
    'go',
    'going',
    'try',
    'trying',
    'tried',
    'know',
    'make',
    'one',
    'time',
    'times',
    'today',
    'tonight',
    'yesterday',
    'morning',
    'day',
    'days',
    'hour',
    'hours',
    'week',
    'now',
    'guys',
    'good',
    'great',
    'bad',
    'really',
    'still',
    'just',
    'even',
    'ever',
    'again',
    'way',
    'say',
    'said',
    'tell',
    'told',
    'can',
    'will',
    'thing',
    'things',
    'problem',
    'issue',
    'company',
    'anyone',
    'someone',
    'please',
    'there',
    'any',
    // French
    'vol',
    'vols',
    'avion',
    'compagnie',
    'client',
    'clients',
    'aide',
    'aider',
    'besoin',
    'veux',
    'voudrais',
    'vouloir',
    'faire',
    'fait',
    'dit',
    'dire',
    'essayé',
    'essaye',
    'aujourd’hui',
    "aujourd'hui",
    'hier',
    'matin',
    'soir',
    'jour',
    'jours',
    'heure',
    'heures',
    'semaine',
    'fois',
    'encore',
    'toujours',
    'vraiment',
    'déjà',
    'bien',
    'bon',
    'problème',
    'souci',
    'chose',
    'peut',
    'pouvez',
    'pourriez',
    'quelqu’un',
    "quelqu'un",
    'rien',
    'moment',
  ].map((word) => foldAccents(word).replace(/’/g, "'")),
);

/** A span never starts right after one of these: it would say the opposite ("reçu" for "pas reçu"). */
const NEGATIONS = new Set(
  [
    'pas',
    'jamais',
    'plus',
    'aucun',
    'aucune',
    'sans',
    'ne',
    'not',
    'never',
    'no',
    'cannot',
    'without',
    'nobody',
    'nothing',
    'rien',
  ].map(foldAccents),
);

/** English particles a phrase may end on after a verb ("top up", "sold out"). */
const PARTICLES = new Set(['up', 'out', 'off', 'down', 'back']);

const URL = /\bhttps?:\/\/[^\s<>"']+|\bwww\.[^\s<>"']+/gi;
const MENTION = /(?<![\w@])[@#][\p{L}\p{N}_]{1,40}/gu;
const EMOJI = /\p{Extended_Pictographic}(?:\uFE0F|\u200D\p{Extended_Pictographic})*/gu;
/** Redaction placeholders ("[EMAIL]", "[BOOKING_REF]") and any bracketed aside. */
const PLACEHOLDER = /\[[^\]\n]{0,40}\]/g;
/** Where a clause ends. */
const CLAUSE = /[.!?;:,()«»"“”…\n\r\t*|/\\<>{}=+]+|\s[-–—]+\s/u;
const TOKEN = /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu;
const ELISION = /^(?:l|d|j|qu|n|c|s|m|t|jusqu|lorsqu|puisqu)'/;
const NEGATED_ELISION = /^n'/;

interface Token {
  /** As written, lower case (a title shows this). */
  surface: string;
  /** Folded, apostrophes straight: what spans are compared by. */
  key: string;
  /** The stem (accents folded) when it is a content word, else null. */
  stem: string | null;
  generic: boolean;
  negation: boolean;
}

const stemCaches: Record<TitleLanguage, Map<string, string | null>> = {
  fr: new Map(),
  en: new Map(),
  other: new Map(),
};

function stemOf(key: string, lang: TitleLanguage): string | null {
  const cache = stemCaches[lang];
  const known = cache.get(key);
  if (known !== undefined) return known;
  const word = key.replace(ELISION, '');
  let stem: string | null;
  if (word.length < 2 || /^\d+$/.test(word)) stem = null;
  else if (lang !== 'other' && (STOPWORDS[lang].has(word) || STOPWORDS[lang].has(key))) stem = null;
  else if (lang === 'fr') stem = foldAccents(frenchStemmer.stem(word));
  else if (lang === 'en') stem = foldAccents(englishStemmer.stem(word.replace(/'s$/, '')));
  else stem = word;
  if (cache.size > 100_000) cache.clear();
  cache.set(key, stem);
  return stem;
}

/** The clauses of a text, each a list of tokens. */
function clausesOf(text: string, lang: TitleLanguage): Token[][] {
  const cleaned = quoteOf(text)
    .replace(URL, ' . ')
    .replace(PLACEHOLDER, ' . ')
    .replace(MENTION, ' . ')
    .replace(EMOJI, ' . ');
  const clauses: Token[][] = [];
  for (const part of cleaned.split(CLAUSE)) {
    let clause: Token[] = [];
    for (const match of part.toLowerCase().matchAll(TOKEN)) {
      const surface = match[0];
      const key = foldAccents(surface).replace(/’/g, "'");
      // Long numbers are references; politeness cuts the clause.
      if (BREAKS.has(key) || /^\d{4,}$/.test(key) || /\d{2,}[a-z]+\d|[a-z]+\d{3,}/.test(key)) {
        if (clause.length > 0) clauses.push(clause);
        clause = [];
        continue;
      }
      const stem = stemOf(key, lang);
      const bare = key.replace(ELISION, '');
      clause.push({
        surface,
        key,
        stem,
        generic: GENERIC.has(key) || GENERIC.has(bare),
        negation: NEGATIONS.has(bare) || NEGATED_ELISION.test(key) || /n't$/.test(key),
      });
    }
    if (clause.length > 0) clauses.push(clause);
  }
  return clauses;
}

function languageOf(lang: string | null): TitleLanguage {
  return lang === 'fr' || lang === 'en' ? lang : 'other';
}

interface Read {
  text: string;
  clauses: Token[][];
  stems: Set<string>;
}

/** The title of one language's verbatims, and their most representative one. */
function titleIn(
  texts: string[],
  lang: TitleLanguage,
  options: TitleOptions,
): { title: string; quote: string | null } | null {
  const reads: Read[] = texts.map((text) => {
    const clauses = clausesOf(text, lang);
    const stems = new Set<string>();
    for (const clause of clauses) for (const token of clause) if (token.stem) stems.add(token.stem);
    return { text, clauses, stems };
  });
  const documentFrequency = new Map<string, number>();
  for (const read of reads)
    for (const stem of read.stems) documentFrequency.set(stem, (documentFrequency.get(stem) ?? 0) + 1);
  if (documentFrequency.size === 0) return null;

  const generic = new Set<string>();
  for (const read of reads)
    for (const clause of read.clauses)
      for (const token of clause) if (token.generic && token.stem) generic.add(token.stem);
  const salience = new Map<string, number>();
  let strongest = 0;
  for (const [stem, df] of documentFrequency) {
    const distinctive = options.weight ? Math.max(options.weight(stem), 0.01) : 1;
    const value = (df / reads.length) ** SHARE_POWER * distinctive * (generic.has(stem) ? GENERIC_FACTOR : 1);
    salience.set(stem, value);
    strongest = Math.max(strongest, value);
  }
  const cost = strongest * WORD_COST;

  // Every span of every clause, keyed by its folded words: how many verbatims say it, as what.
  const spans = new Map<
    string,
    { score: number; documents: number; lastDocument: number; surfaces: Map<string, number>; words: number }
  >();
  reads.forEach((read, document) => {
    for (const clause of read.clauses) {
      for (let start = 0; start < clause.length; start++) {
        if (start > 0 && clause[start - 1].negation) continue;
        if (clause[start].stem === null && !clause[start].negation) continue;
        const seen = new Set<string>();
        let gain = 0;
        let carried = false;
        for (let end = start; end < Math.min(clause.length, start + MAX_WORDS); end++) {
          const token = clause[end];
          if (token.stem && !seen.has(token.stem)) {
            seen.add(token.stem);
            gain += salience.get(token.stem) ?? 0;
            if (!generic.has(token.stem)) carried = true;
          }
          // A span ends on a content word, and carries at least one word that is not generic.
          // Phrasal verbs keep their particle ("top up").
          const particle =
            token.stem === null && end > start && PARTICLES.has(token.key) && clause[end - 1].stem !== null;
          if ((token.stem === null && !particle) || !carried) continue;
          const words = end - start + 1;
          const key = clause
            .slice(start, end + 1)
            .map((t) => t.key)
            .join(' ');
          const surface = clause
            .slice(start, end + 1)
            .map((t) => t.surface)
            .join(' ');
          let span = spans.get(key);
          if (!span) {
            span = {
              score: gain - cost * (particle ? words - 1 : words),
              documents: 0,
              lastDocument: -1,
              surfaces: new Map(),
              words,
            };
            spans.set(key, span);
          }
          if (span.lastDocument !== document) {
            span.documents++;
            span.lastDocument = document;
          }
          span.surfaces.set(surface, (span.surfaces.get(surface) ?? 0) + 1);
        }
      }
    }
  });
  let best: { key: string; value: number; documents: number; words: number } | null = null;
  for (const [key, span] of spans) {
    // Said word for word by several customers: their phrase, more than a stitched one.
    const value = span.score * (1 + 0.15 * Math.log2(span.documents)) * (span.words === 1 ? 0.7 : 1);
    if (
      best === null ||
      value > best.value + 1e-9 ||
      (Math.abs(value - best.value) <= 1e-9 &&
        (span.documents > best.documents || (span.documents === best.documents && span.words < best.words)))
    )
      best = { key, value, documents: span.documents, words: span.words };
  }
  if (best === null) return null;
  const surfaces = (spans.get(best.key) as { surfaces: Map<string, number> }).surfaces;
  const title = [...surfaces].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0][0];
  return { title: clip(title, MAX_TITLE_CHARS), quote: representative(reads, salience) };
}

/**
 * The verbatim nearest the irritant's centre: the most of its salient words for its length, long
 * enough to say something, short enough to read on a board.
 */
function representative(reads: Read[], salience: Map<string, number>): string | null {
  let best: { quote: string; value: number } | null = null;
  for (const read of reads) {
    const quote = quoteOf(read.text).replace(/\s+/g, ' ').trim();
    if (quote.length < 12 || read.stems.size === 0) continue;
    let covered = 0;
    for (const stem of read.stems) covered += salience.get(stem) ?? 0;
    const value = (covered / Math.sqrt(read.stems.size + 4)) * (quote.length > MAX_QUOTE_CHARS ? 0.7 : 1);
    if (best === null || value > best.value) best = { quote, value };
  }
  return best ? clip(best.quote, MAX_QUOTE_CHARS) : null;
}

function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > max / 2 ? cut.slice(0, space) : cut}…`;
}

/**
 * How distinctive each word is among many verbatims (an installation's recent ones, the shipped
 * examples): what `TitleOptions.weight` reads. Stems as titles stem them, so that it does not
 * depend on how clustering reads words.
 */
export class TitleBackground {
  private constructor(
    private readonly frequencies: ReadonlyMap<string, number>,
    private readonly documents: number,
  ) {}

  static fromTexts(texts: Iterable<TitleSource>): TitleBackground {
    const frequencies = new Map<string, number>();
    let documents = 0;
    for (const { text, lang } of texts) {
      documents++;
      const stems = new Set<string>();
      for (const clause of clausesOf(text, languageOf(lang)))
        for (const token of clause) if (token.stem) stems.add(token.stem);
      for (const stem of stems) frequencies.set(stem, (frequencies.get(stem) ?? 0) + 1);
    }
    return new TitleBackground(frequencies, documents);
  }

  /** IDF; a word never seen weighs like a rare one, not more (a typo must not carry a title). */
  weight = (stem: string): number => {
    const df = this.frequencies.get(stem) ?? 1;
    return Math.log((this.documents + 1) / (df + 1)) + 1;
  };
}

/**
 * The title of an irritant from (a sample of) its verbatims' redacted texts, in its main language
 * with the other language's beside it; null when no verbatim has a word to say it with.
 */
export function titleOf(verbatims: readonly TitleSource[], options: TitleOptions = {}): IrritantTitle | null {
  const byLanguage = new Map<TitleLanguage, string[]>();
  for (const { text, lang } of verbatims) {
    if (!text.trim()) continue;
    const language = languageOf(lang);
    byLanguage.set(language, [...(byLanguage.get(language) ?? []), text]);
  }
  const ranked = [...byLanguage.entries()].sort(
    (a, b) => b[1].length - a[1].length || (a[0] === 'other' ? 1 : 0) - (b[0] === 'other' ? 1 : 0),
  );
  const main = ranked.find(([lang]) => lang !== 'other') ?? ranked[0];
  if (!main) return null;
  const titled = titleIn(main[1], main[0], options);
  if (!titled) return null;
  let other: IrritantTitle['other'] = null;
  const second = ranked.find(([lang]) => lang !== main[0] && lang !== 'other');
  if (second) {
    const titledOther = titleIn(second[1], second[0], options);
    if (titledOther && titledOther.title !== titled.title)
      other = { lang: second[0], title: titledOther.title };
  }
  return { title: titled.title, lang: main[0], other, quote: titled.quote };
}
