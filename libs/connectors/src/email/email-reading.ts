/** Larger messages are refused before parsing: a customer's words never need 10 MB. */
export const MAX_EMAIL_BYTES = 10 * 1024 * 1024;

/** The product's own Monday digest carries this header; such mail is never a verbatim. */
export const DIGEST_HEADER = 'x-loveboard-digest';

/** What one raw e-mail is to LoveBoard. */
export type EmailReading =
  | {
      kind: 'verbatim';
      /** Message-ID without <>; when absent: 'sha256:' + hex sha256 of the raw bytes. */
      messageId: string;
      /** The sender address, lower-cased. */
      from: string | null;
      fromName: string | null;
      subject: string;
      date: Date | null;
      /** The customer's own words: no subject, no quoted reply, no signature; never empty. */
      text: string;
      /** Counted, never stored. */
      attachments: number;
      inReplyTo: string | null;
      references: string[];
    }
  | { kind: 'skipped'; messageId: string; reason: string }
  | { kind: 'refused'; messageId: string | null; reason: string };
