import { ConnectorError, SourceContext } from '../connector';

/** X's API root; the client adds `/2/` for the v2 endpoints. */
export const DEFAULT_API_BASE_URL = 'https://api.x.com';

export interface TwitterSettings {
  queries: string[];
  includeReplies: boolean;
  includeRetweets: boolean;
  ownAccountIds: Set<string>;
  /** Where v2 calls go, ending in `/2/`, as twitter-api-v2 takes it. */
  v2Prefix: string;
  bearerToken: string;
}

const TWEET_ID = /^\d{1,20}$/;
export const isTweetId = (value: unknown): value is string =>
  typeof value === 'string' && TWEET_ID.test(value);

function flag(value: unknown, name: string, fallback: boolean): boolean {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'boolean') throw new ConnectorError(`settings.${name} must be true or false`, true);
  return value;
}

/** `https://api.x.com` (or `…/2`) as the `…/2/` prefix the client wants. */
function v2PrefixOf(value: unknown): string {
  let url: URL | null;
  try {
    url = new URL(typeof value === 'string' ? value : DEFAULT_API_BASE_URL);
  } catch {
    url = null;
  }
  if (
    (value !== undefined && value !== null && typeof value !== 'string') ||
    !url ||
    (url.protocol !== 'http:' && url.protocol !== 'https:')
  ) {
    throw new ConnectorError('settings.apiBaseUrl must be an http or https URL', true);
  }
  url.search = '';
  url.hash = '';
  const path = url.pathname.replace(/\/+$/, '');
  url.pathname = path.endsWith('/2') ? `${path}/` : `${path}/2/`;
  return url.toString();
}

/** The source's settings and secret, or a permanent error naming what is wrong. */
export function twitterSettingsOf(source: SourceContext): TwitterSettings {
  const { queries, includeReplies, includeRetweets, ownAccountIds, apiBaseUrl } = source.settings;
  if (
    !Array.isArray(queries) ||
    queries.length === 0 ||
    !queries.every((query) => typeof query === 'string' && query.trim() !== '')
  ) {
    throw new ConnectorError('settings.queries must be a non-empty list of X search queries', true);
  }
  if (
    ownAccountIds !== undefined &&
    ownAccountIds !== null &&
    !(Array.isArray(ownAccountIds) && ownAccountIds.every(isTweetId))
  ) {
    throw new ConnectorError(
      'settings.ownAccountIds must be a list of X user ids (digits, as strings)',
      true,
    );
  }
  const bearerToken = source.secrets.bearerToken;
  if (typeof bearerToken !== 'string' || bearerToken.trim() === '') {
    throw new ConnectorError("secrets.bearerToken is missing: set the X app's bearer token", true);
  }
  return {
    // The cursor is keyed by query: the same query twice would be read twice for nothing.
    queries: [...new Set((queries as string[]).map((query) => query.trim()))],
    includeReplies: flag(includeReplies, 'includeReplies', true),
    includeRetweets: flag(includeRetweets, 'includeRetweets', false),
    ownAccountIds: new Set(ownAccountIds ?? []),
    v2Prefix: v2PrefixOf(apiBaseUrl),
    bearerToken: bearerToken.trim(),
  };
}
