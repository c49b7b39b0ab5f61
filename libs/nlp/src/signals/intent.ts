import { foldAccents } from '../language/language';
import type { Sentiment } from '../sentiment/sentiment';
import { sentimentCues } from '../sentiment/cues';

export type Intent = 'complaint' | 'bug_report' | 'question' | 'idea' | 'praise';

const IDEA =
  /\b(?:idee|suggestion|suggere|ce serait (?:bien|pratique|top|genial)|pourriez-vous ajouter|ajoutez|feature request|it would be (?:nice|great|good)|would be (?:nice|great|handy)|could you (?:add|allow)|please add|wish(?:list)?)\b/;
const BUG =
  /\b(?:bug|bugue|plante|crash\w*|erreur|error|ne (?:marche|fonctionne) (?:pas|plus)|doesn'?t work|not working|page blanche|blank page|bloque\w*|stuck|en boucle|loop|500|se ferme|closes itself|freez\w*|fige|fails?|failed|failing|echoue\w*)\b/;
const PRAISE = /\b(?:merci|bravo|felicitations|thanks?|thank you|great job|well done|super|genial|parfait)\b/;
const QUESTION_START =
  /^(?:comment|pourquoi|est-ce que|quand|ou|combien|quel\w*|puis-je|peut-on|how|why|when|where|what|can i|could i|is it|do you|does)\b/;

/**
 * What the customer is doing: complaining, reporting a bug, asking, suggesting or thanking. Rules
 * over the folded text and the sentiment; ordered from the most specific sign to the default.
 */
export function detectIntent(text: string, sentiment: Sentiment): Intent {
  const folded = foldAccents(text.toLowerCase());
  if (IDEA.test(folded)) return 'idea';
  if (BUG.test(folded)) return 'bug_report';
  // Thanks are praise only when meant: "thanks for the 3 hour delay", "merci pour rien" and a
  // "thanks" closing a request for a refund are complaints.
  if (sentiment.label === 'positive' && PRAISE.test(folded)) {
    const cues = sentimentCues(text);
    if (!cues.sarcasm && !cues.request && cues.persistence === 0) return 'praise';
    return 'complaint';
  }
  const asks = folded.includes('?') || QUESTION_START.test(folded.trim());
  if (asks && sentiment.score > -0.4) return 'question';
  return 'complaint';
}
