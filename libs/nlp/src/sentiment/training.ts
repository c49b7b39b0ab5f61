import { LabelledText, LinearTextClassifier } from '../classifier/linear-classifier';
import { foldAccents } from '../language/language';
import { detectLanguage } from '../language/language';
import { SentimentLabel, labelOfSentiment, negationMarked, ruleSentiment } from './sentiment';
import { sentimentCues } from './cues';

const QUESTION =
  /\?\s*$|^(?:comment|pourquoi|est-ce que|quand|ou|combien|quel\w*|puis-je|peut-on|y a-t-il|how|why|when|where|what|which|can i|could i|is it|is there|are there|do you|does|will)\b/;

/**
 * What a category of the shipped training set says of its examples' sentiment: customers write
 * to a travel seller to complain, so every category but praise and ideas is a complaint. A prior,
 * not a truth: the installation's survey answers and triagers' corrections outweigh it in time.
 */
export function sentimentOfCategory(category: string): SentimentLabel {
  return category === 'praise' ? 'positive' : category === 'idea_feature' ? 'neutral' : 'negative';
}

/**
 * The sentiment a shipped category example stands for: its category's, except a plain question
 * (no opinion word against, no request, no complaint that goes on), which asks rather than
 * complains: neutral.
 */
export function sentimentOfCategoryExample(text: string, category: string): SentimentLabel {
  const prior = sentimentOfCategory(category);
  if (prior !== 'negative') return prior;
  const folded = foldAccents(text.toLowerCase()).trim();
  if (!QUESTION.test(folded)) return prior;
  const cues = sentimentCues(text);
  if (cues.request || cues.sarcasm || cues.persistence > 0) return prior;
  const lang = /[àâçéèêëîïôûù]|\b(?:le|la|les|est|mon|ma|pour|pas)\b/.test(folded) ? 'fr' : 'en';
  return labelOfSentiment(ruleSentiment(text, [], lang)) === 'negative' ? prior : 'neutral';
}

/** NPS 0-6 and CSAT 1-2 are unhappy customers, NPS 9-10 and CSAT 4-5 happy ones; the rest says nothing. */
export function sentimentOfSurveyScore(kind: 'nps' | 'csat', score: number): SentimentLabel | null {
  if (kind === 'nps') return score <= 6 ? 'negative' : score >= 9 ? 'positive' : null;
  return score <= 2 ? 'negative' : score >= 4 ? 'positive' : null;
}

export interface SentimentTraining {
  /** Hand-written examples of sentiment (libs/nlp/src/sentiment/training-set.jsonl). */
  shipped: readonly LabelledText[];
  /** The shipped category examples, labelled by `sentimentOfCategory`. */
  categories: readonly LabelledText[];
  /** Survey comments labelled by their score, and triagers' corrections: what the installation learnt. */
  learnt: readonly LabelledText[];
}

/**
 * The sentiment model: the same linear model over word and character n-grams as the category
 * classifier, three labels (negative, neutral, positive). What the installation learnt counts
 * twice: it is its own customers' voice. Labels are balanced by thinning the commonest.
 */
export function trainSentimentModel({
  shipped,
  categories,
  learnt,
}: SentimentTraining): LinearTextClassifier {
  const examples: LabelledText[] = [
    ...shipped,
    ...categories.map(({ text, label }) => ({ text, label: sentimentOfCategoryExample(text, label) })),
    ...learnt,
    ...learnt,
  ];
  // Customers write to complain: complaints outnumber the rest many times over. Without
  // balancing, the model would find every question and every thank-you a complaint. The
  // largest label is thinned (evenly, the same examples every time) to twice the next one.
  const counts = new Map<string, number>();
  for (const { label } of examples) counts.set(label, (counts.get(label) ?? 0) + 1);
  const sizes = [...counts.values()].sort((a, b) => b - a);
  const cap = Math.max(2 * (sizes[1] ?? sizes[0]), 1);
  const seen = new Map<string, number>();
  const balanced = examples.filter(({ label }) => {
    const count = counts.get(label) ?? 0;
    const index = seen.get(label) ?? 0;
    seen.set(label, index + 1);
    return count <= cap || Math.floor(((index + 1) * cap) / count) > Math.floor((index * cap) / count);
  });
  return LinearTextClassifier.train(
    balanced.map(({ text, label }) => ({ text: negationMarked(text, detectLanguage(text).lang), label })),
    // Fewer n-grams than the category classifier's (character 3-5, words 1-2): a fresh
    // installation trains it at its first analysis, beside the classifier.
    { c: 0.5, features: { charMin: 3, charMax: 5, wordMin: 1, wordMax: 2 }, maxEpochs: 20 },
  );
}
