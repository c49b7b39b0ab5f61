import { isAsciiAlphanumeric, isGroupingSpace, isWordChar } from './characters';

/**
 * IBAN lengths per country, from the ISO 13616 (SWIFT) registry. A country outside it has no IBAN,
 * so a lookalike such as a booking reference "AB12 CDEF…" is never even checksummed.
 */
export const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24,
  AE: 23,
  AL: 28,
  AT: 20,
  AZ: 28,
  BA: 20,
  BE: 16,
  BG: 22,
  BH: 22,
  BI: 27,
  BR: 29,
  BY: 28,
  CH: 21,
  CR: 22,
  CY: 28,
  CZ: 24,
  DE: 22,
  DJ: 27,
  DK: 18,
  DO: 28,
  EE: 20,
  EG: 29,
  ES: 24,
  FI: 18,
  FK: 18,
  FO: 18,
  FR: 27,
  GB: 22,
  GE: 22,
  GI: 23,
  GL: 18,
  GR: 27,
  GT: 28,
  HN: 28,
  HR: 21,
  HU: 28,
  IE: 22,
  IL: 23,
  IQ: 23,
  IS: 26,
  IT: 27,
  JO: 30,
  KW: 30,
  KZ: 20,
  LB: 28,
  LC: 32,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  LY: 25,
  MC: 27,
  MD: 24,
  ME: 22,
  MK: 19,
  MN: 20,
  MR: 27,
  MT: 31,
  MU: 30,
  NI: 28,
  NL: 18,
  NO: 15,
  OM: 23,
  PK: 24,
  PL: 28,
  PS: 29,
  PT: 25,
  QA: 29,
  RO: 24,
  RS: 22,
  RU: 33,
  SA: 24,
  SC: 31,
  SD: 18,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  SO: 23,
  ST: 25,
  SV: 28,
  TL: 23,
  TN: 24,
  TR: 26,
  UA: 29,
  VA: 22,
  VG: 24,
  XK: 20,
  YE: 30,
};

/** Adds one IBAN character to a running mod-97 remainder; letters count as 10 (A) to 35 (Z). */
function mod97Step(remainder: number, code: number): number {
  if (code >= 97) code -= 32;
  return code >= 65 ? (remainder * 100 + (code - 55)) % 97 : (remainder * 10 + (code - 48)) % 97;
}

/** ISO 13616 check of a compact IBAN (no spaces, either case): registered country, its length, mod-97. */
export function passesIbanChecksum(iban: string): boolean {
  const expected = IBAN_LENGTHS[iban.slice(0, 2).toUpperCase()];
  if (expected === undefined || iban.length !== expected || !/^[A-Za-z0-9]+$/.test(iban)) return false;
  return passesMod97Between(iban, 0, iban.length);
}

/** The mod-97 check over the alphanumerics of `text[start, end)`, separators skipped. */
function passesMod97Between(text: string, start: number, end: number): boolean {
  let remainder = 0;
  // The four leading characters (country, check digits) are moved to the end before the division.
  for (let i = start + 4; i < end; i++) {
    const code = text.charCodeAt(i);
    if (isAsciiAlphanumeric(code)) remainder = mod97Step(remainder, code);
  }
  for (let i = start; i < start + 4; i++) remainder = mod97Step(remainder, text.charCodeAt(i));
  return remainder === 1;
}

// Where an IBAN can start: two letters and two check digits, not glued to a preceding word.
const IBAN_START = /(?<![A-Za-z0-9_])[A-Za-z]{2}[0-9]{2}/g;

/**
 * Reports every valid IBAN: written compact or grouped by four with single spaces or dashes, in
 * either case.
 * The length comes from the country, so the IBAN ends exactly where it should even when the text
 * goes on with more letters and digits ("FR76 … 189 ok"), and it must not be glued to a word.
 */
export function findIbans(text: string, found: (start: number, end: number) => void): void {
  IBAN_START.lastIndex = 0;
  let anchor: RegExpExecArray | null;
  while ((anchor = IBAN_START.exec(text)) !== null) {
    const start = anchor.index;
    const length = IBAN_LENGTHS[anchor[0].slice(0, 2).toUpperCase()];
    if (length === undefined) continue;
    let count = 4;
    let i = start + 4;
    while (count < length && i < text.length) {
      const code = text.charCodeAt(i);
      if (isAsciiAlphanumeric(code)) {
        count++;
        i++;
      } else if (
        // Spaces or dashes only between groups of four: anything else is the sentence going on.
        (isGroupingSpace(code) || code === 0x2d) &&
        count % 4 === 0 &&
        i + 1 < text.length &&
        isAsciiAlphanumeric(text.charCodeAt(i + 1))
      ) {
        i++;
      } else {
        break;
      }
    }
    if (count !== length || (i < text.length && isWordChar(text.charCodeAt(i)))) continue;
    if (!passesMod97Between(text, start, i)) continue;
    found(start, i);
    IBAN_START.lastIndex = i;
  }
}
