import { Channel } from '@app/database';
import type { VerbatimInput } from '@app/ingest';
import type { EmailReading } from './email-reading';
import { subjectWithoutPrefixes } from './normalise';

export type EmailOutcome = { verbatim: VerbatimInput } | { skipped: string } | { refused: string };

/**
 * An e-mail read, as the ingest takes it. The subject leads the text (customers put their
 * complaint there: "Remboursement billet 12345"), unless the body already is the subject.
 * A message with no sender address is refused: it cannot be counted as anyone.
 */
export function emailVerbatim(source: string, reading: EmailReading, arrivedAt: Date | null): EmailOutcome {
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
  const receivedAt = reading.date ?? arrivedAt ?? new Date();
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
      },
    },
  };
}
