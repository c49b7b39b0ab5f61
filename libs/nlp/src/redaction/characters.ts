// Character classes shared by the detectors, on UTF-16 code units: the detectors walk the text by hand
// rather than through one big regular expression, which keeps them linear on any input.

export function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

export function isAsciiLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

export function isAsciiAlphanumeric(code: number): boolean {
  return isDigit(code) || isAsciiLetter(code);
}

/** What `\b` calls a word character: a number glued to one belongs to a reference, not to a person. */
export function isWordChar(code: number): boolean {
  return isAsciiAlphanumeric(code) || code === 95;
}

/**
 * Spaces that group digits: the plain one, and the no-break ones French typography and word
 * processors put in numbers (U+00A0, narrow U+202F, figure U+2007, thin U+2009).
 */
export function isGroupingSpace(code: number): boolean {
  return code === 0x20 || code === 0xa0 || code === 0x202f || code === 0x2007 || code === 0x2009;
}

const UNICODE_LETTER_OR_DIGIT = /^[\p{L}\p{M}\p{N}]$/u;

/** Accented and non-Latin letters, which internationalised addresses may contain. */
export function isNonAsciiLetterOrDigit(code: number): boolean {
  return code > 127 && UNICODE_LETTER_OR_DIGIT.test(String.fromCharCode(code));
}
