import { Metadata } from 'libphonenumber-js/core';
import metadataJson from 'libphonenumber-js/metadata.max.json';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { CountryCode, PhoneNumber } from 'libphonenumber-js/max';
import { isDigit, isGroupingSpace, isWordChar } from './characters';

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
 * Regions whose national forms (no "+", no "00") are looked for with libphonenumber's full metadata.
 * Each region is one more way for a digit group to be read as a phone, so the list is the regions
 * customers write from. International forms ("+44 …", "0044 …") are read for every region.
 */
export const PHONE_REGIONS: readonly CountryCode[] = [
  'FR',
  'GB',
  'US',
  'CA',
  'BE',
  'CH',
  'LU',
  'DE',
  'ES',
  'IT',
  'NL',
  'IE',
];

// A window longer than this is a table of figures or hostile input, not a sentence giving a phone.
const MAX_WINDOW_DIGITS = 24;
const PLUS = 0x2b;
// The fewest digits an international number has ("+290 8999").
const MIN_INTERNATIONAL_DIGITS = 7;
// libphonenumber parses at most this many candidates per text: a hostile text of thousands of
// phone-shaped groups stays linear. Beyond it only the hand-written detector runs.
const MAX_PARSES_PER_TEXT = 256;
let parsesLeft = MAX_PARSES_PER_TEXT;

function parse(written: string, region?: CountryCode): PhoneNumber | undefined {
  if (parsesLeft <= 0) return undefined;
  parsesLeft--;
  return parsePhoneNumberFromString(written, region);
}

interface NationalFormat {
  pattern(): string;
  nationalPrefixFormattingRule(): string | undefined;
  leadingDigitsPatterns(): string[];
}

/**
 * A national format as written: how many digits each group has, trunk prefix included ("0$1 $2 $3"
 * → 3-4-4), the trunk prefix the first group starts with, and how the number after it must start.
 */
interface Shape {
  groups: readonly (readonly [number, number])[];
  trunk: string;
  leading: RegExp | undefined;
}

/**
 * The group shapes of a region's national formats, read from libphonenumber's metadata
 * ("(\d{2})(\d{4})(\d{4})" with "0$1" → [3,3],[4,4],[4,4]). They let a window be checked in a
 * few comparisons before the library parses it: libphonenumber costs tens of microseconds a call,
 * and most digit groups in feedback are order numbers, dates and prices.
 */
function shapesOf(region: CountryCode): Shape[] {
  const metadata = new Metadata(metadataJson);
  metadata.selectNumberingPlan(region);
  const shapes: Shape[] = [];
  // `formats()` is there at run time but missing from the published types.
  const plan = metadata.numberingPlan as unknown as { formats(): NationalFormat[] } | undefined;
  for (const format of plan?.formats() ?? []) {
    const groups = [...format.pattern().matchAll(/\(([^()]*)\)/g)].map(([, inside]) =>
      digitsOfPattern(inside),
    );
    if (groups.length < 2 || groups.some((group) => group === undefined)) continue;
    const trunk = /^(\d*)\$1/.exec(format.nationalPrefixFormattingRule() ?? '')?.[1] ?? '';
    const leadingPatterns = format.leadingDigitsPatterns();
    const leading = leadingPatterns.at(-1);
    shapes.push({
      groups: (groups as [number, number][]).map(([min, max], index) =>
        index === 0 ? [min + trunk.length, max + trunk.length] : [min, max],
      ),
      trunk,
      leading: leading === undefined ? undefined : new RegExp(`^(?:${leading})`),
    });
  }
  return shapes;
}

/** The digit count of a pattern such as "\d{3}", "[2-9]\d{2}" or "\d{4,5}", or undefined. */
function digitsOfPattern(pattern: string): [number, number] | undefined {
  let min = 0;
  let max = 0;
  const token = /(\\d|\[[^\]]*\])(?:\{(\d+)(?:,(\d+))?\})?/y;
  let at = 0;
  while (at < pattern.length) {
    token.lastIndex = at;
    const match = token.exec(pattern);
    if (match === null) return undefined;
    const low = match[2] === undefined ? 1 : Number(match[2]);
    min += low;
    max += match[3] === undefined ? low : Number(match[3]);
    at = token.lastIndex;
  }
  return [min, max];
}

const SHAPES = new Map(PHONE_REGIONS.map((region) => [region, shapesOf(region)]));

function fitsShape(
  text: string,
  starts: readonly number[],
  ends: readonly number[],
  lengths: readonly number[],
  first: number,
  last: number,
  shape: Shape,
): boolean {
  if (last - first + 1 !== shape.groups.length) return false;
  if (
    !shape.groups.every(([min, max], index) => lengths[first + index] >= min && lengths[first + index] <= max)
  ) {
    return false;
  }
  const start = starts[first];
  if (!text.startsWith(shape.trunk, start)) return false;
  if (shape.leading === undefined) return true;
  const national = text
    .slice(start, ends[last])
    .replace(/[^0-9]/g, '')
    .slice(shape.trunk.length);
  return shape.leading.test(national);
}

function isWindowChar(code: number): boolean {
  return (
    isDigit(code) || isPhoneSeparator(code) || code === OPENING_PARENTHESIS || code === CLOSING_PARENTHESIS
  );
}

function digitGroups(text: string): string {
  return text
    .split(/[^0-9]+/)
    .filter((group) => group.length > 0)
    .join(' ');
}

/**
 * National phone numbers as libphonenumber reads them, within windows of digit groups joined by
 * single separators or brackets. A run of groups is parsed only when it has the shape of one of a
 * region's national formats, and kept only when valid and grouped as that region prints it
 * ("020 7946 0958", "(415) 555-2671", "415.555.2671"): that is what keeps "2026-000123" an order
 * number and "01.02.2026 10" a date, though both are valid numbers digit for digit. A bare block of
 * digits is left to the French detector: ten ungrouped digits are an order number as often as a phone.
 */
function findNationalPhones(
  text: string,
  known: readonly (readonly [number, number])[],
  found: (start: number, end: number) => void,
): void {
  // Windows the hand-written detector has already read whole cost no library call.
  const isKnown = (start: number, end: number): boolean =>
    known.some(([knownStart, knownEnd]) => knownStart <= start && end <= knownEnd);
  let i = 0;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    const starts = isDigit(code) || code === OPENING_PARENTHESIS;
    if (!starts || (i > 0 && isWordChar(text.charCodeAt(i - 1)))) {
      i++;
      continue;
    }
    let end = i + 1;
    while (end < text.length && isWindowChar(text.charCodeAt(end))) end++;
    const scanned = end;
    // Separators and an opening bracket at the end belong to the sentence: "… 0958 please", "… (work)".
    while (
      end > i + 1 &&
      !isDigit(text.charCodeAt(end - 1)) &&
      text.charCodeAt(end - 1) !== CLOSING_PARENTHESIS
    ) {
      end--;
    }
    const glued = end === scanned && end < text.length && isWordChar(text.charCodeAt(end));
    if (glued || isKnown(i, end)) {
      // Nothing to add.
    } else if (i > 0 && text.charCodeAt(i - 1) === PLUS) {
      findInternational(text, i - 1, end, found);
    } else {
      findInWindow(text, i, end, found);
    }
    i = scanned;
  }
}

/**
 * An international number of any region, "+" at `from`: the longest run of whole groups that
 * libphonenumber finds valid. The hand-written detector reads most of them already; this one adds the
 * regions whose numbers are shorter than it dares to take ("+290 8999", "+682 71 234").
 */
function findInternational(
  text: string,
  from: number,
  to: number,
  found: (start: number, end: number) => void,
): void {
  const groupEnds: number[] = [];
  let digits = 0;
  for (let i = from + 1; i < to; i++) {
    if (!isDigit(text.charCodeAt(i))) continue;
    const end = digitsEnd(text, i);
    digits += end - i;
    if (digits > MAX_PHONE_DIGITS) break;
    groupEnds.push(end);
    i = end;
  }
  if (digits < MIN_INTERNATIONAL_DIGITS) return;
  for (let group = groupEnds.length - 1; group >= 0; group--) {
    const written = text.slice(from, groupEnds[group]);
    if (written.includes(')') !== written.includes('(')) continue;
    if (parse(written)?.isValid()) {
      found(from, groupEnds[group]);
      return;
    }
  }
}

function findInWindow(
  text: string,
  from: number,
  to: number,
  found: (start: number, end: number) => void,
): void {
  const starts: number[] = [];
  const ends: number[] = [];
  for (let i = from; i < to; i++) {
    if (!isDigit(text.charCodeAt(i))) continue;
    starts.push(i);
    i = digitsEnd(text, i);
    ends.push(i);
  }
  const total = ends.reduce((sum, end, index) => sum + end - starts[index], 0);
  if (starts.length < 2 || total > MAX_WINDOW_DIGITS) return;
  const lengths = starts.map((start, index) => ends[index] - start);
  const between = (group: number): string => text.slice(ends[group], starts[group + 1]);
  let coveredTo = from;
  for (let first = 0; first < starts.length; first++) {
    if (starts[first] < coveredTo) continue;
    // Longest first: "020 7946 0958" before a shorter reading of its first groups.
    for (let last = starts.length - 1; last > first; last--) {
      let digits = 0;
      const inside = new Set<string>();
      for (let group = first; group <= last; group++) {
        digits += lengths[group];
        if (group < last) inside.add(between(group));
      }
      if (digits < MIN_PHONE_DIGITS) break;
      // Groups that go on with the same separator are one longer number, not a phone and a number
      // beside it ("0100-0100-0433-400", "01.02.2026").
      if (first > 0 && inside.has(between(first - 1))) continue;
      if (last < starts.length - 1 && inside.has(between(last))) continue;
      // A bracket belongs to the number when it closes inside it: "(415) 555-2671", not "(06 12 …".
      const closesInside = [...inside].some((separator) => separator.includes(')'));
      const opened = text.charCodeAt(starts[first] - 1) === OPENING_PARENTHESIS && closesInside;
      const start = opened ? starts[first] - 1 : starts[first];
      const written = text.slice(start, ends[last]);
      if (!opened && closesInside) continue;
      let matched = false;
      for (const region of PHONE_REGIONS) {
        if (!SHAPES.get(region)?.some((shape) => fitsShape(text, starts, ends, lengths, first, last, shape)))
          continue;
        const phone = parse(written, region);
        if (phone?.isValid() && digitGroups(written) === digitGroups(phone.formatNational())) {
          matched = true;
          break;
        }
      }
      if (matched) {
        found(start, ends[last]);
        coveredTo = ends[last];
        break;
      }
    }
  }
}

/**
 * Reports phone numbers: French national forms, international ones ("+33 6 12 34 56 78", "0033 6 …",
 * "+33 (0)1 …", "+44 20 7946 0958", "+1 (415) 555-0100", "+49 30 1234567"), and through
 * libphonenumber every region's international numbers and the national forms of `PHONE_REGIONS`
 * ("020 7946 0958", "(415) 555-2671", "415.555.2671"). Where two readings overlap, their union is
 * reported: hiding a neighbouring digit is better than leaving part of a number.
 */
export function findPhones(text: string, found: (start: number, end: number) => void): void {
  const spans: [number, number][] = [];
  const collect = (start: number, end: number): void => {
    spans.push([start, end]);
  };
  parsesLeft = MAX_PARSES_PER_TEXT;
  findHandWrittenPhones(text, collect);
  findNationalPhones(text, [...spans], collect);
  spans.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  let current: [number, number] | undefined;
  for (const span of spans) {
    if (current && span[0] < current[1]) {
      current[1] = Math.max(current[1], span[1]);
    } else {
      if (current) found(current[0], current[1]);
      current = [span[0], span[1]];
    }
  }
  if (current) found(current[0], current[1]);
}

function findHandWrittenPhones(text: string, found: (start: number, end: number) => void): void {
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
