import { createHmac, timingSafeEqual } from 'node:crypto';

/** How old a signed request may be: older ones are refused as possible replays. */
export const SIGNATURE_TOLERANCE_MS = 5 * 60_000;

function equal(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Checks `X-LoveBoard-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>` with
 * `X-LoveBoard-Timestamp: <unix seconds>` no older (or newer) than five minutes.
 * @returns why it is refused, or null when it checks out.
 */
export function checkTimestampedSignature(
  secret: string,
  timestamp: string | undefined,
  signature: string | undefined,
  body: Buffer,
  now = Date.now(),
): string | null {
  if (!timestamp || !/^\d{1,12}$/.test(timestamp)) return 'missing or malformed X-LoveBoard-Timestamp';
  if (!signature) return 'missing X-LoveBoard-Signature';
  if (Math.abs(now - Number(timestamp) * 1000) > SIGNATURE_TOLERANCE_MS)
    return 'timestamp outside the 5-minute window';
  const expected = `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex')}`;
  return equal(expected, signature) ? null : 'signature does not match';
}

/** Meta's `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app secret, raw body)>`. */
export function checkHubSignature(
  secret: string,
  signature: string | undefined,
  body: Buffer,
): string | null {
  if (!signature) return 'missing X-Hub-Signature-256';
  const expected = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
  return equal(expected, signature) ? null : 'signature does not match';
}

/** The headers a chat platform signs its webhooks with (lower-cased names, as Node gives them). */
export type WebhookHeaders = Record<string, string | string[] | undefined>;

function header(headers: WebhookHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** A Unix timestamp in seconds or milliseconds, within five minutes of now. */
function fresh(timestamp: string | undefined, now: number): string | null {
  if (!timestamp || !/^\d{1,16}$/.test(timestamp)) return 'missing or malformed timestamp';
  const value = Number(timestamp);
  const ms = value > 1e12 ? value : value * 1000;
  return Math.abs(now - ms) > SIGNATURE_TOLERANCE_MS ? 'timestamp outside the 5-minute window' : null;
}

/**
 * Each chat platform's documented signature, checked over the raw body:
 * - Chatwoot: `X-Chatwoot-Signature: sha256=<hex HMAC-SHA256(secret, "<X-Chatwoot-Timestamp>.<body>")>`,
 *   the timestamp within five minutes;
 * - Intercom: `X-Hub-Signature: sha1=<hex HMAC-SHA1(app client secret, body)>`;
 * - Crisp: `X-Crisp-Signature: <hex HMAC-SHA256(secret, "[<X-Crisp-Request-Timestamp>;<body>]")>` (the
 *   body as Crisp's own library re-serialises it, which is the body as sent);
 * - Zendesk messaging (Sunshine Conversations): `X-API-Key: <the webhook's secret>`.
 * @returns why it is refused, or null when it checks out.
 */
export function checkPlatformSignature(
  platform: 'chatwoot' | 'intercom' | 'crisp' | 'zendesk',
  secret: string,
  headers: WebhookHeaders,
  body: Buffer,
  now = Date.now(),
): string | null {
  switch (platform) {
    case 'chatwoot': {
      const signature = header(headers, 'x-chatwoot-signature');
      const timestamp = header(headers, 'x-chatwoot-timestamp');
      if (!signature) return 'missing X-Chatwoot-Signature';
      const stale = fresh(timestamp, now);
      if (stale) return `X-Chatwoot-Timestamp: ${stale}`;
      const expected = `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex')}`;
      return equal(expected, signature) ? null : 'signature does not match';
    }
    case 'intercom': {
      const signature = header(headers, 'x-hub-signature');
      if (!signature) return 'missing X-Hub-Signature';
      const expected = `sha1=${createHmac('sha1', secret).update(body).digest('hex')}`;
      return equal(expected, signature) ? null : 'signature does not match';
    }
    case 'crisp': {
      const signature = header(headers, 'x-crisp-signature');
      const timestamp = header(headers, 'x-crisp-request-timestamp');
      if (!signature) return 'missing X-Crisp-Signature';
      if (!timestamp || !/^\d{1,16}$/.test(timestamp))
        return 'missing or malformed X-Crisp-Request-Timestamp';
      const expected = createHmac('sha256', secret)
        .update(`[${timestamp};`)
        .update(body)
        .update(']')
        .digest('hex');
      return equal(expected, signature.toLowerCase()) ? null : 'signature does not match';
    }
    case 'zendesk': {
      const key = header(headers, 'x-api-key');
      if (!key) return 'missing X-API-Key';
      return equal(secret, key) ? null : 'X-API-Key does not match the webhook secret';
    }
  }
}
