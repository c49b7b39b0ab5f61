import englishStemmer from 'natural/lib/natural/stemmers/porter_stemmer';
import frenchStemmer from 'natural/lib/natural/stemmers/porter_stemmer_fr';
import SentimentAnalyzer from 'natural/lib/natural/sentiment/SentimentAnalyzer';
import { Language, foldAccents } from '../language/language';

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
const NEGATIONS: Record<'fr' | 'en', Set<string>> = {
  fr: new Set(['pas', 'jamais', 'rien', 'aucun', 'aucune', 'ni', 'sans', 'plus']),
  en: new Set([
    'not',
    'no',
    'never',
    "don't",
    "doesn't",
    "didn't",
    "isn't",
    "wasn't",
    "can't",
    'cannot',
    'without',
    'nothing',
  ]),
};
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
};

/**
 * Scores one word with natural's analyzer (-5..5 for AFINN, -1..1 for pattern), brought to -1..1.
 * Cached: a vocabulary is small next to the number of verbatims.
 */
class Lexicon {
  private readonly analyzer: SentimentAnalyzer;
  private readonly cache = new Map<string, number>();

  constructor(private readonly lang: 'fr' | 'en') {
    this.analyzer =
      lang === 'fr'
        ? new SentimentAnalyzer('French', frenchStemmer, 'pattern')
        : new SentimentAnalyzer('English', englishStemmer, 'afinn');
  }

  polarity(token: string): number {
    const folded = foldAccents(token);
    const domain = DOMAIN[this.lang][folded];
    if (domain !== undefined) return domain;
    let score = this.cache.get(token);
    if (score === undefined) {
      const raw = this.analyzer.getSentiment([token]);
      score = Number.isFinite(raw) ? Math.max(-1, Math.min(1, this.lang === 'en' ? raw / 4 : raw)) : 0;
      if (this.cache.size < 100_000) this.cache.set(token, score);
    }
    return score;
  }
}

const lexicons: Partial<Record<'fr' | 'en', Lexicon>> = {};
const lexiconFor = (lang: 'fr' | 'en') => (lexicons[lang] ??= new Lexicon(lang));

/**
 * Sentiment of a verbatim in French or English: lexicon polarity per word, flipped after a
 * negation ("pas terrible", "not great"; natural's French analyzer has no negation handling),
 * emoji, and insistence ("!!!", capitals) that sharpens whatever the words say.
 */
export function analyzeSentiment(
  tokens: readonly string[],
  emoji: readonly string[],
  text: string,
  lang: Language,
): Sentiment {
  const effective = lang === 'other' ? 'en' : lang;
  const lexicon = lexiconFor(effective);
  let sum = 0;
  let hits = 0;
  let negatedUntil = -1;
  tokens.forEach((token, index) => {
    if (NEGATIONS[effective].has(token)) {
      negatedUntil = index + 3;
      return;
    }
    const polarity = lexicon.polarity(token);
    if (polarity === 0) return;
    // A negation turns the next opinion word around, and only that one: "not great, it crashes".
    const negated = index <= negatedUntil;
    if (negated) negatedUntil = -1;
    sum += negated ? -polarity * 0.8 : polarity;
    hits++;
  });
  for (const symbol of emoji) {
    const polarity = EMOJI[symbol];
    if (polarity !== undefined) {
      sum += polarity;
      hits++;
    }
  }
  if (hits === 0) return { score: 0, label: 'neutral' };
  let score = sum / Math.sqrt(hits * Math.max(1, tokens.length / 8));
  const insistence = (text.match(/!{2,}|\?!/g)?.length ?? 0) + (/\b[A-ZÉÈ]{4,}\b/.test(text) ? 1 : 0);
  score *= 1 + Math.min(insistence, 3) * 0.15;
  score = Math.max(-1, Math.min(1, score));
  return { score, label: score <= -0.1 ? 'negative' : score >= 0.1 ? 'positive' : 'neutral' };
}
