// Invisible characters that only get in the way of matching and of the words themselves.
const INVISIBLE = /[\u00ad\u200b-\u200d\u2060\ufeff]/g;
// eslint-disable-next-line no-control-regex -- removing control characters is the point
const CONTROL = /[\u0000-\u0008\u000e-\u001f\u007f-\u009f]/g;
const HORIZONTAL_SPACE = /[\t\v\f\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]/g;
const LINE_SEPARATOR = /\r\n?|[\u2028\u2029]/g;
// Outlook's plain-text part stands "[cid:image001.png@01DC…]" where an inline image was.
const CID_PLACEHOLDER = /\[cid:[^\]\s]*\]/gi;
const REPLY_PREFIXES = /^(?:\s*(?:re|fwd?|tr|aw|réf)\s*(?:\[\d+\])?\s*:)+/iu;

/**
 * One character per accented letter (NFC), '\n' line ends, every kind of space a plain space,
 * invisible and control characters gone. Line structure is kept for the reply stripping.
 */
export function prenormalise(text: string): string {
  return text
    .normalize('NFC')
    .replace(LINE_SEPARATOR, '\n')
    .replace(HORIZONTAL_SPACE, ' ')
    .replace(INVISIBLE, '')
    .replace(CONTROL, '')
    .replace(CID_PLACEHOLDER, '');
}

/** Runs of spaces collapsed, lines trimmed, at most one empty line in a row, no blank edges. */
export function normaliseText(text: string): string {
  return prenormalise(text)
    .split('\n')
    .map((line) => line.replace(/ {2,}/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** A header value on one line. */
export function normaliseLine(text: string): string {
  return prenormalise(text).replace(/\s+/g, ' ').trim();
}

/** "Re: TR: Remboursement" → "Remboursement", for a subject that stands in for an empty body. */
export function subjectWithoutPrefixes(subject: string): string {
  return subject.replace(REPLY_PREFIXES, '').trim();
}
