/**
 * Where the words of a search fall in a text, to mark them. The API searches French and English
 * stems (websearch syntax: "exact phrase", -excluded, or); this finds the same words closely
 * enough for the eye: case and accents ignored, a word's ending free ("refund" marks "refunds").
 * It returns pieces of the text, never markup: the caller renders them as text.
 */
export interface Piece {
  text: string;
  match: boolean;
}

const ACCENTS: Record<string, string> = {
  a: 'aàâäáã',
  c: 'cç',
  e: 'eéèêë',
  i: 'iîïíì',
  o: 'oôöóò',
  u: 'uùûüú',
  y: 'yÿ',
  n: 'nñ',
};

const plain = (text: string) =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();

/** The words and phrases a search looks for (excluded words and `or` left out), as typed. */
export function searchTerms(query: string): string[] {
  const terms: string[] = [];
  for (const match of query.matchAll(/(-?)"([^"]*)"?|(-?)([^\s"]+)/g)) {
    if (match[2] !== undefined) {
      if (!match[1] && match[2].trim()) terms.push(match[2].trim());
      continue;
    }
    const word = match[4];
    if (match[3] || word.toLowerCase() === 'or') continue;
    terms.push(word);
  }
  return terms;
}

/** A term as a pattern: accents free, a long last word's ending free (a stem, roughly). */
function pattern(term: string): string {
  const words = plain(term)
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  if (words.length === 0) return '';
  const last = words.length - 1;
  const stemmed = words.map((word, index) => {
    const stem = index === last && word.length >= 6 ? word.slice(0, -2) : word.replace(/s$/, '');
    const body = [...stem].map((char) => (ACCENTS[char] ? `[${ACCENTS[char]}]` : char)).join('');
    return `${body}[\\p{L}\\p{N}]*`;
  });
  return stemmed.join('[^\\p{L}\\p{N}]+');
}

export function highlight(text: string, query: string): Piece[] {
  const patterns = searchTerms(query)
    .map(pattern)
    .filter((one) => one.length > 0)
    // Longer terms first: a phrase wins over one of its words.
    .sort((a, b) => b.length - a.length);
  if (patterns.length === 0) return [{ text, match: false }];
  const finder = new RegExp(`(?<![\\p{L}\\p{N}])(?:${patterns.join('|')})`, 'giu');
  const pieces: Piece[] = [];
  let at = 0;
  for (const found of text.matchAll(finder)) {
    if (found[0].length === 0) continue;
    const start = found.index;
    if (start > at) pieces.push({ text: text.slice(at, start), match: false });
    pieces.push({ text: found[0], match: true });
    at = start + found[0].length;
  }
  if (at < text.length) pieces.push({ text: text.slice(at), match: false });
  return pieces;
}
