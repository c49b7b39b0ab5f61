import { readFileSync } from 'node:fs';
import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import { join } from 'node:path';
import { Role } from '@app/database';
import { AuthorKeys } from '@app/ingest';
import { useApi } from './support/app';
import { query, verbatimsOfSource } from './support/database';
import { http } from './support/http';
import { atSuiteEnd } from './support/suite-end';

interface FakeTweet {
  id: string;
  text: string;
  author_id: string;
  created_at: string;
  referenced_tweets?: { type: string; id: string }[];
  [field: string]: unknown;
}

interface Fixture {
  users: { id: string; name: string; username: string }[];
  tweets: FakeTweet[];
  later: FakeTweet[];
}

const FIXTURE = JSON.parse(
  readFileSync(join(__dirname, 'fixtures', 'twitter', 'recent-search.json'), 'utf8'),
) as Fixture;
const SEARCH_PATH = '/2/tweets/search/recent';
const BEARER = 'test-bearer-token';
const MENTIONS = '@LoveRail -is:retweet';
const HASHTAG = '#LoveRail';
const BRAND_IDS = ['1192837465012345856', '1402938475610293248'];
/** The fixture's tweets by their key in test/fixtures/twitter/README.md order: T1…T14, L1…L3. */
const T = Object.fromEntries(FIXTURE.tweets.map((tweet, i) => [`T${i + 1}`, tweet.id]));
const L = Object.fromEntries(FIXTURE.later.map((tweet, i) => [`L${i + 1}`, tweet.id]));

/** A snowflake id as X makes them: milliseconds since X's epoch, shifted, then worker and sequence. */
const snowflake = (at: string, sequence: number) =>
  String(((BigInt(Date.parse(at)) - 1288834974657n) << 22n) | (373n << 12n) | BigInt(sequence));

const tweet = (at: string, sequence: number, text: string, authorId = '3312876540'): FakeTweet => {
  const id = snowflake(at, sequence);
  return {
    id,
    edit_history_tweet_ids: [id],
    text,
    author_id: authorId,
    created_at: at,
    lang: 'fr',
    conversation_id: id,
  };
};

/** What the fake X answers instead of the search, once, for the next request in line. */
type Failure = { status: 500 } | { status: 401 } | { status: 429; reset: number } | { malformed: string };

const problem = (status: number, title: string) => ({ title, detail: title, type: 'about:blank', status });

/** Search operators the fake understands: `-is:retweet`, `-is:reply`, and words, @mentions, #hashtags. */
function matches(candidate: FakeTweet, search: string): boolean {
  const types = new Set((candidate.referenced_tweets ?? []).map((ref) => ref.type));
  return search
    .split(/\s+/)
    .filter(Boolean)
    .every((term) => {
      if (term === '-is:retweet') return !types.has('retweeted');
      if (term === '-is:reply') return !types.has('replied_to');
      const escaped = term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      return new RegExp(`(^|[^\\w])${escaped}(?!\\w)`, 'i').test(candidate.text);
    });
}

interface Token {
  q: string;
  s: string | null;
  u: string;
  g: number;
}

/**
 * `GET /2/tweets/search/recent` as X answers it: newest first, ids above `since_id`, pages of
 * `pageSize` at most (X may give fewer than max_results), and an opaque `next_token` that is valid
 * only with the same query and since_id (and until the test expires tokens).
 */
async function startFakeX() {
  const tweets: FakeTweet[] = [...FIXTURE.tweets];
  /** `minSinceId`: X's seven days, as the oldest since_id it takes (null: any). */
  const state: { pageSize: number; generation: number; minSinceId: string | null } = {
    pageSize: 4,
    generation: 0,
    minSinceId: null,
  };
  const script: (Failure | null)[] = [];
  const requests: { params: Record<string, string>; status: number; authorization?: string }[] = [];
  const users = new Map(FIXTURE.users.map((user) => [user.id, user]));

  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'x-rate-limit-limit': '450',
      'x-rate-limit-remaining': '449',
      'x-rate-limit-reset': String(Math.floor(Date.now() / 1000) + 900),
      ...headers,
    });
    res.end(JSON.stringify(body));
    return status;
  };
  const invalid = (res: ServerResponse, parameter: string, value: string) =>
    json(res, 400, {
      errors: [
        {
          parameters: { [parameter]: [value] },
          message: `The \`${parameter}\` query parameter value [${value}] is not valid`,
        },
      ],
      title: 'Invalid Request',
      detail: 'One or more parameters to your request was invalid.',
      type: 'https://api.twitter.com/2/problems/invalid-request',
    });

  const search = (req: IncomingMessage, res: ServerResponse, url: URL): number => {
    if (url.pathname !== SEARCH_PATH) return json(res, 404, problem(404, 'Not Found'));
    if (req.headers.authorization !== `Bearer ${BEARER}`) return json(res, 401, problem(401, 'Unauthorized'));
    const params = url.searchParams;
    const text = params.get('query') ?? '';
    const max = Number(params.get('max_results') ?? 10);
    const since = params.get('since_id');
    const next = params.get('next_token');
    if (!text) return invalid(res, 'query', '');
    if (!(max >= 10 && max <= 100)) return invalid(res, 'max_results', String(max));
    if (since !== null && !/^\d+$/.test(since)) return invalid(res, 'since_id', since);
    if (since !== null && state.minSinceId !== null && BigInt(since) < BigInt(state.minSinceId))
      return invalid(res, 'since_id', since);
    let until: bigint | null = null;
    if (next !== null) {
      let token: Token | null;
      try {
        token = JSON.parse(Buffer.from(next, 'base64url').toString('utf8')) as Token;
      } catch {
        token = null;
      }
      if (!token || token.q !== text || token.s !== since || token.g !== state.generation)
        return invalid(res, 'next_token', next);
      until = BigInt(token.u);
    }
    const found = tweets
      .filter((one) => matches(one, text))
      .filter((one) => since === null || BigInt(one.id) > BigInt(since))
      .filter((one) => until === null || BigInt(one.id) < until)
      .sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1));
    const page = found.slice(0, Math.min(max, state.pageSize));
    if (page.length === 0) return json(res, 200, { meta: { result_count: 0 } });
    const oldest = page[page.length - 1].id;
    const token: Token = { q: text, s: since, u: oldest, g: state.generation };
    return json(res, 200, {
      data: page,
      includes: { users: [...new Set(page.map((one) => one.author_id))].map((id) => users.get(id)) },
      meta: {
        newest_id: page[0].id,
        oldest_id: oldest,
        result_count: page.length,
        ...(found.length > page.length
          ? { next_token: Buffer.from(JSON.stringify(token)).toString('base64url') }
          : {}),
      },
    });
  };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const failure = script.shift() ?? null;
    let status: number;
    if (failure && 'malformed' in failure) {
      status = 200;
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(failure.malformed);
    } else if (failure?.status === 429) {
      status = json(res, 429, problem(429, 'Too Many Requests'), {
        'x-rate-limit-remaining': '0',
        'x-rate-limit-reset': String(failure.reset),
      });
    } else if (failure?.status === 401) status = json(res, 401, problem(401, 'Unauthorized'));
    else if (failure?.status === 500) status = json(res, 500, problem(500, 'Internal Server Error'));
    else status = search(req, res, url);
    requests.push({
      params: Object.fromEntries(url.searchParams),
      status,
      authorization: req.headers.authorization,
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    tweets,
    state,
    script,
    requests,
    /** What each request asked for, in order, without the fields every request carries. */
    asked(from = 0) {
      return requests.slice(from).map(({ params: { query: q, since_id, next_token } }) => ({
        query: q,
        ...(since_id ? { since_id } : {}),
        ...(next_token ? { next_token: 'token' } : {}),
      }));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The X (Twitter) recent-search source, through the API, against a local fake of the v2 search. */
describe('twitter connector', () => {
  const { api, db } = useApi();
  let admin: string;
  let x: Awaited<ReturnType<typeof startFakeX>>;
  const ids = new Map<string, string>();

  beforeAll(async () => {
    x = await startFakeX();
    atSuiteEnd(() => x.close());
    admin = await api.key(Role.Admin);
  });

  const createSource = async (
    name: string,
    settings: Record<string, unknown>,
    secrets: Record<string, string> | null = { bearerToken: BEARER },
  ) => {
    const created = await http(api.url, 'POST', '/api/v1/sources', {
      key: admin,
      // A day between scheduled polls: only the test's own polls run.
      body: {
        name,
        kind: 'twitter',
        settings: { apiBaseUrl: x.url, ...settings },
        pollEverySeconds: 86_400,
        ...(secrets ? { secrets } : {}),
      },
    });
    expect(created.status).toBe(201);
    ids.set(name, created.body.id);
    // A source never polled is due at the next tick (every 15 s), whatever its interval: marked
    // as polled now, so that no scheduled poll races the ones this suite makes and counts.
    await query(db.url, 'UPDATE source SET last_poll_at = now() WHERE id = $1', [created.body.id]);
  };
  const poll = async (name: string) => {
    const response = await http(api.url, 'POST', `/api/v1/sources/${ids.get(name)}/poll`, { key: admin });
    expect(response.status).toBe(200);
    return response.body as { stored: number; skipped: number; refused: number };
  };
  const health = async (name: string) =>
    (await http(api.url, 'GET', `/api/v1/sources/${ids.get(name)}/health`, { key: admin })).body as {
      lastSuccessAt: string | null;
      lastErrorAt: string | null;
      lastError: string | null;
      consecutiveFailures: number;
      backoffUntil: string | null;
    };
  const rows = (source: string) => verbatimsOfSource(db.url, source);
  const byId = async (source: string) => new Map((await rows(source)).map((row) => [row.external_id, row]));
  /** Every external id of the source with how many times it is stored. */
  const counts = async (source: string) =>
    new Map(
      (
        await query<{ external_id: string; n: number }>(
          db.url,
          `SELECT v.external_id, count(*)::int AS n FROM verbatim v JOIN source s ON s.id = v.source_id
            WHERE s.name = $1 GROUP BY v.external_id`,
          [source],
        )
      ).map((row) => [row.external_id, row.n]),
    );
  const cursorOf = async (source: string) =>
    (await query<{ cursor: unknown }>(db.url, 'SELECT cursor FROM source WHERE name = $1', [source]))[0]
      .cursor;

  /** Customers' tweets of the fixture each query finds (brand posts and the retweet skipped). */
  const FIRST_STORED = [
    ...['T1', 'T3', 'T4', 'T5', 'T6', 'T7', 'T11', 'T13', 'T14'].map((key) => T[key]),
    ...['T8', 'T12'].map((key) => T[key]),
  ];

  it('reads both queries page by page, newest first, and stores each customer tweet once', async () => {
    await createSource('twitter-loverail', { queries: [MENTIONS, HASHTAG], ownAccountIds: BRAND_IDS });
    expect(await poll('twitter-loverail')).toEqual({ stored: 11, skipped: 3, refused: 0 });

    // 10 tweets for the mentions (pages of 4), then 5 for the hashtag; every page asks the same.
    expect(x.asked()).toEqual([
      { query: MENTIONS },
      { query: MENTIONS, next_token: 'token' },
      { query: MENTIONS, next_token: 'token' },
      { query: HASHTAG },
      { query: HASHTAG, next_token: 'token' },
    ]);
    for (const request of x.requests) {
      expect(request.authorization).toBe(`Bearer ${BEARER}`);
      expect(request.params).toMatchObject({
        max_results: '100',
        'tweet.fields': 'created_at,author_id,lang,conversation_id,referenced_tweets,entities',
        expansions: 'author_id',
        'user.fields': 'username',
      });
    }

    const stored = await byId('twitter-loverail');
    expect([...stored.keys()].sort()).toEqual([...FIRST_STORED].sort());
    const keys = api.app.get(AuthorKeys);
    const jeanne = stored.get(T.T1);
    expect(jeanne).toMatchObject({
      channel: 'twitter',
      lang: 'fr',
      author_key: keys.of('twitter:884512376'),
      // X escapes &, < and > in v2 text: the customer typed them.
      raw_text:
        "@LoveRail mon TGV Paris → Lyon de 7h12 supprimé sans SMS, je l'ai appris sur le quai. Remboursement & solution ?",
      metadata: { username: 'jeanne_dlt', conversationId: T.T1, query: MENTIONS, isReply: false },
    });
    expect(jeanne?.received_at.toISOString()).toBe('2026-11-22T07:41:12.000Z');
    // Her reply to the brand is hers, in the same conversation, under the same customer.
    expect(stored.get(T.T3)).toMatchObject({
      author_key: keys.of('twitter:884512376'),
      metadata: { username: 'jeanne_dlt', conversationId: T.T1, query: MENTIONS, isReply: true },
    });
    expect(stored.get(T.T4)?.raw_text).toBe(
      '@LoveRail your app crashes every time I open My tickets >:( train leaves in 2 hours',
    );
    expect(stored.get(T.T4)?.lang).toBe('en');
    // Only fr and en are handed over as languages: X's de and zxx (emoji only) are left to the pipeline.
    expect(stored.get(T.T6)?.lang).not.toBe('de');
    expect(stored.get(T.T11)?.raw_text).toBe('@LoveRail 😡😡😡');
    expect(stored.get(T.T11)?.lang).not.toBe('zxx');
    // Found by both queries, stored once, from the first.
    expect(stored.get(T.T5)?.metadata.query).toBe(MENTIONS);
    expect(stored.get(T.T12)?.metadata).toEqual({
      username: 'paul_m',
      conversationId: T.T12,
      query: HASHTAG,
      isReply: false,
    });
    for (const row of stored.values()) expect(row.author_key).not.toMatch(/twitter|jeanne|884512376/);

    expect(await cursorOf('twitter-loverail')).toEqual({
      queries: {
        [MENTIONS]: { sinceId: T.T14, nextToken: null, newestId: null },
        [HASHTAG]: { sinceId: T.T12, nextToken: null, newestId: null },
      },
      pending: [],
    });
    expect(await health('twitter-loverail')).toMatchObject({ consecutiveFailures: 0, lastError: null });
  });

  it('stores nothing twice: a poll asks only above since_id, a replay from no cursor stores 0', async () => {
    const before = x.requests.length;
    expect(await poll('twitter-loverail')).toEqual({ stored: 0, skipped: 0, refused: 0 });
    expect(x.asked(before)).toEqual([
      { query: MENTIONS, since_id: T.T14 },
      { query: HASHTAG, since_id: T.T12 },
    ]);

    // As if the cursor had never been saved (a crash after the store): every page is read again.
    await query(db.url, `UPDATE source SET cursor = NULL WHERE name = 'twitter-loverail'`);
    expect(await poll('twitter-loverail')).toEqual({ stored: 0, skipped: 3, refused: 0 });
    const stored = await counts('twitter-loverail');
    expect(stored.size).toBe(11);
    expect([...stored.values()].every((n) => n === 1)).toBe(true);
  });

  it('picks up tweets posted after the first poll through since_id, once each', async () => {
    x.tweets.push(...FIXTURE.later);
    const before = x.requests.length;
    // L3 is found by both queries.
    expect(await poll('twitter-loverail')).toEqual({ stored: 3, skipped: 0, refused: 0 });
    expect(x.asked(before)).toEqual([
      { query: MENTIONS, since_id: T.T14 },
      { query: HASHTAG, since_id: T.T12 },
    ]);
    const stored = await byId('twitter-loverail');
    expect(stored.get(L.L3)?.metadata).toMatchObject({ username: 'klaus_unterwegs', query: MENTIONS });
    expect(stored.get(L.L2)?.metadata).toMatchObject({ username: 'lea_b', query: HASHTAG });
    expect(await cursorOf('twitter-loverail')).toMatchObject({
      queries: { [MENTIONS]: { sinceId: L.L3 }, [HASHTAG]: { sinceId: L.L3 } },
    });
  });

  it('leaves no gap and no duplicate when page 2 fails: the next poll resumes at that page', async () => {
    const burst = Array.from({ length: 9 }, (_, i) =>
      tweet(
        `2026-11-26T08:${String(10 + i).padStart(2, '0')}:00.000Z`,
        i,
        `@LoveRail retard ${10 + i} minutes sur le TER de 8h`,
      ),
    );
    x.tweets.push(...burst);
    const before = x.requests.length;
    x.script.push(null, { status: 500 });
    expect(await poll('twitter-loverail')).toEqual({ stored: 4, skipped: 0, refused: 0 });
    expect(x.asked(before)).toEqual([
      { query: MENTIONS, since_id: L.L3 },
      { query: MENTIONS, since_id: L.L3, next_token: 'token' },
    ]);
    expect(await health('twitter-loverail')).toMatchObject({
      consecutiveFailures: 1,
      lastError: 'X answered 500 Internal Server Error for /2/tweets/search/recent',
    });
    // The walk's place is kept; since_id moves only once the walk is done.
    expect(await cursorOf('twitter-loverail')).toMatchObject({
      queries: { [MENTIONS]: { sinceId: L.L3, newestId: burst[8].id, nextToken: expect.any(String) } },
      pending: [MENTIONS, HASHTAG],
    });

    // Posted while the walk was broken: newer than the walk, read by the next round.
    const during = tweet('2026-11-26T09:00:00.000Z', 20, '@LoveRail toujours bloqué en gare de Dijon');
    x.tweets.push(during);
    x.requests.length = 0;
    expect(await poll('twitter-loverail')).toEqual({ stored: 5, skipped: 0, refused: 0 });
    expect(x.asked()).toEqual([
      { query: MENTIONS, since_id: L.L3, next_token: 'token' },
      { query: MENTIONS, since_id: L.L3, next_token: 'token' },
      { query: HASHTAG, since_id: L.L3 },
    ]);
    expect(await health('twitter-loverail')).toMatchObject({ consecutiveFailures: 0, backoffUntil: null });

    expect(await poll('twitter-loverail')).toEqual({ stored: 1, skipped: 0, refused: 0 });
    expect(x.asked(3)[0]).toEqual({ query: MENTIONS, since_id: burst[8].id });
    const stored = await counts('twitter-loverail');
    expect([...stored.values()].every((n) => n === 1)).toBe(true);
    for (const one of [...burst, during]) expect(stored.get(one.id)).toBe(1);
    expect(stored.size).toBe(11 + 3 + 9 + 1);
  });

  it('starts a walk again when X no longer takes its next_token, storing nothing twice', async () => {
    const burst = Array.from({ length: 6 }, (_, i) =>
      tweet(`2026-11-27T10:0${i}:00.000Z`, i, `#LoveRail appli bloquée au paiement (${i + 1})`, '2946381720'),
    );
    x.tweets.push(...burst);
    x.script.push(null, null, { status: 500 });
    // The mentions (nothing new), page 1 of the hashtag, then the failure.
    expect(await poll('twitter-loverail')).toEqual({ stored: 4, skipped: 0, refused: 0 });
    x.state.generation++;
    const before = x.requests.length;
    expect(await poll('twitter-loverail')).toEqual({ stored: 2, skipped: 0, refused: 0 });
    expect(x.requests.slice(before).map((request) => request.status)).toEqual([400, 200, 200]);
    expect(x.asked(before)).toEqual([
      { query: HASHTAG, since_id: L.L3, next_token: 'token' },
      { query: HASHTAG, since_id: L.L3 },
      { query: HASHTAG, since_id: L.L3, next_token: 'token' },
    ]);
    const stored = await counts('twitter-loverail');
    for (const one of burst) expect(stored.get(one.id)).toBe(1);
    expect(await health('twitter-loverail')).toMatchObject({ consecutiveFailures: 0 });
  });

  it('waits out a 429 until x-rate-limit-reset, without counting it as a failure', async () => {
    const before = await health('twitter-loverail');
    const reset = Math.floor(Date.now() / 1000) + 600;
    x.script.push({ status: 429, reset });
    expect(await poll('twitter-loverail')).toEqual({ stored: 0, skipped: 0, refused: 0 });
    const limited = await health('twitter-loverail');
    expect(limited.consecutiveFailures).toBe(before.consecutiveFailures);
    expect(limited.lastError).toBe(before.lastError);
    expect(Math.abs(Date.parse(limited.backoffUntil ?? '') - reset * 1000)).toBeLessThan(2_000);
  });

  it('records malformed JSON as the error it is, stores nothing, and recovers on the next good poll', async () => {
    const count = (await rows('twitter-loverail')).length;
    const late = tweet('2026-11-28T07:30:00.000Z', 1, '@LoveRail le contrôleur a refusé mon e-billet');
    x.tweets.push(late);
    x.script.push({ malformed: `{"data":[{"id":"${late.id}","text":"@LoveRail le contr` });
    expect(await poll('twitter-loverail')).toEqual({ stored: 0, skipped: 0, refused: 0 });
    const failed = await health('twitter-loverail');
    expect(failed.consecutiveFailures).toBe(1);
    expect(failed.lastError).toMatch(/^X answer to \/2\/tweets\/search\/recent is not valid JSON: /);
    expect(await rows('twitter-loverail')).toHaveLength(count);

    // Valid JSON that is not a search answer is no better.
    x.script.push({ malformed: '{"errors":[{"message":"Service temporarily degraded"}]}' });
    await poll('twitter-loverail');
    expect((await health('twitter-loverail')).lastError).toBe(
      'X answer to /2/tweets/search/recent has no meta: X says "Service temporarily degraded"',
    );

    expect(await poll('twitter-loverail')).toEqual({ stored: 1, skipped: 0, refused: 0 });
    expect(await health('twitter-loverail')).toMatchObject({ consecutiveFailures: 0, backoffUntil: null });
    expect((await counts('twitter-loverail')).get(late.id)).toBe(1);
  });

  it('reads the last seven days again when X finds since_id too old, storing nothing twice', async () => {
    const saved = (await cursorOf('twitter-loverail')) as { queries: Record<string, { sinceId: string }> };
    x.state.minSinceId = snowflake('2026-11-28T12:00:00.000Z', 0);
    const before = x.requests.length;
    const result = await poll('twitter-loverail');
    x.state.minSinceId = null;
    expect(result).toMatchObject({ stored: 0, refused: 0 });
    expect(x.requests[before].status).toBe(400);
    expect(x.asked(before).slice(0, 2)).toEqual([
      { query: MENTIONS, since_id: saved.queries[MENTIONS].sinceId },
      { query: MENTIONS },
    ]);
    expect(await health('twitter-loverail')).toMatchObject({ consecutiveFailures: 0 });
    expect(await cursorOf('twitter-loverail')).toEqual(saved);
    expect([...(await counts('twitter-loverail')).values()].every((n) => n === 1)).toBe(true);
  });

  it('leaves out replies when includeReplies is false, and retweets only when includeRetweets is true', async () => {
    await createSource('twitter-no-replies', {
      queries: [MENTIONS],
      includeReplies: false,
      ownAccountIds: BRAND_IDS,
    });
    const result = await poll('twitter-no-replies');
    const stored = await byId('twitter-no-replies');
    expect(stored.has(T.T3)).toBe(false);
    expect(stored.has(T.T2)).toBe(false);
    expect(stored.has(T.T1)).toBe(true);
    expect(result.skipped).toBe(2);

    await createSource('twitter-retweets', { queries: [HASHTAG], includeRetweets: true });
    await poll('twitter-retweets');
    const withRetweets = await byId('twitter-retweets');
    expect(withRetweets.get(T.T9)?.raw_text).toMatch(/^RT @paul_m: Paiement refusé/);
    // Without ownAccountIds, the brand's posts are just posts.
    expect(withRetweets.has(T.T10)).toBe(true);
  });

  it('stops for good on a 401: a dead letter with a clear cause, nothing stored', async () => {
    await createSource('twitter-wrong-token', { queries: [MENTIONS] }, { bearerToken: 'revoked-token' });
    expect(await poll('twitter-wrong-token')).toEqual({ stored: 0, skipped: 0, refused: 0 });
    expect(await health('twitter-wrong-token')).toMatchObject({ consecutiveFailures: 1 });

    await createSource('twitter-no-token', { queries: [MENTIONS] }, null);
    const before = x.requests.length;
    await poll('twitter-no-token');
    // Nothing to send X without a token.
    expect(x.requests.length).toBe(before);

    const letters = await query<{ job_name: string; cause: string }>(
      db.url,
      `SELECT job_name, cause FROM dead_letter WHERE cause LIKE 'twitter-%' ORDER BY cause`,
    );
    expect(letters).toEqual([
      {
        job_name: 'source.poll',
        cause:
          "twitter-no-token: fails for good: secrets.bearerToken is missing: set the X app's bearer token",
      },
      {
        job_name: 'source.poll',
        cause:
          "twitter-wrong-token: fails for good: X answered 401 Unauthorized for /2/tweets/search/recent: access refused, check the source's bearerToken",
      },
    ]);
    expect(await rows('twitter-wrong-token')).toHaveLength(0);

    // A 401 on a source whose token used to work stops it the same way.
    x.script.push({ status: 401 });
    await poll('twitter-loverail');
    const [letter] = await query<{ cause: string }>(
      db.url,
      `SELECT cause FROM dead_letter WHERE cause LIKE 'twitter-loverail:%'`,
    );
    expect(letter.cause).toMatch(/^twitter-loverail: fails for good: X answered 401 Unauthorized/);
  });
});
