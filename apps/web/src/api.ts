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

export type Query = Record<string, string | number | boolean | null | undefined>;

function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

async function request<T>(method: string, path: string, body?: unknown, query?: Query): Promise<T> {
  const headers = new Headers();
  if (body !== undefined) headers.set('Content-Type', 'application/json');
  prepare(headers, method);
  const response = await fetch(withQuery(path, query), {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  onUnauthorized(response.status);
  if (!response.ok) {
    const payload: unknown = await response.json().catch(() => null);
    throw new ApiError(response.status, reasonOf(payload) ?? response.statusText);
  }
  if (response.status === 204) return undefined as T;
  const type = response.headers.get('Content-Type') ?? '';
  return (type.includes('json') ? await response.json() : await response.text()) as T;
}

/**
 * Untyped calls by URL, for the routes whose answers the document does not describe yet (and the
 * pages not moved to `client`): prefer `client`, whose types come from the API.
 */
export const api = {
  get: <T>(path: string, query?: Query) => request<T>('GET', path, undefined, query),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, body ?? {}),
  patch: <T>(path: string, body?: unknown) => request<T>('PATCH', path, body ?? {}),
  delete: <T>(path: string) => request<T>('DELETE', path),
};
