/**
 * A customer's words fit to quote to people who do not handle their case (the board, the Monday
 * digest): redaction has removed their addresses and numbers, this removes who they are. Their
 * closing and signature go ("Cordialement, Jeanne Martin", "Best regards, John", "Envoyé de mon
 * iPhone"), a name they introduce themselves with becomes "[NAME]" ("je m'appelle Jeanne
 * Martin", "my name is John Smith"), and the name of the agent they greet goes ("Bonjour Marie,").
 * Run on redacted text; the words in between are theirs, left as written. A message that is all
 * signature gives nothing: it is not quoted.
 */

const NAME_WORD = "\\p{Lu}[\\p{Ll}'’-]+";
const NAME = `${NAME_WORD}(?:[ \\t]+(?:${NAME_WORD}|\\p{Lu}\\.))?(?:[ \\t]+${NAME_WORD})?`;

/** Closings that end a message: what follows is a signature, however long. */
const FIRM_CLOSINGS = [
  'bien cordialement',
  'très cordialement',
  'cordialement',
  'bien à vous',
  'bien a vous',
  'salutations distinguées',
  'sincères salutations',
  'meilleures salutations',
  'veuillez agréer',
  "je vous prie d[’']agréer",
  'best regards',
  'kind regards',
  'warm regards',
  'regards',
  'sincerely',
  'yours faithfully',
  'yours truly',
  'envoyé de mon',
  'envoyé depuis mon',
  'sent from my',
];
/** Closings that are also ordinary words mid-message: a signature only when little follows them. */
const SOFT_CLOSINGS = [
  "merci d[’']avance",
  'merci par avance',
  'merci beaucoup',
  'merci',
  'thanks in advance',
  'many thanks',
  'thank you',
  'thanks',
  'cheers',
  'à bientôt',
  'a bientot',
  'bonne journée',
  'bonne soirée',
];
/** What may follow a soft closing for it to be a signature: a name, a title, a placeholder. */
const SOFT_TAIL_LENGTH = 60;

const BEFORE = '(?:^|(?<=[\\s.!?,;:()«»"\']))';
const firm = new RegExp(`${BEFORE}(?:${FIRM_CLOSINGS.join('|')})\\b`, 'iu');
const soft = new RegExp(`${BEFORE}(?:${SOFT_CLOSINGS.join('|')})\\b([\\s\\S]*)$`, 'iu');
const INTRODUCTION = new RegExp(
  `\\b((?:je\\s+m['’]appelle|mon\\s+nom\\s+est|my\\s+name\\s+is|i\\s+am|i['’]m|this\\s+is|ici)\\s+)(?:(?:madame|monsieur|mme|mr|mrs|ms|m\\.)\\s+)?${NAME}`,
  'gu',
);
const GREETING = new RegExp(
  `^(\\s*(?:bonjour|bonsoir|salut|hello|hi|hey|dear|cher|chère)),?[ \\t]+(?:(?:madame|monsieur|mme|mr|mrs|ms|m\\.)[ \\t]+)?${NAME}[ \\t]*([,!.:]|$)`,
  'imu',
);
/** A last line that is only a name (1-3 capitalised words) or contact placeholders. */
const NAME_LINE = new RegExp(`^(?:${NAME}|(?:\\[[A-Z]+\\][\\s,;/-]*)+)\\s*[.,]?$`, 'u');
/** Case-sensitive `I am`/`This is` only before a capitalised name: "i am Furious" stays. */
const LOWER_INTRO = /^(?:i\s+am|i['’]m|this\s+is|ici)\s+$/iu;

export function quoteOf(text: string): string {
  let quote = text;
  const closing = firm.exec(quote);
  if (closing) quote = quote.slice(0, closing.index);
  const softly = soft.exec(quote);
  if (softly && softly[1].trim().length <= SOFT_TAIL_LENGTH && softly.index > 0)
    quote = quote.slice(0, softly.index);
  quote = quote.replace(GREETING, (_whole, greeting: string, stop: string) => `${greeting}${stop || ','}`);
  quote = quote.replace(INTRODUCTION, (whole, intro: string) =>
    // "I am Very angry" is not a name; a capitalised first word after "I am" is, in practice, rare
    // otherwise, but "I am" + an adjective is common in complaints: only two capitalised words count.
    LOWER_INTRO.test(intro) && !/\p{Lu}[\p{Ll}'’-]+[ \t]+\p{Lu}/u.test(whole.slice(intro.length))
      ? whole
      : `${intro}[NAME]`,
  );
  const lines = quote.split('\n');
  while (
    lines.length > 1 &&
    (lines[lines.length - 1].trim() === '' || NAME_LINE.test(lines[lines.length - 1].trim()))
  )
    lines.pop();
  quote = lines.join('\n');
  return quote.replace(/[\s,;:–—-]+$/u, '').trim();
}
