import type { LinearTextClassifier } from '../classifier/linear-classifier';
import { Language, detectLanguage } from '../language/language';
import { prepareText } from '../language/prepare';
import { analyzeSentiment, SentimentLabel } from '../sentiment/sentiment';
import { Intent, detectIntent } from '../signals/intent';
import { Terminal, detectTerminal } from '../signals/terminal';

export interface VerbatimToAnalyze {
  /** Redacted text: analysis never sees personal data. */
  text: string;
  /** Language the source gave, if any; detected otherwise. */
  lang?: string | null;
  metadata?: Record<string, unknown>;
}

export interface VerbatimAnalysis {
  lang: Language;
  category: string;
  categoryConfidence: number;
  /** Below the model's threshold: goes to the "needs triage" list for a person to decide. */
  needsTriage: boolean;
  sentiment: number;
  sentimentLabel: SentimentLabel;
  intent: Intent;
  terminal: Terminal;
  /** Stems without stop words: what irritant clustering compares. */
  stems: string[];
  /** The word each stem came from: irritant labels are made of these. */
  surfaces: string[];
}

/**
 * Below this calibrated confidence (the chance the category is right) a category is a guess a
 * person should confirm: more likely wrong than right.
 */
export const DEFAULT_TRIAGE_THRESHOLD = 0.5;
/**
 * Below this one the classifier does not guess at all: the verbatim is `other` (unclear), rather
 * than filed under whichever category catches everything; it waits in the triage queue for a
 * person to file it, or to leave it there.
 */
export const UNCLEAR_BELOW = 0.25;
/** The outcome of a verbatim no category fits. */
export const UNCLEAR_CATEGORY = 'other';

/** The whole analysis of one verbatim, pure and synchronous: language, words, category, signals. */
export function analyzeVerbatim(
  verbatim: VerbatimToAnalyze,
  classifier: LinearTextClassifier,
  triageThreshold = DEFAULT_TRIAGE_THRESHOLD,
  sentimentModel: LinearTextClassifier | null = null,
): VerbatimAnalysis {
  const given = verbatim.lang === 'fr' || verbatim.lang === 'en' ? verbatim.lang : null;
  const lang: Language = given ?? detectLanguage(verbatim.text).lang;
  const prepared = prepareText(verbatim.text, lang);
  const sentiment = analyzeSentiment(prepared.tokens, prepared.emoji, verbatim.text, lang, sentimentModel);
  const prediction = classifier.classify(verbatim.text);
  const unclear = prediction.confidence < UNCLEAR_BELOW;
  return {
    lang,
    category: unclear ? UNCLEAR_CATEGORY : prediction.label,
    categoryConfidence: prediction.confidence,
    needsTriage: prediction.confidence < triageThreshold,
    sentiment: sentiment.score,
    sentimentLabel: sentiment.label,
    intent: detectIntent(verbatim.text, sentiment),
    terminal: detectTerminal(verbatim.text, verbatim.metadata ?? {}),
    stems: prepared.stems,
    surfaces: prepared.surfaces,
  };
}
