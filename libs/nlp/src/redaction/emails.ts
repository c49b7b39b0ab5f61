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
    let start = at;
    while (start > previousEnd && isLocalPartChar(text.charCodeAt(start - 1))) start--;
    // A local part starts with a letter or digit: "(+jeanne@…" hides "jeanne@…", not the bracket.
    while (start < at && !isLetterOrDigit(text.charCodeAt(start))) start++;
    if (start === at) continue;

    let labels = 0;
    let end = -1;
    let i = at + 1;
    for (;;) {
      const labelStart = i;
      while (i < text.length && isDomainChar(text.charCodeAt(i))) i++;
      if (i === labelStart) break;
      labels++;
      if (labels >= 2 && isTopLevelDomain(text, labelStart, i)) end = i;
      if (text.charCodeAt(i) !== 46 || i + 1 >= text.length || !isDomainChar(text.charCodeAt(i + 1))) break;
      i++;
    }
    if (end === -1) continue;
    found(start, end);
    searchFrom = end;
    previousEnd = end;
  }
}
