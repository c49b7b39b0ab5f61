import { createHash } from 'node:crypto';

/** How a request presented its API key. */
export interface PresentedKey {
  scheme: 'bearer' | 'basic';
  key: string;
}

/**
 * The API key a request carries: `Authorization: Bearer <key>`, or HTTP Basic with the key as the
 * password. Which of the two a route accepts is its own decision (`basicAllowed`): a browser sends
 * Basic credentials by itself once a person typed them, with every request to the site, including
 * the ones another site makes it send (CSRF). Never from the URL: keys in query strings end up in
 * proxy logs and browser history.
 */
export function presentedKey(header: string | undefined): PresentedKey | null {
  if (!header) return null;
  const [scheme, value] = header.trim().split(/\s+/, 2);
  if (!value) return null;
  if (scheme.toLowerCase() === 'bearer') return { scheme: 'bearer', key: value };
  if (scheme.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon >= 0 ? { scheme: 'basic', key: decoded.slice(colon + 1) } : null;
  }
  return null;
}

/** The HTML pages a browser opens through its own login prompt: the API docs and the queue board. */
export const BASIC_PAGES = ['/api/docs', '/admin/queues'] as const;

/**
 * HTTP Basic is an ambient credential (the browser replays it unasked, cross-site requests
 * included), so it is taken only where nothing changes: GET (and HEAD) of the docs and queue pages.
 * Everything else, and every state change on those pages too, needs `Authorization: Bearer`, which
 * no other site can make a browser send.
 */
export function basicAllowed(method: string, path: string): boolean {
  if (method !== 'GET' && method !== 'HEAD') return false;
  return BASIC_PAGES.some((page) => path === page || path.startsWith(`${page}/`));
}

/** The browser's login prompt: sent with 401s of the Basic pages only. */
export const BASIC_CHALLENGE =
  'Basic realm="loveboard: user name anything, password your API key", charset="UTF-8"';

/** Every other 401 (RFC 9110 wants a challenge): a scheme no browser prompts for nor replays. */
export const BEARER_CHALLENGE = 'Bearer realm="loveboard"';

export const BASIC_REFUSED =
  'HTTP Basic is accepted only to open /api/docs and /admin/queues (GET): send Authorization: Bearer <key>';

/**
 * What the failure limiter counts a wrong key under, beside the address: the key's public id
 * (`lb_<id>_…`) when it has the shape of one, else a hash of what was sent (never the text itself).
 */
export function credentialId(key: string): string {
  const id = /^lb_([a-z0-9]{12})_/.exec(key);
  return id ? `key:${id[1]}` : `key#${createHash('sha256').update(key).digest('hex').slice(0, 16)}`;
}
