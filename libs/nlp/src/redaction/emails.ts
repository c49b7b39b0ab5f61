import { isAsciiAlphanumeric, isAsciiLetter, isNonAsciiLetterOrDigit } from './characters';

const MAX_TLD_LENGTH = 24;

function isLetterOrDigit(code: number): boolean {
  return isAsciiAlphanumeric(code) || isNonAsciiLetterOrDigit(code);
}

function isLocalPartChar(code: number): boolean {
  return (
    isAsciiAlphanumeric(code) ||
    code === 46 || // .
    code === 95 || // _
    code === 37 || // %
    code === 43 || // +
    code === 45 || // -
    code === 39 || // ' (bob_o'neil@…)
    code === 0x2019 || // ’, what word processors make of it
    isNonAsciiLetterOrDigit(code)
  );
}

function isDomainChar(code: number): boolean {
  return isAsciiAlphanumeric(code) || code === 45 || isNonAsciiLetterOrDigit(code);
}

function isTopLevelDomain(text: string, start: number, end: number): boolean {
  if (end - start < 2 || end - start > MAX_TLD_LENGTH) return false;
  if (text.slice(start, start + 4).toLowerCase() === 'xn--') return true; // punycode
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (!isAsciiLetter(code) && !isNonAsciiLetterOrDigit(code)) return false;
  }
  return true;
}

// "jeanne(at)example.com", "jeanne [at] example [dot] com": addresses written so that robots miss them.
const SPELLED_AT = /[ \u00a0]?[([{<] ?at ?[)\]}>][ \u00a0]?/giy;
const SPELLED_DOT = /[ \u00a0]?[([{<] ?dot ?[)\]}>][ \u00a0]?/giy;

function spelledLength(pattern: RegExp, text: string, at: number): number {
  pattern.lastIndex = at;
  const match = pattern.exec(text);
  return match === null ? 0 : match[0].length;
}

/** The start of the local part ending at `at`, or `at` itself when there is none. */
function localPartStart(text: string, at: number, floor: number): number {
  let start = at;
  while (start > floor && isLocalPartChar(text.charCodeAt(start - 1))) start--;
  // A local part starts with a letter or digit: "(+jeanne@…" hides "jeanne@…", not the bracket.
  while (start < at && !isLetterOrDigit(text.charCodeAt(start))) start++;
  return start;
}

/**
 * The end of the domain starting at `from` (just after the "@"), or -1: at least two labels, the
 * last one able to be a top-level domain. With `spelledDots`, "(dot)" and "[dot]" join labels too.
 */
function domainEnd(text: string, from: number, spelledDots: boolean): number {
  let labels = 0;
  let end = -1;
  let i = from;
  for (;;) {
    const labelStart = i;
    while (i < text.length && isDomainChar(text.charCodeAt(i))) i++;
    if (i === labelStart) break;
    labels++;
    if (labels >= 2 && isTopLevelDomain(text, labelStart, i)) end = i;
    if (text.charCodeAt(i) === 46 && i + 1 < text.length && isDomainChar(text.charCodeAt(i + 1))) {
      i++;
      continue;
    }
    const dot = spelledDots ? spelledLength(SPELLED_DOT, text, i) : 0;
    if (dot === 0 || !isDomainChar(text.charCodeAt(i + dot))) break;
    i += dot;
  }
  return end;
}

/** Reports addresses whose "@" is spelled out: "jeanne(at)example.com", "jeanne [at] example [dot] fr". */
export function findSpelledEmails(text: string, found: (start: number, end: number) => void): void {
  let previousEnd = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code !== 40 && code !== 91 && code !== 123 && code !== 60 && code !== 32 && code !== 0xa0) continue;
    const marker = spelledLength(SPELLED_AT, text, i);
    if (marker === 0) continue;
    const start = localPartStart(text, i, previousEnd);
    const end = start === i ? -1 : domainEnd(text, i + marker, true);
    if (end === -1) continue;
    found(start, end);
    previousEnd = end;
    i = end - 1;
  }
}

/**
 * Reports e-mail addresses, found from their "@" outwards rather than by a regular expression: most
 * texts have no "@" at all, and walking out from one is linear whatever surrounds it. Accepted:
 * plus-addressing, subdomains, any case, accented local parts and domains. The address ends at the
 * last label that can be a top-level domain, so "a@b.fr." leaves the full stop.
 */
export function findEmails(text: string, found: (start: number, end: number) => void): void {
  let searchFrom = 0;
  let previousEnd = 0;
  let at: number;
  while ((at = text.indexOf('@', searchFrom)) !== -1) {
    searchFrom = at + 1;
    const start = localPartStart(text, at, previousEnd);
    if (start === at) continue;
    const end = domainEnd(text, at + 1, false);
    if (end === -1) continue;
    found(start, end);
    searchFrom = end;
    previousEnd = end;
  }
}
