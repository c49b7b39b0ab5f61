import { foldAccents } from '../language/language';

/**
 * What a customer's words say beyond their opinion words: a request for a remedy or a person
 * ("je veux parler à un humain pour mon remboursement", "please refund"), sarcasm ("thanks for
 * nothing", "génial, encore un retard"), and the marks of a complaint that goes on ("toujours
 * pas", "still waiting", "for 3 hours"). Written for customer feedback in French and English;
 * each pattern runs over the folded text (lower case, no accents, straight apostrophes).
 */
export interface SentimentCues {
  request: boolean;
  sarcasm: boolean;
  /** How many marks of a complaint that goes on. */
  persistence: number;
}

const REMEDY =
  '(?:rembours\\w*|remboursement|geste commercial|dedommag\\w*|indemni\\w*|compensation|avoir|humain|conseill\\w*|responsable|quelqu.un|une? (?:vraie? )?personne|reponse|explication|solution|refund\\w*|money back|compensat\\w*|voucher|answer|response|reply|human|person|someone|somebody|agent|representative|manager|supervisor|explanation|solution)';

const REQUEST = new RegExp(
  [
    `\\b(?:je (?:veux|voudrais|souhaite|demande|exige|attends|reclame)|j.(?:exige|attends|aimerais)|on (?:veut|exige|attend))\\b.{0,50}\\b${REMEDY}`,
    '\\b(?:remboursez|rendez[- ]moi|rappelez[- ]moi|repondez(?:[- ]moi)?|faites quelque chose)\\b',
    '\\bparler a (?:un|une|quelqu.un|quelqu un)\\b',
    `\\b(?:please|pls|plz|kindly)\\b.{0,40}\\b(?:refund|help|fix|respond|reply|call (?:me|back)|get back|answer|sort (?:it|this)|do something|compensate|reimburse)`,
    `\\bi (?:want|need|demand|expect|would like|.d like)\\b.{0,50}\\b${REMEDY}`,
    '\\b(?:give me|want) (?:my|our) money\\b',
    '\\b(?:talk|speak) to (?:a|an|someone|somebody|anyone)\\b',
  ].join('|'),
);

/** A positive word used for what hurt: the customer means the opposite. */
const SARCASM = new RegExp(
  [
    '\\b(?:thanks|thank you|thx|ty|merci)(?: (?:a lot|so much|beaucoup|bien|encore))? (?:for|pour|de) (?:nothing|rien)\\b',
    '\\b(?:thanks|thank you|thx|merci)(?: (?:a lot|so much|beaucoup|bien|again|encore))? (?:for|pour|de)(?: (?:the|my|our|another|yet another|ce|cette|ces|le|la|les|l|mon|ma|mes|un|une|encore))*(?: \\w+){0,2} (?:delay(?:ed|ing|s)?|cancel\\w*|los(?:t|ing)|strand\\w*|ruin\\w*|wait(?:ing)?|hold|overbook\\w*|retards?|annul\\w*|perte|perdu\\w*|attente|surbook\\w*|gach\\w*)\\b(?! (?:notif\\w*|update|info\\w*|alert\\w*|warning|message|heads))',
    '\\b(?:great|super|genial|parfait|bravo|awesome|wonderful|fantastic|brilliant|nice|excellent|lovely|perfect|cool|yay|top)\\b[ ,!.]*(?:another|again|encore|yet another|once again|de nouveau|one more|un autre|une autre|still)\\b',
    '\\b(?:i )?(?:just )?(?:love|adore|j.adore)\\b.{0,25}\\b(?:when|how|the way|quand|comment|la facon)\\b.{0,60}\\b(?:delay|cancel|lost|los(?:e|ing)|wait|hold|retard|annul|perd|attend|crash|plant)',
    '\\b(?:great|nice|good|well|excellent) (?:job|work|done)\\b.{0,30}\\b(?:los(?:e|ing|t)|cancel\\w*|delay\\w*|strand\\w*|break\\w*)',
    '\\bbravo (?:a|pour|la|le)\\b.{0,40}\\b(?:retard|annul\\w*|perdu|attente|panne|bug)',
    '#(?:not|sarcasm|sarcasme|ironie)\\b|(?:^|\\s)/s$',
  ].join('|'),
);

const PERSISTENCE = [
  /\btoujours (?:pas|rien|aucun\w*|en attente|bloque\w*)\b/,
  /\bstill (?:not|no|nothing|waiting|haven.t|hasn.t|stuck|on hold|broken)\b/,
  /\b(?:no one|nobody|personne ne|personne n)\b/,
  /\b(?:aucune? (?:reponse|nouvelle|retour|solution)|no (?:response|reply|answer|update|solution|help))\b/,
  /\b(?:depuis|since|for) (?:\d+|des|plusieurs|trois|deux|over|more than|several|two|three|an?) ?(?:heures?|jours?|semaines?|mois|hours?|days?|weeks?|months?|hrs?|mins?)\b/,
  /\b(?:encore une fois|une fois de plus|again|once more|yet again)\b/,
  /\bon hold\b|\ben attente\b/,
];

/** Folded the way the cues are written: lower case, accents off, apostrophes straight. */
export function foldForCues(text: string): string {
  return foldAccents(text.toLowerCase()).replace(/[’`´]/g, "'");
}

export function sentimentCues(text: string): SentimentCues {
  const folded = foldForCues(text);
  return {
    request: REQUEST.test(folded),
    sarcasm: SARCASM.test(folded),
    persistence: PERSISTENCE.reduce((n, pattern) => n + (pattern.test(folded) ? 1 : 0), 0),
  };
}
