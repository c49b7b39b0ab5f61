import { Channel } from '@app/database';
import type { VerbatimInput } from '@app/ingest';
import type { EmailReading } from './email-reading';
import { subjectWithoutPrefixes } from './normalise';

export type EmailOutcome = { verbatim: VerbatimInput } | { skipped: string } | { refused: string };

/** The earliest date a verbatim may carry (the ingest refuses older ones as clock mistakes). */
const EARLIEST = Date.UTC(2000, 0, 1);
const DAY_MS = 86_400_000;

/**
 * An e-mail read, as the ingest takes it. The subject leads the text (customers put their
 * complaint there: "Remboursement billet 12345"), unless the body already is the subject.
 * A message with no sender address is refused: it cannot be counted as anyone.
 * Its date is the Date header's, unless that is missing or out of range (a sender's clock in 1970
 * or next year): then the time it arrived (the IMAP server's, or the push's), marked in metadata.
 */
export function emailVerbatim(
  source: string,
  reading: EmailReading,
  arrivedAt: Date | null,
  now: Date,
): EmailOutcome {
  if (reading.kind === 'skipped') return { skipped: reading.reason };
  if (reading.kind === 'refused') return { refused: reading.reason };
  if (!reading.from) return { refused: 'no sender address' };
  const subject = reading.subject.trim();
  // A body left empty reads as its subject without "Re:": then the subject alone is the text.
  const leads =
    subject && !reading.text.startsWith(subject) && reading.text !== subjectWithoutPrefixes(subject);
  const text = leads
    ? `${subject}\n${reading.text}`
    : reading.text === subjectWithoutPrefixes(subject)
      ? subject || reading.text
      : reading.text;
  const usable = (date: Date | null): date is Date =>
    date !== null && date.getTime() >= EARLIEST && date.getTime() <= now.getTime() + DAY_MS;
  const dated = usable(reading.date);
  const receivedAt = dated ? (reading.date as Date) : usable(arrivedAt) ? arrivedAt : now;
  return {
    verbatim: {
      source,
      externalId: reading.messageId.slice(0, 512),
      author: reading.from,
      channel: Channel.Email,
      receivedAt: receivedAt.toISOString(),
      text: text.slice(0, 20_000),
      metadata: {
        subject: subject.slice(0, 300),
        attachments: reading.attachments,
        ...(reading.inReplyTo ? { inReplyTo: reading.inReplyTo.slice(0, 300) } : {}),
        ...(dated ? {} : { dated: 'on arrival' }),
      },
    },
  };
}
