import { isDigit, isGroupingSpace } from './characters';

// E.164: a country code and its national number make at most 15 digits. Fewer than 9 is a price, a
// time, a train or an order number far more often than a phone.
const MIN_PHONE_DIGITS = 9;
const MAX_PHONE_DIGITS = 15;
const FRENCH_NATIONAL_DIGITS = 10;

// Country codes are prefix-free: 1 and 7 alone, these two-digit ones, and three digits otherwise.
const TWO_DIGIT_COUNTRY_CODES = new Set([
  '20', '27', '30', '31', '32', '33', '34', '36', '39', '40', '41', '43', '44', '45', '46', '47', '48', '49',
  '51', '52', '53', '54', '55', '56', '57', '58', '60', '61', '62', '63', '64', '65', '66', '81', '82', '84',
  '86', '90', '91', '92', '93', '94', '95', '98',
]); // prettier-ignore

/**
 * National number lengths (trunk prefix excluded) where they are fixed or narrow: they stop a phone
 * at its last digit when the sentence goes on with another number ("+44 20 7946 0958 2026").
 * Elsewhere a phone runs to the E.164 maximum.
 */
const NATIONAL_LENGTHS: Readonly<Record<string, readonly [number, number]>> = {
  '1': [10, 10],
  '7': [10, 10],
  '30': [10, 10],
  '31': [9, 9],
  '32': [8, 9],
  '33': [9, 9],
  '34': [9, 9],
  '39': [6, 11],
  '41': [9, 9],
  '43': [4, 13],
  '44': [9, 10],
  '45': [8, 8],
  '47': [8, 8],
  '48': [9, 9],
  '49': [6, 13],
  '212': [9, 9],
  '216': [8, 8],
  '351': [9, 9],
  '352': [6, 11],
  '353': [7, 9],
  '377': [8, 9],
};

// Italy keeps its leading 0 after the country code; everywhere else that 0 is the trunk prefix.
const KEEPS_LEADING_ZERO = new Set(['39', '378', '379']);

function countryCodeLength(digits: string): number {
  if (digits[0] === '1' || digits[0] === '7') return 1;
  return TWO_DIGIT_COUNTRY_CODES.has(digits.slice(0, 2)) ? 2 : 3;
}

const DOT = 0x2e;
const DASH = 0x2d;
const OPENING_PARENTHESIS = 0x28;
const CLOSING_PARENTHESIS = 0x29;
const ZERO = 0x30;

function isPhoneSeparator(code: number): boolean {
  return isGroupingSpace(code) || code === DOT || code === DASH;
}

function digitsEnd(text: string, from: number): number {
  let i = from;
  while (i < text.length && isDigit(text.charCodeAt(i))) i++;
  return i;
}

/**
 * The end of an international number whose country code starts at `from` (after "+" or "00"), or
 * -1. After the country code: an optional "(0)" trunk, an optional "(415)" area code, then groups
 * separated by single spaces, dots or dashes, in any mix ("+1 (415) 555-0100"). A habitual trunk 0
 * ("+33 06 …") is not counted. The longest prefix of whole groups of a valid length wins.
 */
function internationalEnd(text: string, from: number): number {
  const firstGroupEnd = digitsEnd(text, from);
  const firstGroup = text.slice(from, firstGroupEnd);
  if (firstGroup.length === 0 || firstGroup[0] === '0') return -1;
  const codeLength = countryCodeLength(firstGroup);
  if (firstGroup.length < codeLength) return -1;
  const countryCode = firstGroup.slice(0, codeLength);
  const known = NATIONAL_LENGTHS[countryCode];
  const min = Math.max(known?.[0] ?? 0, MIN_PHONE_DIGITS - codeLength);
  const max = Math.min(known?.[1] ?? MAX_PHONE_DIGITS, MAX_PHONE_DIGITS - codeLength);
  const trunkMayFollow = !KEEPS_LEADING_ZERO.has(countryCode);

  let national = firstGroup.length - codeLength;
  if (national > 0 && trunkMayFollow && firstGroup[codeLength] === '0') national--;
  let atNationalStart = national === 0;
  let end = national >= min && national <= max ? firstGroupEnd : -1;
  let i = firstGroupEnd;
  for (;;) {
    let j = i;
    if (j < text.length && isPhoneSeparator(text.charCodeAt(j))) j++;
    const code = text.charCodeAt(j);
    if (code === OPENING_PARENTHESIS && atNationalStart) {
      const closing = digitsEnd(text, j + 1);
      const inside = closing - (j + 1);
      if (inside < 1 || inside > 4 || text.charCodeAt(closing) !== CLOSING_PARENTHESIS) break;
      if (inside === 1 && text.charCodeAt(j + 1) === ZERO) {
        // "(0)": the trunk prefix, still followed by the national number proper.
        i = closing + 1;
        continue;
      }
      national += inside;
      atNationalStart = false;
      i = closing + 1;
    } else if (isDigit(code)) {
      const groupEnd = digitsEnd(text, j);
      national += groupEnd - j;
      if (atNationalStart && trunkMayFollow && code === ZERO) national--;
      atNationalStart = false;
      i = groupEnd;
    } else {
      break;
    }
    if (national > max) break;
    if (national >= min) end = i;
  }
  return end;
}

/**
 * The end of a French national number starting at `from`, or -1: ten digits from "0[1-9]", ungrouped
 * or in groups. The separator must be the same throughout ("06 12 34 56 78", "06.12.34.56.78"),
 * unless the groups are the usual five pairs ("06 12.34-56 78"): that is what keeps "01.02.2026
 * 10:45" a date and a time. Outside the usual forms (one block, pairs, after "(0)"), ten digits
 * that merely continue a longer number ("0900-0500-0000-00") are part of it, not a phone.
 * `digitsBefore` counts a "(0)" already read.
 */
function frenchNationalEnd(text: string, from: number, digitsBefore: number): number {
  let digits = digitsBefore;
  let groups = 0;
  let sameSeparator = true;
  let pairs = true;
  let separator = -1;
  let i = from;
  for (;;) {
    const groupEnd = digitsEnd(text, i);
    if (groupEnd === i) return -1;
    digits += groupEnd - i;
    groups++;
    pairs &&= groupEnd - i === 2;
    if (digits === FRENCH_NATIONAL_DIGITS) {
      if (!sameSeparator && !pairs) return -1;
      const usual = groups === 1 || pairs || digitsBefore > 0;
      if (
        !usual &&
        (continuesNumber(text, from - 1, -1, separator) || continuesNumber(text, groupEnd, 1, separator))
      )
        return -1;
      return groupEnd;
    }
    if (digits > FRENCH_NATIONAL_DIGITS || groupEnd + 1 >= text.length) return -1;
    const next = text.charCodeAt(groupEnd);
    if (!isPhoneSeparator(next)) return -1;
    sameSeparator &&= separator === -1 || next === separator;
    separator = next;
    i = groupEnd + 1;
  }
}

/** Whether `text` has `separator` at `at`, then a digit one step further in `direction`. */
function continuesNumber(text: string, at: number, direction: 1 | -1, separator: number): boolean {
  return text.charCodeAt(at) === separator && isDigit(text.charCodeAt(at + direction));
}

// Where a phone can start: "+" and a country code; or, not glued to a word, "00" and a country
// code, a French "0[1-9]", or a French "(0)" trunk ("(0)1 23 45 67 89").
const PHONE_START = /\+(?=[1-9])|(?<![A-Za-z0-9_])(?:00(?=[1-9])|0(?=[1-9])|\(0\))/g;

/**
 * Reports phone numbers: French national forms, and international ones ("+33 6 12 34 56 78",
 * "0033 6 …", "+33 (0)1 …", "+44 20 7946 0958", "+1 (415) 555-0100", "+49 30 1234567").
 */
export function findPhones(text: string, found: (start: number, end: number) => void): void {
  PHONE_START.lastIndex = 0;
  let anchor: RegExpExecArray | null;
  while ((anchor = PHONE_START.exec(text)) !== null) {
    const start = anchor.index;
    let end: number;
    if (anchor[0] === '+') {
      end = internationalEnd(text, start + 1);
    } else if (anchor[0] === '00') {
      end = internationalEnd(text, start + 2);
    } else if (anchor[0] === '(0)') {
      const next = start + 3;
      const from = next < text.length && isPhoneSeparator(text.charCodeAt(next)) ? next + 1 : next;
      end = from < text.length && text.charCodeAt(from) !== ZERO ? frenchNationalEnd(text, from, 1) : -1;
    } else {
      end = frenchNationalEnd(text, start, 0);
    }
    if (end === -1) continue;
    found(start, end);
    PHONE_START.lastIndex = end;
  }
}
