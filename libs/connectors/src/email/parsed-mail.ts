import type { EmailAddress, HeaderValue, ParsedMail, StructuredHeader } from 'mailparser';
import { normaliseLine } from './normalise';
import { cleanMessageId } from './raw-headers';

/** The string values of a header (a repeated header gives several), lower-cased and trimmed. */
export function headerStrings(mail: ParsedMail, name: string): string[] {
  const value = mail.headers.get(name);
  const values: unknown[] = Array.isArray(value) ? value : [value];
  return values.filter((v): v is string => typeof v === 'string').map((v) => v.trim().toLowerCase());
}

/** A structured header (Content-Type …), or null. */
export function structuredHeader(mail: ParsedMail, name: string): StructuredHeader | null {
  const value = mail.headers.get(name);
  return isStructured(value) ? value : null;
}

/** Whether the raw header is present at all, whatever its value. */
export function hasHeader(mail: ParsedMail, name: string): boolean {
  return mail.headerLines.some((header) => header.key === name);
}

/** The raw value of the first such header, unfolded, or null. */
export function rawHeader(mail: ParsedMail, name: string): string | null {
  const header = mail.headerLines.find((h) => h.key === name);
  if (!header) return null;
  return header.line
    .slice(header.line.indexOf(':') + 1)
    .replace(/\r?\n/g, '')
    .trim();
}

/** The first mailbox of From: its address lower-cased (null unless it has an @), and its name. */
export function senderOf(mail: ParsedMail): { from: string | null; fromName: string | null } {
  const mailboxes = (mail.from?.value ?? []).flatMap((entry) => entry.group ?? [entry]);
  const first: EmailAddress | undefined = mailboxes.find((m) => m.address) ?? mailboxes[0];
  const address = (first?.address ?? '').trim().toLowerCase();
  const name = normaliseLine(first?.name ?? '');
  return { from: address.includes('@') ? address : null, fromName: name || null };
}

/**
 * The Date header, or null when it is missing or unreadable: mailparser puts the current time in
 * place of a date it cannot parse, which would pass a garbage date off as a real one.
 */
export function dateOf(mail: ParsedMail): Date | null {
  const value = rawHeader(mail, 'date');
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

export function threadOf(mail: ParsedMail): { inReplyTo: string | null; references: string[] } {
  const references = [mail.references ?? []]
    .flat()
    .flatMap((value) => value.split(/\s+/))
    .map(cleanMessageId)
    .filter((id): id is string => id !== null);
  return { inReplyTo: cleanMessageId(mail.inReplyTo), references: [...new Set(references)] };
}

function isStructured(value: HeaderValue | undefined): value is StructuredHeader {
  return typeof value === 'object' && !Array.isArray(value) && 'value' in value && 'params' in value;
}
