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
