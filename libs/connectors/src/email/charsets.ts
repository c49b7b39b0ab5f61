import { isUtf8 } from 'node:buffer';
import { Transform, type TransformCallback } from 'node:stream';
import iconv from 'iconv-lite';

/**
 * Charsets as mail really uses them, for mailparser.
 *
 * mailparser (libmime) refuses to decode UTF-7 at all (it can smuggle markup past filters that look
 * for "<"; here every text is escaped wherever it is shown, so that is no reason to lose it), reads
 * a part labelled UTF-8 as UTF-8 whatever its bytes, and believes a Latin-1 label on UTF-8 bytes.
 * Old French mailers send both mistakes. So, before parsing:
 * - every text part's charset label is rewritten to `x-loveboard-<label>` (and a text part without
 *   one gets `x-loveboard-none`), which mailparser hands to `LenientDecoder`;
 * - every encoded word of the top-level header ("=?utf-8?Q?R=E9clamation?=") is decoded here with
 *   the same rules and written back as UTF-8.
 */

const OURS = 'x-loveboard-';
const UTF7 = /^(?:(?:cs)?unicode-?1-?1-?)?utf-?7$/;
const UTF8 = /^utf-?8$/;
/** Labels that are Latin-1 or a superset of it in practice (windows-1252 is what mailers send). */
const LATIN1 = /^(?:iso-?8859-?1|latin-?1|l1|cp819|windows-?1252|cp1252|us-?ascii|ascii|none)$/;
/** A Unicode character above ASCII, whole, as a UTF-8 multibyte sequence. */
const UTF8_MULTIBYTE = /[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}/;

function canonicalLabel(label: string | null): string {
  return (label ?? 'none').trim().toLowerCase().replace(/^"|"$/g, '').replace(/_/g, '-');
}

/**
 * Text out of bytes that say they are in `label`, the label corrected when the bytes prove it
 * wrong: UTF-8 that is not valid UTF-8 is windows-1252; Latin-1 (or no label) holding valid UTF-8
 * multibyte sequences is UTF-8; UTF-7 is UTF-7; an unknown label is UTF-8 if it can be, else
 * windows-1252.
 */
export function decodeBytes(bytes: Buffer, label: string | null): string {
  const name = canonicalLabel(label);
  if (UTF7.test(name)) return iconv.decode(bytes, 'utf7');
  const ascii = !bytes.some((byte) => byte > 0x7f);
  if (ascii) return bytes.toString('latin1');
  const validUtf8 = isUtf8(bytes);
  if (UTF8.test(name)) return validUtf8 ? bytes.toString('utf8') : iconv.decode(bytes, 'windows-1252');
  if (LATIN1.test(name)) {
    return validUtf8 && UTF8_MULTIBYTE.test(bytes.toString('latin1'))
      ? bytes.toString('utf8')
      : iconv.decode(bytes, 'windows-1252');
  }
  if (iconv.encodingExists(name)) return iconv.decode(bytes, name);
  return validUtf8 ? bytes.toString('utf8') : iconv.decode(bytes, 'windows-1252');
}

/**
 * The decoder mailparser runs a text part through (its `Iconv` option: a stream built from the
 * charset name). The whole part is read before it is decoded, so that the bytes can correct the
 * label; a text part is at most the 10 MB a message may weigh.
 */
export class LenientDecoder extends Transform {
  private readonly chunks: Buffer[] = [];

  constructor(private readonly charset: string) {
    super();
  }

  override _transform(chunk: Buffer | string, _encoding: BufferEncoding, done: TransformCallback): void {
    this.chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk);
    done();
  }

  override _flush(done: TransformCallback): void {
    const label = this.charset.toLowerCase().startsWith(OURS)
      ? this.charset.slice(OURS.length)
      : this.charset;
    this.push(Buffer.from(decodeBytes(Buffer.concat(this.chunks), label), 'utf8'));
    done();
  }
}

// ---- The raw message, prepared ----

const CONTENT_TYPE_LINE = /^content-type[ \t]*:/i;
const CHARSET_PARAM = /(;\s*charset\s*=\s*)("?)([^";\s]*)\2/i;

/**
 * The raw message with the charset of every text part's Content-Type relabelled for
 * `LenientDecoder`, and the top-level header's encoded words repaired (see the file comment).
 * Bodies are left byte for byte as they are.
 */
export function prepareCharsets(raw: Buffer): Buffer {
  // latin1 maps each byte to one character and back: the bytes are untouched by the round trip.
  const lines = raw.toString('latin1').split(/(?<=\n)/);
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!CONTENT_TYPE_LINE.test(lines[i])) {
      out.push(lines[i]);
      continue;
    }
    let header = lines[i];
    while (i + 1 < lines.length && /^[ \t]/.test(lines[i + 1])) header += lines[++i];
    // Kept on as many lines as it came: the top-level header block is found by its blank line.
    out.push(...relabel(header).split(/(?<=\n)/));
  }
  const blank = out.findIndex((line) => line === '\n' || line === '\r\n');
  if (blank < 0) return Buffer.from(out.join(''), 'latin1');
  const head = repairEncodedWords(out.slice(0, blank).join(''));
  return Buffer.from(head + out.slice(blank).join(''), 'latin1');
}

/** A text part's Content-Type (folded lines included) with its charset made ours. */
function relabel(header: string): string {
  const type = /^content-type[ \t]*:\s*([^;\s]+)/i.exec(header)?.[1]?.toLowerCase() ?? '';
  if (!type.startsWith('text/')) return header;
  const match = CHARSET_PARAM.exec(header);
  if (match) {
    if (match[3].toLowerCase().startsWith(OURS)) return header;
    return header.replace(CHARSET_PARAM, (_all, lead: string) => `${lead}"${OURS}${match[3]}"`);
  }
  const end = /\r?\n$/.exec(header)?.[0] ?? '';
  return `${header.slice(0, header.length - end.length)}; charset="${OURS}none"${end}`;
}

const ENCODED_WORDS =
  /=\?([^?\s*]+)(?:\*[^?\s]*)?\?([bBqQ])\?([^?\s]*)\?=(?:[ \t]*(?:\r?\n)?[ \t]+(?==\?))?/g;

/**
 * A header block (a latin1 string of its bytes) with each run of encoded words in one charset decoded
 * with `decodeBytes` and written back as one UTF-8 base64 word. Runs are joined first: mailers split
 * a UTF-8 character across two words, which must be decoded together.
 */
export function repairEncodedWords(line: string): string {
  if (!line.includes('=?')) return line;
  const words: { start: number; end: number; charset: string; bytes: Buffer }[] = [];
  for (const match of line.matchAll(ENCODED_WORDS)) {
    const [whole, charset, encoding, data] = match;
    const bytes =
      encoding.toLowerCase() === 'b'
        ? Buffer.from(data, 'base64')
        : Buffer.from(
            data
              .replace(/_/g, ' ')
              .replace(/=([0-9a-fA-F]{2})/g, (_all, hex: string) => String.fromCharCode(parseInt(hex, 16))),
            'latin1',
          );
    words.push({ start: match.index, end: match.index + whole.length, charset, bytes });
  }
  if (words.length === 0) return line;
  let out = '';
  let at = 0;
  for (let i = 0; i < words.length;) {
    let j = i;
    const parts = [words[i].bytes];
    // The same charset, and nothing but folding whitespace between (consumed by the pattern).
    while (
      j + 1 < words.length &&
      words[j + 1].start === words[j].end &&
      canonicalLabel(words[j + 1].charset) === canonicalLabel(words[i].charset)
    ) {
      j++;
      parts.push(words[j].bytes);
    }
    const decoded = decodeBytes(Buffer.concat(parts), words[i].charset);
    out += line.slice(at, words[i].start) + encodeWord(decoded, line.slice(words[j].start, words[j].end));
    at = words[j].end;
    i = j + 1;
  }
  return out + line.slice(at);
}

/** One UTF-8 base64 word, keeping the folding whitespace that followed the last word replaced. */
function encodeWord(text: string, last: string): string {
  const trailing = /\?=(\s*)$/.exec(last)?.[1] ?? '';
  return `=?UTF-8?B?${Buffer.from(text, 'utf8').toString('base64')}?=${trailing}`;
}
