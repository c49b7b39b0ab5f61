// The e-mail connector's pure reading part: raw bytes in, a verbatim (or why not) out.
export { readEmail, MAX_EMAIL_BYTES, DIGEST_HEADER } from './read-email';
export type { EmailReading } from './read-email';
