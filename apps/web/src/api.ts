import createClient from 'openapi-fetch';
import i18n from './i18n';
import type { components, paths } from './api/schema';

/**
 * The UI talks only to the documented API, same origin, with the session cookie, through a client
 * generated from docs/openapi.json (`api/schema.ts`, `npm run openapi`): paths, parameters and
 * answers are the API's own types. State-changing calls carry the session's CSRF token (the cookie
 * alone must never be enough to act; SameSite is the first fence, this is the second), and every
 * call asks for the person's language, in which the API words its reasons.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The API's schemas by name: `Schemas['BoardView']`. */
export type Schemas = components['schemas'];

let csrfToken: string | null = null;

/** Set from GET /auth/session once signed in. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

function prepare(headers: Headers, method: string): void {
  if (!headers.has('Accept')) headers.set('Accept', 'application/json');
  headers.set('Accept-Language', i18n.resolvedLanguage ?? i18n.language ?? 'en');
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers.set('X-CSRF-Token', csrfToken);
}

/** A 401 mid-way (the session ended): back to sign-in, then to this page. */
function onUnauthorized(status: number): void {
  if (status === 401 && !location.pathname.startsWith('/sign-in'))
    location.assign(`/sign-in?returnTo=${encodeURIComponent(location.pathname + location.search)}`);
}

function reasonOf(payload: unknown): string | null {
  const message = (payload as { message?: unknown } | null)?.message;
  if (typeof message === 'string') return message;
  if (Array.isArray(message)) return message.join('; ');
  return null;
}

/** The typed client: `apiClient.GET('/api/v1/boards/{isoWeek}', { params: { path: { isoWeek } } })`. */
export const apiClient = createClient<paths>({ baseUrl: location.origin, credentials: 'same-origin' });
apiClient.use({
  onRequest({ request }) {
    prepare(request.headers, request.method);
    return request;
  },
  onResponse({ response }) {
    onUnauthorized(response.status);
    return response;
  },
});

/**
 * What a call answered, or an ApiError carrying the API's own reason (it names no customer):
 * `await data(apiClient.GET(...))`.
 */
export async function data<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data: body, error, response } = await call;
  if (!response.ok) throw new ApiError(response.status, reasonOf(error) ?? response.statusText);
  return body as T;
}
