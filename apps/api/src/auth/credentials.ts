/**
 * The API key a request carries: `Authorization: Bearer <key>`, or HTTP Basic with the key as the
 * password so that a browser can open the HTML pages (docs, queues) through its own login prompt.
 * Never from the URL: keys in query strings end up in proxy logs and browser history.
 */
export function keyFromAuthorization(header: string | undefined): string | null {
  if (!header) return null;
  const [scheme, value] = header.trim().split(/\s+/, 2);
  if (!value) return null;
  if (scheme.toLowerCase() === 'bearer') return value;
  if (scheme.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon >= 0 ? decoded.slice(colon + 1) : null;
  }
  return null;
}

export const BASIC_CHALLENGE =
  'Basic realm="loveboard: user name anything, password your API key", charset="UTF-8"';
