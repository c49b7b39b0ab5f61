import { ConnectorError } from '../connector';

/** Largest answer read from a feed or a forum: a feed is kilobytes, a posts page well under 1 MB. */
export const MAX_ANSWER_BYTES = 10 * 1024 * 1024;
/** One request that has not answered in this long is cut (the whole poll has its own limit). */
const REQUEST_TIMEOUT_MS = 30_000;
/** Wait after a 429 that does not say how long. */
const DEFAULT_RETRY_AFTER_MS = 60_000;
/** A Retry-After further away than this is a misconfigured server, not a plan. */
const MAX_RETRY_AFTER_MS = 86_400_000;
export const USER_AGENT = 'LoveBoard forum connector (+https://github.com/loveboard)';

/** `Retry-After` as milliseconds from now: delay-seconds or an HTTP date. */
export function retryAfterMs(header: string | null, now = Date.now()): number {
  const value = header?.trim() ?? '';
  let ms = DEFAULT_RETRY_AFTER_MS;
  if (/^\d+$/.test(value)) ms = Number(value) * 1000;
  else if (value !== '' && !Number.isNaN(Date.parse(value))) ms = Date.parse(value) - now;
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(1_000, ms));
}

/** An http(s) URL from settings, or a permanent error naming the setting. */
export function httpUrl(value: unknown, setting: string): URL {
  let url: URL | null;
  try {
    url = typeof value === 'string' ? new URL(value) : null;
  } catch {
    url = null;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new ConnectorError(`${setting} must be an http or https URL`, true);
  }
  return url;
}

/**
 * A GET that fails the way the poller understands: 429 waits as told, 401/403/404/410 stop for
 * good (retrying will not fix a wrong URL or key), anything else is an ordinary failure that
 * backs off. `what` names the thing asked for in the messages ("feed", "Discourse").
 */
export async function get(
  url: URL,
  headers: Record<string, string>,
  signal: AbortSignal,
  what: string,
): Promise<Response> {
  let response: Response | null = null;
  // A kept-alive connection the server closed while idle fails the request that reuses it
  // (ECONNRESET, "other side closed"): a GET is safe to send once more, on a fresh connection.
  for (let attempt = 1; response === null; attempt++) {
    try {
      response = await fetch(url, {
        headers: { 'user-agent': USER_AGENT, ...headers },
        signal: AbortSignal.any([signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]),
        redirect: 'follow',
      });
    } catch (error) {
      const cause = networkCause(error);
      if (attempt === 1 && cause !== 'no answer in time' && !signal.aborted) continue;
      throw new ConnectorError(`${what} unreachable (${url.host}): ${cause}`);
    }
  }
  if (response.status === 304 || response.ok) return response;
  // The body is not needed; not reading it would keep the connection busy.
  await response.body?.cancel().catch(() => undefined);
  const status = `${what} answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
  if (response.status === 429) {
    throw new ConnectorError(
      `${status}: rate limited`,
      false,
      retryAfterMs(response.headers.get('retry-after')),
    );
  }
  if (response.status === 401 || response.status === 403) {
    throw new ConnectorError(
      `${status} for ${url.pathname}: access refused, check the source's secrets`,
      true,
    );
  }
  if (response.status === 404 || response.status === 410) {
    throw new ConnectorError(`${status}: ${url.pathname} does not exist, check the source's settings`, true);
  }
  throw new ConnectorError(`${status} for ${url.pathname}`);
}

function networkCause(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === 'TimeoutError' || error.name === 'AbortError') return 'no answer in time';
    // undici puts the system error (ECONNREFUSED, ENOTFOUND) in `cause`.
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return cause?.code ?? cause?.message ?? error.message;
  }
  return String(error);
}

/** The body, refused past MAX_ANSWER_BYTES without reading it all. */
export async function readBody(response: Response, what: string): Promise<Uint8Array> {
  const tooBig = () =>
    new ConnectorError(`${what} answer is over the ${MAX_ANSWER_BYTES / 1024 / 1024} MB limit`);
  if (Number(response.headers.get('content-length') ?? 0) > MAX_ANSWER_BYTES) {
    await response.body?.cancel().catch(() => undefined);
    throw tooBig();
  }
  if (!response.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > MAX_ANSWER_BYTES) {
        await reader.cancel().catch(() => undefined);
        throw tooBig();
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof ConnectorError) throw error;
    throw new ConnectorError(`${what} answer cut off: ${networkCause(error)}`);
  }
  return Buffer.concat(chunks);
}
