import { createHash } from 'node:crypto';
import { isUtf8 } from 'node:buffer';

// mailparser refuses a header block over 1 MB; no need to look further for its end.
const HEADER_SCAN_LIMIT = 1024 * 1024;
/** Longer Message-IDs are not ids anyone threads on: the hash of the bytes stands in. */
export const MAX_MESSAGE_ID_LENGTH = 255;

const WINDOWS_1252 = new TextDecoder('windows-1252');

/** 'sha256:' + hex sha256 of the raw bytes: the id of a message without a usable Message-ID. */
export function sha256Id(raw: Buffer): string {
  return `sha256:${createHash('sha256').update(raw).digest('hex')}`;
}

/**
 * The raw message with its top-level header block turned into UTF-8 when it holds 8-bit bytes that
 * are not UTF-8: old French mailers write "Subject: Réclamation" in raw Latin-1, which the parser
 * would read as U+FFFD. Windows-1252 is the superset of Latin-1 these mailers really use.
 */
export function repairHeaderCharset(raw: Buffer): Buffer {
  const end = headerEnd(raw);
  if (end < 0) return raw;
  const head = raw.subarray(0, end);
  if (isUtf8(head)) return raw;
  return Buffer.concat([Buffer.from(WINDOWS_1252.decode(head), 'utf8'), raw.subarray(end)]);
}

/** The Message-ID read straight from the raw header block, for a message that is not parsed. */
export function rawMessageId(raw: Buffer): string | null {
  const end = headerEnd(raw);
  const head = raw.subarray(0, end < 0 ? HEADER_SCAN_LIMIT : end).toString('latin1');
  const header = /^message-id[ \t]*:([^\r\n]*(?:\r?\n[ \t][^\r\n]*)*)/im.exec(head);
  return header ? cleanMessageId(header[1]) : null;
}

/** "<abc@example.org>" → "abc@example.org"; null when empty or too long to be an id. */
export function cleanMessageId(value: string | undefined | null): string | null {
  if (!value) return null;
  const bracketed = /<([^<>]*)>/.exec(value);
  const id = (bracketed ? bracketed[1] : value).replace(/\s+/g, '');
  return id && id.length <= MAX_MESSAGE_ID_LENGTH ? id : null;
}

/** Offset of the blank line that ends the top-level header block, or -1. */
function headerEnd(raw: Buffer): number {
  const scan = raw.subarray(0, HEADER_SCAN_LIMIT);
  const ends = [scan.indexOf('\r\n\r\n'), scan.indexOf('\n\n')].filter((at) => at >= 0);
  return ends.length > 0 ? Math.min(...ends) : -1;
}
