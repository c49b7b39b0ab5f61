import { Agent } from 'node:http';
import { ApiPartialResponseError, ApiRequestError, ApiResponseError, TwitterApi } from 'twitter-api-v2';
import { ConnectorError } from '../connector';
import { SearchPage, problemOf, readSearchPage } from './tweets';
import type { TwitterSettings } from './twitter-settings';

export const SEARCH_ENDPOINT = 'tweets/search/recent';
/** The most recent search gives per page. */
export const PAGE_SIZE = 100;
// note_tweet: a post longer than 280 characters comes whole only there (`text` is cut with "…").
const TWEET_FIELDS = 'created_at,author_id,lang,conversation_id,referenced_tweets,entities,note_tweet';
const REQUEST_TIMEOUT_MS = 30_000;
/** Wait after a 429 that does not say until when (X's windows are 15 minutes). */
const DEFAULT_RATE_LIMIT_WAIT_MS = 60_000;
const MAX_RATE_LIMIT_WAIT_MS = 86_400_000;

/**
 * twitter-api-v2 sends every request with `https.request`; an `http.Agent` is what lets it speak
 * plain HTTP (a local server in tests, a proxy on the loopback).
 */
const plainHttpAgent = new Agent();

export interface SearchParams {
  query: string;
  sinceId: string | null;
  nextToken: string | null;
}

/** A 400 naming a parameter of ours that X will not take (an expired token, a too old since_id). */
export class RefusedParameter extends Error {
  constructor(
    readonly parameter: 'since_id' | 'next_token',
    readonly refusal: ConnectorError,
  ) {
    super(refusal.message);
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function parsed(body: unknown): unknown {
  if (typeof body !== 'string') return body;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return null;
  }
}

/** The parameters a 400 names, from X's `errors[].parameters` (or its messages). */
function refusedParameters(body: unknown): Set<string> {
  const names = new Set<string>();
  const errors = isObject(body) && Array.isArray(body.errors) ? (body.errors as unknown[]) : [];
  for (const error of errors) {
    if (!isObject(error)) continue;
    if (isObject(error.parameters)) for (const name of Object.keys(error.parameters)) names.add(name);
    const message = typeof error.message === 'string' ? error.message : '';
    for (const name of ['since_id', 'next_token', 'pagination_token'])
      if (message.includes(name)) names.add(name);
  }
  return names;
}

/** Milliseconds until X lets the search through again, from its rate-limit headers. */
export function rateLimitWaitMs(error: ApiResponseError, now = Date.now()): number {
  const limit = error.rateLimit;
  const header = (name: string) => {
    const value = error.headers?.[name];
    const seconds = Number(Array.isArray(value) ? value[0] : value);
    return Number.isFinite(seconds) && seconds > 0 ? seconds : undefined;
  };
  // The lib fills `rateLimit` only when x-rate-limit-limit comes too; the reset alone is enough.
  const resets = [limit?.reset ?? header('x-rate-limit-reset')];
  // A spent daily allowance (per app or per user) outlasts the 15-minute window.
  if (limit?.day?.remaining === 0) resets.push(limit.day.reset);
  if (limit?.userDay?.remaining === 0) resets.push(limit.userDay.reset);
  const known = resets.filter((seconds): seconds is number => Number.isFinite(seconds) && (seconds ?? 0) > 0);
  const retryAfter = header('retry-after');
  let wait = DEFAULT_RATE_LIMIT_WAIT_MS;
  if (known.length > 0) wait = Math.max(...known) * 1000 - now;
  else if (retryAfter !== undefined) wait = retryAfter * 1000;
  return Math.min(MAX_RATE_LIMIT_WAIT_MS, Math.max(1_000, wait));
}

function failureOf(error: unknown, path: string, params: SearchParams): Error {
  if (error instanceof ApiResponseError) {
    const statusText = error.response?.statusMessage ?? '';
    const status = `X answered ${error.code}${statusText ? ` ${statusText}` : ''} for ${path}`;
    const body = parsed(error.data);
    const problem = problemOf(body);
    const said = problem && problem !== statusText ? ` (X says "${problem}")` : '';
    if (error.code === 429) {
      const waitMs = rateLimitWaitMs(error);
      return new ConnectorError(
        `${status}: rate limited until ${new Date(Date.now() + waitMs).toISOString()}`,
        false,
        waitMs,
      );
    }
    if (error.code === 401 || error.code === 403)
      return new ConnectorError(`${status}: access refused, check the source's bearerToken${said}`, true);
    if (error.code === 400) {
      const named = refusedParameters(body);
      const refused = new ConnectorError(
        `${status}: search ${JSON.stringify(params.query)} refused, check settings.queries${said}`,
        true,
      );
      if (params.nextToken && (named.has('next_token') || named.has('pagination_token')))
        return new RefusedParameter('next_token', refused);
      if (params.sinceId && named.has('since_id')) return new RefusedParameter('since_id', refused);
      return refused;
    }
    if (error.code === 404)
      return new ConnectorError(`${status}: no such endpoint, check settings.apiBaseUrl${said}`, true);
    return new ConnectorError(`${status}${said}`);
  }
  if (error instanceof ApiPartialResponseError)
    return new ConnectorError(`X answer to ${path} cut off: ${error.responseError.message}`);
  if (error instanceof ApiRequestError) {
    const cause = error.requestError as Error & { code?: string };
    return new ConnectorError(`X unreachable (${path}): ${cause.code ?? cause.message}`);
  }
  return error instanceof Error ? error : new Error(String(error));
}

/** Rejects when the poll is cut, for a client that takes no AbortSignal. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new ConnectorError('X search cut: the poll ran out of time'));
  let onAbort: () => void = () => undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(new ConnectorError('X search cut: the poll ran out of time'));
    signal.addEventListener('abort', onAbort, { once: true });
  });
  return Promise.race([work, aborted]).finally(() => signal.removeEventListener('abort', onAbort));
}

/** One page of the v2 recent search, through twitter-api-v2, failing the way the poller reads. */
export async function searchRecent(
  settings: TwitterSettings,
  params: SearchParams,
  signal: AbortSignal,
): Promise<SearchPage> {
  const client = new TwitterApi(
    settings.bearerToken,
    settings.v2Prefix.startsWith('http:') ? { httpAgent: plainHttpAgent } : {},
  );
  const path = new URL(SEARCH_ENDPOINT, settings.v2Prefix).pathname;
  const query: Record<string, string> = {
    query: params.query,
    max_results: String(PAGE_SIZE),
    'tweet.fields': TWEET_FIELDS,
    expansions: 'author_id',
    'user.fields': 'username',
  };
  if (params.sinceId) query.since_id = params.sinceId;
  if (params.nextToken) query.next_token = params.nextToken;
  let body: string;
  try {
    const response = await untilAborted(
      client.v2.get<string>(SEARCH_ENDPOINT, query, {
        prefix: settings.v2Prefix,
        fullResponse: true,
        // Read as text and parsed here: a malformed body then fails with what is wrong with it.
        forceParseMode: 'text',
        timeout: REQUEST_TIMEOUT_MS,
      }),
      signal,
    );
    body = response.data;
  } catch (error) {
    throw failureOf(error, path, params);
  }
  return readSearchPage(body, path);
}
