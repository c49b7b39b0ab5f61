import { Channel } from '@app/database';
import { MAX_TEXT_LENGTH, VerbatimInput, checkVerbatim } from '@app/ingest';
import { ConnectorError } from '../connector';
import type { TwitterSettings } from './twitter-settings';
import { isTweetId } from './twitter-settings';

/** The fields of a v2 tweet this connector reads (`tweet.fields` asked for in the search). */
export interface Tweet {
  id: string;
  text?: unknown;
  author_id?: unknown;
  created_at?: unknown;
  lang?: unknown;
  conversation_id?: unknown;
  referenced_tweets?: unknown;
  /** A long post's whole text (`text` then holds its first 280 characters). */
  note_tweet?: unknown;
}

/** One page of `GET /2/tweets/search/recent`, checked. */
export interface SearchPage {
  tweets: Tweet[];
  /** User id → username, from `includes.users` (`expansions=author_id`). */
  usernames: Map<string, string>;
  newestId: string | null;
  nextToken: string | null;
}

export type TweetOutcome = { verbatim: VerbatimInput } | { skipped: string } | { refused: string };

/**
 * X's language of a post, as an ISO 639-1 code, when it names one: `und` (undetermined) and its own
 * codes for posts without words (`zxx`, and `qam`, `qct`, `qht`, `qme`, `qst`: mentions, cashtags,
 * hashtags, media or too short) are left to the pipeline's detection, as are X's legacy codes.
 */
function languageOf(lang: unknown): string | null {
  if (typeof lang !== 'string') return null;
  const primary = lang.toLowerCase().split('-')[0];
  return /^[a-z]{2}$/.test(primary) && !['in', 'iw', 'ji'].includes(primary) ? primary : null;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** What X said went wrong when a 200 carries `errors` instead of results (or an error's detail). */
export function problemOf(body: unknown): string | null {
  if (!isObject(body)) return null;
  const first = Array.isArray(body.errors) && isObject(body.errors[0]) ? body.errors[0] : null;
  const said = [body.detail, body.title, first?.message, first?.detail].find(
    (value): value is string => typeof value === 'string' && value.trim() !== '',
  );
  return said ? said.trim().slice(0, 300) : null;
}

/**
 * The answer's body as a page, or an error saying what is wrong with it: a page that cannot be
 * read whole is not read at all (the cursor stays put, the poll is a failure that backs off).
 */
export function readSearchPage(body: string, path: string): SearchPage {
  const malformed = (why: string) => new ConnectorError(`X answer to ${path} ${why}`);
  let json: unknown;
  try {
    json = JSON.parse(body) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw malformed(`is not valid JSON: ${reason.slice(0, 200)}`);
  }
  if (!isObject(json)) throw malformed('is not a JSON object');
  if (!isObject(json.meta)) {
    const problem = problemOf(json);
    throw malformed(`has no meta${problem ? `: X says "${problem}"` : ''}`);
  }
  const { data, meta, includes } = json;
  if (data !== undefined && !Array.isArray(data)) throw malformed('has a data that is not a list');
  const tweets = (data ?? []) as unknown[];
  for (const tweet of tweets)
    if (!isObject(tweet) || !isTweetId(tweet.id)) throw malformed('lists a tweet without an id');
  if (meta.next_token !== undefined && (typeof meta.next_token !== 'string' || meta.next_token === ''))
    throw malformed('has a meta.next_token that is not a string');
  if (meta.newest_id !== undefined && !isTweetId(meta.newest_id))
    throw malformed('has a meta.newest_id that is not a tweet id');
  const usernames = new Map<string, string>();
  const users = isObject(includes) && Array.isArray(includes.users) ? (includes.users as unknown[]) : [];
  for (const user of users)
    if (isObject(user) && typeof user.id === 'string' && typeof user.username === 'string')
      usernames.set(user.id, user.username);
  return {
    tweets: tweets as Tweet[],
    usernames,
    newestId: meta.newest_id ?? null,
    nextToken: meta.next_token ?? null,
  };
}

function referencedTypes(tweet: Tweet): Set<string> {
  const refs = Array.isArray(tweet.referenced_tweets) ? (tweet.referenced_tweets as unknown[]) : [];
  return new Set(refs.map((ref) => (isObject(ref) && typeof ref.type === 'string' ? ref.type : '')));
}

/** X escapes these three in v2 `text` (and only these): the customer typed the characters. */
function unescaped(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** One tweet as a verbatim, or why it is not one (skipped) or cannot be one (refused). */
export function tweetOutcome(
  tweet: Tweet,
  page: SearchPage,
  query: string,
  sourceName: string,
  settings: TwitterSettings,
): TweetOutcome {
  const authorId = tweet.author_id;
  const types = referencedTypes(tweet);
  const isReply = types.has('replied_to');
  if (typeof authorId === 'string' && settings.ownAccountIds.has(authorId))
    return { skipped: "posted by the brand's own account (settings.ownAccountIds)" };
  if (types.has('retweeted') && !settings.includeRetweets)
    return { skipped: 'retweet (settings.includeRetweets is false)' };
  if (isReply && !settings.includeReplies) return { skipped: 'reply (settings.includeReplies is false)' };
  if (!isTweetId(authorId)) return { refused: 'tweet has no author_id' };
  const at = typeof tweet.created_at === 'string' ? Date.parse(tweet.created_at) : NaN;
  if (Number.isNaN(at))
    return { refused: `tweet created_at is not a date: ${JSON.stringify(tweet.created_at ?? null)}` };
  const note =
    isObject(tweet.note_tweet) && typeof tweet.note_tweet.text === 'string' ? tweet.note_tweet.text : null;
  const text = unescaped(note ?? (typeof tweet.text === 'string' ? tweet.text : '')).trim();
  const lang = languageOf(tweet.lang);
  if (!text) return { refused: 'tweet has no text' };
  const check = checkVerbatim({
    source: sourceName,
    externalId: tweet.id,
    author: `twitter:${authorId}`,
    channel: Channel.Twitter,
    receivedAt: new Date(at).toISOString(),
    text: text.slice(0, MAX_TEXT_LENGTH),
    ...(lang ? { lang } : {}),
    metadata: {
      username: page.usernames.get(authorId) ?? null,
      conversationId: isTweetId(tweet.conversation_id) ? tweet.conversation_id : null,
      query,
      isReply,
      ...(note ? { longPost: true } : {}),
    },
  });
  return check.ok ? { verbatim: check.value } : { refused: check.reason };
}
