import { isDigit, isWordChar } from './characters';
import { passesLuhnBetween } from './luhn';

const MIN_CARD_DIGITS = 13;
const MAX_CARD_DIGITS = 19;

// A run of digits, possibly grouped by single spaces, dashes or dots ("4970.1012.3456.7893"). One
// digit per step and a separator that can never be a digit: no two ways to match the same text, so
// no backtracking blow-up.
const DIGIT_RUN = /[0-9](?:[ \u00a0\u2007\u2009\u202f.-]?[0-9])*/g;

interface DigitGroup {
  start: number;
  end: number;
}

function groupsOf(text: string, start: number, end: number): DigitGroup[] {
  const groups: DigitGroup[] = [];
  let groupStart = start;
  for (let i = start; i < end; i++) {
    if (!isDigit(text.charCodeAt(i))) {
      groups.push({ start: groupStart, end: i });
      groupStart = i + 1;
    }
  }
  groups.push({ start: groupStart, end });
  return groups;
}

/**
 * Whether groups `first..last` are shaped like a card as people write one: all its digits in one
 * block, or a first group of four (every scheme prints 4-4-4-4, 4-6-5, 4-6-4 or 4-4-4-4-3), middle
 * groups of four to six and a last group of one to six. French thousands ("1 299 999 999 995 €")
 * and phone pairs do not have that shape. Mixed separators pass only in the 4-4-4-4 layout
 * ("4111-1111 1111-1111"): otherwise they are two numbers side by side ("2026 2026-000123").
 */
function hasCardShape(
  groups: readonly DigitGroup[],
  first: number,
  last: number,
  mixedSeparators: boolean,
): boolean {
  const length = (index: number) => groups[index].end - groups[index].start;
  if (first === last) return true;
  if (length(first) !== 4) return false;
  const [middleMin, middleMax, lastMax] = mixedSeparators ? [4, 4, 4] : [4, 6, 6];
  for (let middle = first + 1; middle < last; middle++) {
    if (length(middle) < middleMin || length(middle) > middleMax) return false;
  }
  return length(last) <= lastMax;
}

/**
 * Reports payment card numbers: 13 to 19 digits, in one block or grouped, that pass Luhn. A run of
 * groups is tried window by window, because a card is often followed by its expiry or CVV ("… 1111
 * 123") or preceded by another number; when windows overlap, their union is reported, since hiding
 * a neighbouring number is better than leaving four digits of a card. Runs that fail Luhn are
 * kept: an order number is not a card.
 */
export function findCards(text: string, found: (start: number, end: number) => void): void {
  DIGIT_RUN.lastIndex = 0;
  let run: RegExpExecArray | null;
  while ((run = DIGIT_RUN.exec(text)) !== null) {
    const runStart = run.index;
    const runEnd = runStart + run[0].length;
    if (runEnd - runStart < MIN_CARD_DIGITS) continue;
    const groups = groupsOf(text, runStart, runEnd);
    const gluedBefore = runStart > 0 && isWordChar(text.charCodeAt(runStart - 1));
    const gluedAfter = runEnd < text.length && isWordChar(text.charCodeAt(runEnd));
    let spanStart = -1;
    let spanEnd = -1;
    for (let first = 0; first < groups.length; first++) {
      if (first === 0 && gluedBefore) continue;
      let digits = 0;
      let mixedSeparators = false;
      for (let last = first; last < groups.length; last++) {
        if (last > first + 1) {
          mixedSeparators ||= text.charCodeAt(groups[last - 1].end) !== text.charCodeAt(groups[first].end);
        }
        digits += groups[last].end - groups[last].start;
        if (digits > MAX_CARD_DIGITS) break;
        if (digits < MIN_CARD_DIGITS || !hasCardShape(groups, first, last, mixedSeparators)) continue;
        if (last === groups.length - 1 && gluedAfter) continue;
        const start = groups[first].start;
        const end = groups[last].end;
        if (!passesLuhnBetween(text, start, end)) continue;
        if (spanEnd !== -1 && start < spanEnd) {
          spanEnd = Math.max(spanEnd, end);
        } else {
          if (spanEnd !== -1) found(spanStart, spanEnd);
          spanStart = start;
          spanEnd = end;
        }
      }
    }
    if (spanEnd !== -1) found(spanStart, spanEnd);
  }
}
