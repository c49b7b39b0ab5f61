import { Transform, type Readable } from 'node:stream';
import { TextDecoder } from 'node:util';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { HttpException, HttpStatus, SetMetadata } from '@nestjs/common';
import type express from 'express';
import getRawBody from 'raw-body';

/**
 * Request bodies are read by `BodyInterceptor` (apps/api/src/http/body.interceptor.ts), after the
 * access guard: no byte of a body is read, inflated or parsed before its sender is authenticated
 * (signature-verified webhooks, whose check needs the bytes, read theirs under a small limit of
 * their own). Each route says what it takes with `@AcceptsBody`; the rest take JSON up to
 * DEFAULT_BODY_BYTES.
 */

/** What a route takes: JSON (parsed), CSV (as text) or any bytes (a Buffer), up to `limit` bytes. */
export interface BodyRule {
  /** Bytes the body may weigh as the route reads it: once decompressed when it came compressed. */
  limit: number;
  accept: 'json' | 'csv' | 'bytes';
  /** Keep the bytes as sent in `request.rawBody`: signatures are over them. */
  keepRaw?: boolean;
}

export const BODY_RULE = 'loveboard:body-rule';

/** Most routes take a few fields: a megabyte is plenty, and what a caller can make the API read. */
export const DEFAULT_BODY_BYTES = 1024 * 1024;
export const DEFAULT_BODY_RULE: BodyRule = { limit: DEFAULT_BODY_BYTES, accept: 'json' };

/**
 * A batch of 1,000 verbatims of 20,000 characters each can weigh about 60 MB of UTF-8; beyond that
 * the request is refused before it is read whole (POST /api/v1/verbatims only).
 */
export const MAX_BODY_BYTES = 64 * 1024 * 1024;

/** Batches of smaller records (KPI points, survey answers, category examples): 8 MB. */
export const BATCH_BODY_BYTES = 8 * 1024 * 1024;

/** Signed webhooks (chat platforms, Meta, trackers): their own, small limit. */
export const WEBHOOK_BODY_BYTES = 1024 * 1024;

/**
 * A pushed message may weigh a little over the 10 MB limit and still be read, so that it is
 * refused with a dead letter naming its size; beyond this it is refused unread (413).
 */
export const MAX_MAIL_BODY_BYTES = 12 * 1024 * 1024;

/**
 * A compressed body may not inflate to more than this many times the bytes received (once past
 * RATIO_FLOOR_BYTES): a 129 KB gzip of 60 MB is a bomb, not a batch. Apache's mod_deflate uses the
 * same guard (DeflateInflateRatioLimit, 200). Real JSON and CSV inflate 5 to 20 times.
 */
export const MAX_INFLATE_RATIO = 200;
const RATIO_FLOOR_BYTES = 1024 * 1024;

/** Says what a route's body may be (default: JSON up to 1 MB). On a handler or a controller. */
export const AcceptsBody = (rule: Partial<BodyRule>) =>
  SetMetadata(BODY_RULE, { ...DEFAULT_BODY_RULE, ...rule });

export type RequestWithRawBody = express.Request & { rawBody?: Buffer };

/** Deeper JSON than any LoveBoard payload or webhook needs; validators recurse and overflowed (500). */
export const MAX_JSON_DEPTH = 64;

/** Whether a parsed JSON value nests deeper than `max`: iterative, so that it cannot overflow itself. */
export function nestsDeeper(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop() as [unknown, number];
    if (typeof item !== 'object' || item === null) continue;
    if (depth >= max) return true;
    for (const child of Object.values(item)) stack.push([child, depth + 1]);
  }
  return false;
}

/**
 * What the reader did, for /metrics: bytes as sent, bytes read (as inflated, refused bodies
 * included: the work done), refusals by cause.
 */
export class BodyStats {
  sentBytes = 0;
  readBytes = 0;
  readonly refused = new Map<string, number>();

  refuse(reason: string): void {
    this.refused.set(reason, (this.refused.get(reason) ?? 0) + 1);
  }
}

function refused(status: HttpStatus, error: string, message: string): HttpException {
  return new HttpException({ statusCode: status, error, message }, status);
}

const megabytes = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;

/** Whether the request carries a body at all (RFC 9112: Transfer-Encoding or a non-zero Content-Length). */
export function hasBody(request: express.Request): boolean {
  return (
    request.headers['transfer-encoding'] !== undefined ||
    (request.headers['content-length'] !== undefined && request.headers['content-length'] !== '0')
  );
}

function mediaType(request: express.Request): { type: string; charset: string | null } {
  const [type, ...params] = (request.headers['content-type'] ?? '').split(';');
  let charset: string | null = null;
  for (const param of params) {
    const [name, value] = param.split('=').map((part) => part.trim());
    if (name?.toLowerCase() === 'charset' && value) charset = value.replace(/^"|"$/g, '').toLowerCase();
  }
  return { type: type.trim().toLowerCase(), charset };
}

function decoderFor(encoding: string): Transform | null {
  switch (encoding) {
    case 'gzip':
    case 'x-gzip':
      return createGunzip();
    case 'deflate':
      return createInflate();
    case 'br':
      return createBrotliDecompress();
    default:
      return null;
  }
}

/**
 * Reads a request's body under `rule`: at most `rule.limit` bytes as the route sees them, counted
 * while decompressing (a compressed body is refused as soon as it inflates past the limit or past
 * MAX_INFLATE_RATIO times what was received, without inflating the rest). Resolves to the bytes.
 */
export async function readBody(request: express.Request, rule: BodyRule, stats: BodyStats): Promise<Buffer> {
  const encoding = (request.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  const tooLarge = (what: string) => {
    stats.refuse('too_large');
    return refused(HttpStatus.PAYLOAD_TOO_LARGE, 'Payload Too Large', what);
  };
  let sent = 0;
  const counted = (chunk: Buffer) => {
    sent += chunk.length;
    stats.sentBytes += chunk.length;
  };
  if (encoding === 'identity') {
    try {
      request.on('data', counted);
      const bytes = await getRawBody(request, {
        limit: rule.limit,
        length: request.headers['content-length'],
      });
      stats.readBytes += bytes.length;
      return bytes;
    } catch (error) {
      throw readFailure(
        error,
        () => tooLarge(`request body exceeds ${megabytes(rule.limit)} on this route`),
        stats,
      );
    } finally {
      request.off('data', counted);
      request.resume();
    }
  }
  const decoder = decoderFor(encoding);
  if (decoder === null) {
    stats.refuse('encoding');
    throw refused(
      HttpStatus.UNSUPPORTED_MEDIA_TYPE,
      'Unsupported Media Type',
      `Content-Encoding ${encoding} is not accepted (gzip, deflate, br or none)`,
    );
  }
  let inflated = 0;
  let bomb = false;
  // Between the decoder and the reader: stops the inflating once it runs away from what came in.
  const guard = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      inflated += chunk.length;
      stats.readBytes += chunk.length;
      if (inflated > RATIO_FLOOR_BYTES && inflated > MAX_INFLATE_RATIO * sent) {
        bomb = true;
        done(new Error('inflate ratio'));
        return;
      }
      done(null, chunk);
    },
  });
  request.on('data', counted);
  const source: Readable = request.pipe(decoder).pipe(guard);
  decoder.on('error', (error) => guard.destroy(error));
  try {
    return await getRawBody(source, { limit: rule.limit });
  } catch (error) {
    if (bomb) {
      throw tooLarge(
        `compressed body inflates more than ${MAX_INFLATE_RATIO} times (${megabytes(inflated)} from ${megabytes(sent)}): refused`,
      );
    }
    throw readFailure(
      error,
      () => tooLarge(`request body exceeds ${megabytes(rule.limit)} on this route once decompressed`),
      stats,
    );
  } finally {
    request.off('data', counted);
    request.unpipe(decoder);
    decoder.destroy();
    guard.destroy();
    // What is left is read off and dropped, not inflated, so that the client sees the answer.
    request.resume();
  }
}

function readFailure(error: unknown, tooLarge: () => HttpException, stats: BodyStats): HttpException {
  const { type, status } = (error ?? {}) as { type?: string; status?: number };
  if (type === 'entity.too.large') return tooLarge();
  stats.refuse('unreadable');
  if (error instanceof Error && (error as { code?: string }).code?.startsWith('Z_')) {
    return refused(HttpStatus.BAD_REQUEST, 'Bad Request', `the body is not valid for its Content-Encoding`);
  }
  if (type === 'request.aborted' || (status !== undefined && status >= 400 && status < 500)) {
    return refused(HttpStatus.BAD_REQUEST, 'Bad Request', 'the request body was cut short or malformed');
  }
  return refused(HttpStatus.BAD_REQUEST, 'Bad Request', 'the request body could not be read');
}

/** Text of the body in its declared charset (UTF-8 when none), the byte order mark dropped. */
function text(bytes: Buffer, charset: string | null): string {
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charset ?? 'utf-8');
  } catch {
    throw refused(
      HttpStatus.UNSUPPORTED_MEDIA_TYPE,
      'Unsupported Media Type',
      `charset ${charset} is not supported`,
    );
  }
  return decoder.decode(bytes);
}

/**
 * The body as the route takes it: JSON parsed (400 when malformed or nested deeper than
 * MAX_JSON_DEPTH), CSV as text, bytes as they are; `undefined` for a content type the route does
 * not take (it then answers its own 400, as when nothing was sent).
 */
export function parseBody(request: express.Request, bytes: Buffer, rule: BodyRule): unknown {
  if (rule.accept === 'bytes') return bytes;
  const { type, charset } = mediaType(request);
  if (rule.accept === 'csv') return type === 'text/csv' ? text(bytes, charset) : undefined;
  if (type !== 'application/json' && !type.endsWith('+json')) return undefined;
  if (charset !== null && !charset.startsWith('utf-')) {
    throw refused(
      HttpStatus.UNSUPPORTED_MEDIA_TYPE,
      'Unsupported Media Type',
      `JSON in ${charset}: send UTF-8`,
    );
  }
  const source = text(bytes, charset);
  if (source.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch (error) {
    throw refused(
      HttpStatus.BAD_REQUEST,
      'Bad Request',
      `malformed JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (nestsDeeper(value, MAX_JSON_DEPTH)) {
    throw refused(HttpStatus.BAD_REQUEST, 'Bad Request', `JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
  }
  return value;
}
