import { IBAN_LENGTHS, passesIbanChecksum, passesLuhn } from './checksums';

export type PiiKind = 'email' | 'phone' | 'card' | 'iban' | (string & {});

/** A pattern of the installation's own (booking references, customer ids) to redact as `[KIND]`. */
export interface RedactionPattern {
  kind: string;
  pattern: RegExp;
}

export interface PiiMatch {
  kind: PiiKind;
  start: number;
  end: number;
}

// Separators customers put inside numbers: spaces (including the no-break ones French typography
// uses), dots, dashes. One at a time, so that a sentence of numbers is not one long "number".
const SEP = '[ \\u00a0\\u202f.\\-]?';
const EMAIL =
  /[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,63})@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9-]{1,63})*\.[A-Za-z]{2,24}\b/g;
// An IBAN: two letters, two check digits, then 11-30 letters or digits, possibly grouped by four.
const IBAN = /\b[A-Z]{2}\d{2}(?:[ \u00a0]?[A-Z0-9]){11,30}\b/gi;
// A run of 13 or more digits, possibly grouped with single spaces or dashes: cards are looked for inside.
const CARD = /\b\d(?:[ \u00a0-]?\d){12,40}\b/g;
// A phone: French national (0X XX XX XX XX), French or other international (+33…, 0033…, +1 (415)…).
const PHONE = new RegExp(
  [
    `(?:\\+|\\b00)[1-9]\\d{0,2}${SEP}(?:\\(0\\)${SEP})?(?:\\(\\d{1,4}\\)${SEP})?\\d{1,4}(?:${SEP}\\d{1,4}){1,5}`,
    `\\b0[1-9](?:${SEP}\\d{2}){4}\\b`,
  ].join('|'),
  'g',
);
const PLACEHOLDER = /\[[A-Z][A-Z0-9_]*\]/g;

const PRECEDENCE: Readonly<Record<string, number>> = { iban: 0, card: 1, email: 2, phone: 3 };

function digitCount(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) count++;
  return count;
}

/**
 * The end (in `candidate`) of the phone number it starts with, or null. Fewer than 9 digits is a
 * price, a time or a train number; more than 15 is no phone (E.164), but the greedy pattern may
 * have run into a number that follows ("… 71 89 129,90"), so trailing groups are dropped first.
 */
function phoneEnd(candidate: string): number | null {
  let end = candidate.length;
  for (;;) {
    const digits = digitCount(candidate.slice(0, end));
    if (digits < 9) return null;
    if (digits <= 15) return end;
    const lastSeparator = Math.max(
      ...[' ', '\u00a0', '\u202f', '.', '-'].map((sep) => candidate.lastIndexOf(sep, end - 1)),
    );
    if (lastSeparator <= 0) return null;
    end = lastSeparator;
  }
}

/**
 * The end (in `candidate`) of the IBAN it starts with, or null. The pattern is greedy and may run
 * into the next word ("… 189 ok"), so the length comes from the country when it is known, and
 * otherwise the longest prefix that passes mod-97 wins.
 */
function ibanEnd(candidate: string): number | null {
  const ends: number[] = []; // ends[n] = index just after the n-th (1-based) alphanumeric
  let compact = '';
  for (let i = 0; i < candidate.length; i++) {
    if (candidate[i] === ' ' || candidate[i] === '\u00a0') continue;
    compact += candidate[i].toUpperCase();
    ends[compact.length] = i + 1;
  }
  const known = IBAN_LENGTHS[compact.slice(0, 2)];
  const lengths =
    known !== undefined ? [known] : Array.from({ length: compact.length - 14 }, (_, i) => compact.length - i);
  for (const length of lengths) {
    if (length <= compact.length && passesIbanChecksum(compact.slice(0, length))) return ends[length];
  }
  return null;
}

/**
 * Card numbers inside a run of digit groups: any sequence of whole groups of 13-19 digits that
 * passes Luhn, longest first. Whole groups only, so that an ungrouped order number is judged as a
 * whole and never through a lucky slice of it.
 */
function cardSpans(run: string): [number, number][] {
  const groups = [...run.matchAll(/\d+/g)].map((m) => ({
    start: m.index,
    end: m.index + m[0].length,
    digits: m[0],
  }));
  const spans: [number, number][] = [];
  let from = 0;
  while (from < groups.length) {
    let found: [number, number, number] | null = null; // [first group, last group, digits]
    for (let last = groups.length - 1; last >= from && !found; last--) {
      const digits = groups
        .slice(from, last + 1)
        .map((g) => g.digits)
        .join('');
      if (digits.length >= 13 && digits.length <= 19 && passesLuhn(digits))
        found = [from, last, digits.length];
    }
    if (found) {
      spans.push([groups[found[0]].start, groups[found[1]].end]);
      from = found[1] + 1;
    } else {
      from++;
    }
  }
  return spans;
}

/**
 * Runs a greedy pattern over the text, letting `endOf` cut each candidate to what it really is;
 * scanning resumes right after that, so a candidate that ran into the next one does not hide it.
 */
function scan(
  pattern: RegExp,
  text: string,
  endOf: (candidate: string) => number | null,
  found: (start: number, end: number) => void,
): void {
  const regex = new RegExp(pattern.source, pattern.flags);
  let match: RegExpExecArray | null;
  while ((match = regex.exec(text)) !== null) {
    const end = endOf(match[0]);
    if (end !== null) found(match.index, match.index + end);
    regex.lastIndex = match.index + Math.max(1, end ?? 1);
  }
}

function globalCopy(pattern: RegExp): RegExp {
  return new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
}

/**
 * Finds and replaces personal data in customer text: e-mail addresses, phone numbers, payment
 * cards (Luhn-checked) and IBANs (mod-97-checked), plus the installation's own patterns. Digit
 * runs that fail their checksum are kept: an order number is not a card. Placeholders are never
 * matched again, so redacting twice changes nothing.
 */
export class Redactor {
  private readonly extra: { kind: string; pattern: RegExp }[];

  constructor(extra: readonly RedactionPattern[] = []) {
    this.extra = extra.map(({ kind, pattern }) => ({ kind, pattern: globalCopy(pattern) }));
  }

  findPii(text: string): PiiMatch[] {
    const candidates: (PiiMatch & { rank: number })[] = [];
    const protectedSpans: [number, number][] = [];
    for (const match of text.matchAll(PLACEHOLDER))
      protectedSpans.push([match.index, match.index + match[0].length]);
    const add = (kind: string, rank: number, start: number, end: number) => {
      if (protectedSpans.some(([s, e]) => start < e && end > s)) return;
      candidates.push({ kind, rank, start, end });
    };
    scan(IBAN, text, ibanEnd, (start, end) => add('iban', PRECEDENCE.iban, start, end));
    for (const match of text.matchAll(CARD)) {
      for (const [start, end] of cardSpans(match[0]))
        add('card', PRECEDENCE.card, match.index + start, match.index + end);
    }
    for (const match of text.matchAll(EMAIL))
      add('email', PRECEDENCE.email, match.index, match.index + match[0].length);
    scan(PHONE, text, phoneEnd, (start, end) => add('phone', PRECEDENCE.phone, start, end));
    this.extra.forEach(({ kind, pattern }, index) => {
      pattern.lastIndex = 0;
      for (const match of text.matchAll(pattern)) {
        if (match[0].length > 0) add(kind, 10 + index, match.index, match.index + match[0].length);
      }
    });
    // Highest precedence first, then earliest and longest; keep what does not overlap a kept match.
    candidates.sort((a, b) => a.rank - b.rank || a.start - b.start || b.end - a.end);
    const kept: PiiMatch[] = [];
    for (const candidate of candidates) {
      if (kept.some((k) => candidate.start < k.end && candidate.end > k.start)) continue;
      kept.push({ kind: candidate.kind, start: candidate.start, end: candidate.end });
    }
    return kept.sort((a, b) => a.start - b.start);
  }

  redact(text: string): string {
    const matches = this.findPii(text);
    if (matches.length === 0) return text;
    let result = '';
    let last = 0;
    for (const match of matches) {
      result += text.slice(last, match.start) + `[${match.kind.toUpperCase()}]`;
      last = match.end;
    }
    return result + text.slice(last);
  }
}

const defaultRedactor = new Redactor();

export function findPii(text: string, extra?: readonly RedactionPattern[]): PiiMatch[] {
  return (extra && extra.length > 0 ? new Redactor(extra) : defaultRedactor).findPii(text);
}

export function redact(text: string, extra?: readonly RedactionPattern[]): string {
  return (extra && extra.length > 0 ? new Redactor(extra) : defaultRedactor).redact(text);
}
