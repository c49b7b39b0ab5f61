import { createHash } from 'node:crypto';
import { MAX_TEXT_LENGTH, VerbatimInput, checkVerbatim } from '@app/ingest';
import { htmlToPlainText } from '../email/html-text';

export const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

/** Plain text of forum HTML (feed content, Discourse `cooked`): tags, quotes and images out. */
export function plainText(html: string): string {
  return tidy(htmlToPlainText(html));
}

/** Markup or entities left in a text once it was read as HTML: it had been escaped twice. */
const STILL_HTML =
  /<(?:!--|\/?(?:p|div|br|span|a|img|b|i|u|em|strong|ul|ol|li|table|tr|td|th|h[1-6]|blockquote|pre|code|font|hr)\b[^<>]*>)|&(?:lt|gt|amp|quot|apos|nbsp|#\d{1,6}|#x[\da-f]{1,6});/i;

/**
 * Plain text of HTML that publishers may have escaped twice (or three times): read again while
 * what comes out still is markup ("&amp;lt;p&amp;gt;" → "&lt;p&gt;" → "<p>" → text).
 */
export function htmlText(html: string): string {
  let text = plainText(html);
  for (let pass = 0; pass < 2 && STILL_HTML.test(text); pass++) text = plainText(text);
  return text;
}

/**
 * Whitespace as a reader (and a tokenizer) expects it: French typography's no-break spaces as
 * spaces, no trailing blanks, at most one empty line in a row.
 */
export function tidy(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[\u00a0\u202f]/g, ' ')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** A short one-line string (titles, names), or undefined when empty. */
export function oneLine(value: string | undefined, max: number): string | undefined {
  const line = value?.replace(/\s+/g, ' ').trim();
  return line ? line.slice(0, max) : undefined;
}

export function clipText(text: string): string {
  return text.slice(0, MAX_TEXT_LENGTH);
}

/**
 * The verbatim as the ingest would accept it, or why not: the ingest stores what it is given, so
 * a date out of range or a NUL character must be caught here, as a refusal with its reason.
 */
export function checked(item: VerbatimInput): { verbatim: VerbatimInput } | { refused: string } {
  const check = checkVerbatim(item);
  return check.ok ? { verbatim: check.value } : { refused: check.reason };
}
