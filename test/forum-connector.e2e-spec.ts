import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import { join } from 'node:path';
import { Role } from '@app/database';
import { useApi } from './support/app';
import { query, verbatimsOfSource } from './support/database';
import { http } from './support/http';
import { atSuiteEnd } from './support/suite-end';

const FIXTURES = join(__dirname, 'fixtures', 'forums');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

/** What a test server answers instead of the real thing, once, for the next request in line. */
type Failure =
  { status: 500 } | { status: 401 } | { status: 429; retryAfter: string } | { malformed: string };

interface FakeServer {
  url: string;
  /** One entry per coming request: null answers normally. */
  script: (Failure | null)[];
  requests: { path: string; status: number; headers: IncomingMessage['headers'] }[];
  close(): Promise<void>;
}

async function listen(
  handle: (req: IncomingMessage, res: ServerResponse, url: URL) => number,
): Promise<FakeServer> {
  const fake: FakeServer = { url: '', script: [], requests: [], close: () => Promise.resolve() };
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const failure = fake.script.shift() ?? null;
    let status: number;
    if (failure && 'malformed' in failure) {
      status = 200;
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(failure.malformed);
    } else if (failure) {
      status = failure.status;
      res.writeHead(failure.status, {
        'content-type': 'application/json',
        ...(failure.status === 429 ? { 'retry-after': failure.retryAfter } : {}),
      });
      res.end(JSON.stringify({ errors: [`failure ${failure.status} asked by the test`] }));
    } else status = handle(req, res, url);
    fake.requests.push({ path: `${url.pathname}${url.search}`, status, headers: req.headers });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  fake.url = `http://127.0.0.1:${port}`;
  fake.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return fake;
}

/** Feeds by path, with ETag/Last-Modified and 304s as a real server gives them (when `validators`). */
async function startFeedServer() {
  const feeds = new Map<string, string>([
    ['/communaute.rss', fixture('communaute-fr.rss.xml')],
    ['/reviews.atom', fixture('reviews-en.atom.xml')],
    ['/private.rss', fixture('communaute-fr.rss.xml')],
  ]);
  const state = { validators: true };
  const server = await listen((req, res, url) => {
    const feed = feeds.get(url.pathname);
    if (feed === undefined) {
      res.writeHead(404).end('not found');
      return 404;
    }
    const etag = `"${createHash('sha1').update(feed).digest('hex').slice(0, 16)}"`;
    if (state.validators && req.headers['if-none-match'] === etag) {
      res.writeHead(304, { etag }).end();
      return 304;
    }
    res.writeHead(200, {
      'content-type': `${url.pathname.endsWith('.atom') ? 'application/atom+xml' : 'application/rss+xml'}; charset=utf-8`,
      ...(state.validators ? { etag, 'last-modified': 'Mon, 23 Nov 2026 10:15:00 GMT' } : {}),
    });
    res.end(feed);
    return 200;
  });
  return Object.assign(server, { feeds, state });
}

interface FakePost {
  id: number;
  [field: string]: unknown;
}

/**
 * `/posts.json` as Discourse answers it: newest first, `before` inclusive (`id <= before`), pages
 * of 5 here (50 in Discourse) so that a walk spans pages; `/site.json` for category slugs.
 */
async function startDiscourseServer() {
  const data = JSON.parse(fixture('discourse-latest-posts.json')) as {
    latest_posts: FakePost[];
    site: unknown;
  };
  const posts: FakePost[] = [...data.latest_posts];
  const server = await listen((req, res, url) => {
    const key = req.headers['api-key'];
    if (key !== undefined && key !== 'test-api-key') {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ errors: ['The API username or key is invalid.'], error_type: 'invalid_access' }),
      );
      return 401;
    }
    if (url.pathname === '/forum/site.json') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(data.site));
      return 200;
    }
    if (url.pathname !== '/forum/posts.json') {
      res.writeHead(404).end();
      return 404;
    }
    const before = Number(url.searchParams.get('before') ?? Infinity);
    const page = posts
      .filter((post) => post.id <= before)
      .sort((a, b) => b.id - a.id)
      .slice(0, 5);
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify({ latest_posts: page }));
    return 200;
  });
  return Object.assign(server, { posts, template: data.latest_posts[0] });
}

/** The RSS/Atom and Discourse forum sources, through the API, against local feed and forum servers. */
describe('forum connector', () => {
  const { api, db } = useApi();
  let admin: string;
  let feeds: Awaited<ReturnType<typeof startFeedServer>>;
  let forum: Awaited<ReturnType<typeof startDiscourseServer>>;
  const ids = new Map<string, string>();

  beforeAll(async () => {
    [feeds, forum] = await Promise.all([startFeedServer(), startDiscourseServer()]);
    atSuiteEnd(async () => void (await Promise.all([feeds.close(), forum.close()])));
    admin = await api.key(Role.Admin);
  });

  const createSource = async (
    name: string,
    settings: Record<string, unknown>,
    secrets?: Record<string, string>,
  ) => {
    const created = await http(api.url, 'POST', '/api/v1/sources', {
      key: admin,
      // A day between scheduled polls: only the test's own polls run.
      body: { name, kind: 'forum', settings, pollEverySeconds: 86_400, ...(secrets ? { secrets } : {}) },
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
      itemsLast24h: number;
    };
  const rows = (source: string) => verbatimsOfSource(db.url, source);
  const byId = async (source: string) => new Map((await rows(source)).map((row) => [row.external_id, row]));

  describe('RSS and Atom', () => {
    it('stores every item of an RSS 2.0 and an Atom feed once, as plain text, and refuses the undated one', async () => {
      await createSource('forum-fr', { type: 'rss', feedUrl: `${feeds.url}/communaute.rss` });
      await createSource('reviews-en', { type: 'rss', feedUrl: `${feeds.url}/reviews.atom` });

      expect(await poll('forum-fr')).toEqual({ stored: 3, skipped: 0, refused: 1 });
      const fr = await byId('forum-fr');
      expect([...fr.keys()]).toEqual([
        'communaute-fr-post-4812-1',
        'https://communaute.example.fr/t/carte-avantage-controle/4799',
        'https://communaute.example.fr/t/paiement-refuse-3ds/4820',
      ]);
      const jeanne = fr.get('communaute-fr-post-4812-1');
      expect(jeanne?.raw_text).toBe(
        'Remboursement d’un TGV annulé : toujours rien après 3 semaines\n' +
          'Bonjour,\n\n' +
          "Mon TGV Paris → Lyon du 2 novembre a été annulé. J'ai demandé le remboursement le jour même : toujours rien après 3 semaines.\n\n" +
          'Le formulaire affiche « demande en cours » depuis.\nQuelqu’un a eu une réponse ?',
      );
      expect(jeanne).toMatchObject({ channel: 'forum', lang: 'fr' });
      expect(jeanne?.received_at.toISOString()).toBe('2026-11-23T08:14:00.000Z');
      expect(jeanne?.metadata).toEqual({
        title: 'Remboursement d’un TGV annulé : toujours rien après 3 semaines',
        url: 'https://communaute.example.fr/t/remboursement-tgv-annule/4812',
      });
      // Escaped HTML in <description> (entities twice over) reads as text too; the quote is not hers.
      expect(fr.get('https://communaute.example.fr/t/paiement-refuse-3ds/4820')?.raw_text).toContain(
        "l'appli revient à l'étape « paiement » sans rien dire.",
      );
      const control = fr.get('https://communaute.example.fr/t/carte-avantage-controle/4799')?.raw_text;
      expect(control).toMatch(
        /^Contrôleur & carte Avantage non reconnue\nLe contrôleur m'a mis une amende de 50/,
      );
      expect(control).not.toContain('Message cité');
      for (const row of fr.values()) {
        expect(row.raw_text).not.toMatch(/<[a-z/]|&[a-z#0-9]+;|trackView|capture/i);
        expect(row.author_key).not.toMatch(/jeanne|paul|rss:/);
      }
      const [undated] = await query<{ cause: string; job_id: string }>(
        db.url,
        `SELECT cause, job_id FROM dead_letter WHERE job_name = 'source.forum'`,
      );
      expect(undated).toEqual({
        job_id: 'forum-fr:communaute-fr-post-1-1',
        cause: 'item has no date (pubDate, dc:date, published or updated): its time is unknown',
      });

      expect(await poll('reviews-en')).toEqual({ stored: 3, skipped: 0, refused: 0 });
      const en = await byId('reviews-en');
      expect(en.get('tag:reviews.example.com,2026:review-99120')?.raw_text).toBe(
        'App crashes when I open my e-tickets — “something went wrong”\n' +
          'Every time I open My tickets the app shows “Something went wrong” and closes.\n\n' +
          "Train leaves in 2 hours & I can't show my ticket!",
      );
      // An entry with <updated> only dates from it; inline XHTML content keeps its word order.
      const twice = en.get('tag:reviews.example.com,2026:review-99098');
      expect(twice?.received_at.toISOString()).toBe('2026-11-22T20:05:33.000Z');
      expect(twice?.raw_text).toContain(
        'I booked London → Paris with a seat reservation and was charged twice (2 × £18).',
      );
      expect(en.get('tag:reviews.example.com,2026:review-99077')?.raw_text).toBe(
        'Refund form rejects my booking reference\n' +
          'The refund form says Invalid reference for QX7P2L, the one printed on my e-ticket.',
      );
    });

    it('answers a replay with nothing: a 304 is nothing new, no error', async () => {
      const before = feeds.requests.length;
      expect(await poll('forum-fr')).toEqual({ stored: 0, skipped: 0, refused: 0 });
      expect(await poll('reviews-en')).toEqual({ stored: 0, skipped: 0, refused: 0 });
      const asked = feeds.requests.slice(before);
      expect(asked.map((request) => request.status)).toEqual([304, 304]);
      expect(asked[0].headers['if-none-match']).toMatch(/^"[0-9a-f]{16}"$/);
      expect(asked[0].headers['if-modified-since']).toBe('Mon, 23 Nov 2026 10:15:00 GMT');
      expect(await health('forum-fr')).toMatchObject({
        lastError: null,
        consecutiveFailures: 0,
        backoffUntil: null,
      });
    });

    it('picks up an item added with an older date, and nothing twice when the feed is re-read whole or reordered', async () => {
      // A server without validators: every poll reads the whole feed again.
      feeds.state.validators = false;
      expect(await poll('forum-fr')).toEqual({ stored: 0, skipped: 0, refused: 0 });

      const late = `<item>
      <title>Wifi à bord inexistant</title>
      <link>https://communaute.example.fr/t/wifi-a-bord/4700</link>
      <guid isPermaLink="false">communaute-fr-post-4700-1</guid>
      <dc:creator>voyageur_44</dc:creator>
      <pubDate>Fri, 20 Nov 2026 07:30:00 +0100</pubDate>
      <description><![CDATA[<p>Trois heures de trajet sans <b>aucune</b> connexion&hellip;</p>]]></description>
    </item>
    `;
      const feed = feeds.feeds.get('/communaute.rss') ?? '';
      const second = feed.indexOf('<item>', feed.indexOf('<item>') + 1);
      feeds.feeds.set('/communaute.rss', feed.slice(0, second) + late + feed.slice(second));
      expect(await poll('forum-fr')).toEqual({ stored: 1, skipped: 0, refused: 0 });
      const wifi = (await byId('forum-fr')).get('communaute-fr-post-4700-1');
      expect(wifi?.raw_text).toBe('Wifi à bord inexistant\nTrois heures de trajet sans aucune connexion…');
      expect(wifi?.received_at.toISOString()).toBe('2026-11-20T06:30:00.000Z');

      const current = feeds.feeds.get('/communaute.rss') ?? '';
      const items = current.match(/<item>[\s\S]*?<\/item>/g) ?? [];
      const head = current.slice(0, current.indexOf('<item>'));
      feeds.feeds.set('/communaute.rss', `${head}${[...items].reverse().join('\n')}\n</channel>\n</rss>\n`);
      expect(await poll('forum-fr')).toEqual({ stored: 0, skipped: 0, refused: 0 });
      expect(await rows('forum-fr')).toHaveLength(4);
      feeds.state.validators = true;
    });

    it('records a malformed feed as the error it is, stores nothing, and recovers on the next good poll', async () => {
      const count = (await rows('forum-fr')).length;
      feeds.script.push({ malformed: fixture('communaute-fr.rss.xml').slice(0, 900) });
      expect(await poll('forum-fr')).toEqual({ stored: 0, skipped: 0, refused: 0 });
      const failed = await health('forum-fr');
      expect(failed.consecutiveFailures).toBe(1);
      expect(failed.lastError).toMatch(/^feed is not valid RSS or Atom: /);
      expect(await rows('forum-fr')).toHaveLength(count);

      feeds.script.push({ status: 500 });
      await poll('forum-fr');
      expect(await health('forum-fr')).toMatchObject({
        consecutiveFailures: 2,
        lastError: 'feed answered 500 Internal Server Error for /communaute.rss',
      });

      expect(await poll('forum-fr')).toEqual({ stored: 0, skipped: 0, refused: 0 });
      const recovered = await health('forum-fr');
      expect(recovered).toMatchObject({ consecutiveFailures: 0, backoffUntil: null });
      expect(Date.parse(recovered.lastSuccessAt ?? '')).toBeGreaterThan(
        Date.parse(recovered.lastErrorAt ?? ''),
      );
      expect(await rows('forum-fr')).toHaveLength(count);
    });

    it('waits out a 429 as Retry-After says, without counting it as a failure', async () => {
      feeds.script.push({ status: 429, retryAfter: '120' });
      const asked = Date.now();
      expect(await poll('reviews-en')).toEqual({ stored: 0, skipped: 0, refused: 0 });
      const limited = await health('reviews-en');
      expect(limited).toMatchObject({ consecutiveFailures: 0, lastError: null });
      const until = Date.parse(limited.backoffUntil ?? '');
      expect(until).toBeGreaterThanOrEqual(asked + 115_000);
      expect(until).toBeLessThanOrEqual(Date.now() + 125_000);
    });

    it('stops for good on a 401: a dead letter with a clear cause', async () => {
      await createSource('private-feed', { type: 'rss', feedUrl: `${feeds.url}/private.rss` });
      feeds.script.push({ status: 401 });
      expect(await poll('private-feed')).toEqual({ stored: 0, skipped: 0, refused: 0 });
      expect(await health('private-feed')).toMatchObject({ consecutiveFailures: 1 });
      const letters = await query<{ job_name: string; cause: string }>(
        db.url,
        `SELECT job_name, cause FROM dead_letter WHERE cause LIKE 'private-feed:%'`,
      );
      expect(letters).toEqual([
        {
          job_name: 'source.poll',
          cause:
            "private-feed: fails for good: feed answered 401 Unauthorized for /private.rss: access refused, check the source's secrets",
        },
      ]);
      expect(await rows('private-feed')).toHaveLength(0);
    });
  });

  describe('Discourse', () => {
    const newPost = (id: number, text: string): FakePost => ({
      ...forum.template,
      id,
      username: `client_${id}`,
      created_at: new Date(Date.UTC(2026, 10, 23, 12, 0, id % 60)).toISOString(),
      post_number: 1,
      topic_id: 5000 + id,
      topic_slug: `sujet-${id}`,
      topic_title: `Sujet ${id}`,
      raw: text,
      cooked: `<p>${text}</p>`,
    });

    it('walks /posts.json across pages, storing customers’ posts oldest first and skipping staff, brand and non-regular posts', async () => {
      await createSource(
        'discourse',
        {
          type: 'discourse',
          baseUrl: `${forum.url}/forum/`,
          fromPostId: 1,
          ownUsernames: ['loverail_support'],
        },
        { apiKey: 'test-api-key', apiUsername: 'loveboard' },
      );
      expect(await poll('discourse')).toEqual({ stored: 8, skipped: 4, refused: 0 });
      // Pages of 5 from the newest, `before` the lowest id seen, down to the first post.
      expect(forum.requests.map((request) => request.path)).toEqual([
        '/forum/posts.json',
        '/forum/posts.json?before=108',
        '/forum/posts.json?before=104',
        '/forum/posts.json?before=101',
      ]);
      expect(forum.requests[0].headers).toMatchObject({
        'api-key': 'test-api-key',
        'api-username': 'loveboard',
      });

      const stored = await byId('discourse');
      expect([...stored.keys()].sort()).toEqual(
        [101, 102, 106, 107, 109, 110, 111, 112].map((id) => `post:${id}`).sort(),
      );
      const reply = stored.get('post:102');
      expect(reply?.raw_text).toBe("Pareil pour moi, 25 jours d'attente pour un Ouigo annulé.");
      expect(reply?.metadata).toEqual({
        topicId: 4812,
        topicTitle: "Remboursement d'un TGV annulé",
        postNumber: 2,
        url: `${forum.url}/forum/t/remboursement-tgv-annule/4812/2`,
        categoryId: 5,
      });
      expect(reply?.received_at.toISOString()).toBe('2026-11-20T09:01:44.500Z');
      // Without `raw`, the rendered HTML as text.
      expect(stored.get('post:106')?.raw_text).toBe(
        'Impossible de payer : après la validation « 3-D Secure » de ma banque, l’appli revient au panier.\n\n' +
          ' * Android 15\n * Carte Visa & appli v8.2',
      );
      expect(stored.get('post:111')?.raw_text).toBe(
        'L’appli plante dès que j’ouvre Mes billets.\nRéinstallée deux fois, même problème.',
      );
      // Same customer, same key; never the username in the clear.
      expect(stored.get('post:101')?.author_key).toBe(stored.get('post:110')?.author_key);
      expect(stored.get('post:101')?.author_key).not.toContain('jeanne');

      forum.requests.length = 0;
      expect(await poll('discourse')).toEqual({ stored: 0, skipped: 0, refused: 0 });
      expect(forum.requests.map((request) => request.path)).toEqual(['/forum/posts.json']);
    });

    it('follows only the categories asked for, subcategories included', async () => {
      await createSource('discourse-billets', {
        type: 'discourse',
        baseUrl: `${forum.url}/forum`,
        fromPostId: 100,
        categories: ['billets'],
        ownUsernames: ['LoveRail_Support'],
      });
      expect(await poll('discourse-billets')).toEqual({ stored: 5, skipped: 7, refused: 0 });
      expect([...(await byId('discourse-billets')).keys()].sort()).toEqual(
        ['post:101', 'post:102', 'post:106', 'post:109', 'post:110'].sort(),
      );
    });

    it('leaves no gap when a walk fails half-way: the next poll stores every post exactly once', async () => {
      // 30 posts with ids spread over 1,740: the backlog is read window by window of ids.
      const added = Array.from({ length: 30 }, (_, i) => 200 + 60 * i);
      for (const id of added) forum.posts.push(newPost(id, `Message ${id} : mon train a eu du retard.`));
      forum.requests.length = 0;
      forum.script.push(null, null, null, null, { status: 500 });
      const first = await poll('discourse');
      expect(first.stored).toBeGreaterThan(0);
      expect(first.stored).toBeLessThan(30);
      expect(await health('discourse')).toMatchObject({
        consecutiveFailures: 1,
        lastError: 'Discourse answered 500 Internal Server Error for /forum/posts.json',
      });

      const second = await poll('discourse');
      expect(first.stored + second.stored).toBe(30);
      expect(await health('discourse')).toMatchObject({ consecutiveFailures: 0 });
      const counts = await query<{ external_id: string; n: number }>(
        db.url,
        `SELECT v.external_id, count(*)::int AS n FROM verbatim v JOIN source s ON s.id = v.source_id
          WHERE s.name = 'discourse' GROUP BY v.external_id`,
      );
      expect(counts.every((row) => row.n === 1)).toBe(true);
      expect(counts.map((row) => row.external_id).sort()).toEqual(
        [101, 102, 106, 107, 109, 110, 111, 112, ...added].map((id) => `post:${id}`).sort(),
      );
    });

    it('reports truncated JSON as such, then recovers', async () => {
      forum.posts.push(newPost(1941, 'Le contrôleur a refusé mon e-billet sur téléphone.'));
      forum.script.push({
        malformed: '{"latest_posts":[{"id":1941,"username":"client_1941","cooked":"<p>Le contr',
      });
      expect(await poll('discourse')).toEqual({ stored: 0, skipped: 0, refused: 0 });
      expect((await health('discourse')).lastError).toMatch(
        /^Discourse answer to \/forum\/posts\.json is not valid JSON: /,
      );
      expect(await poll('discourse')).toEqual({ stored: 1, skipped: 0, refused: 0 });
      expect(await health('discourse')).toMatchObject({ consecutiveFailures: 0 });
    });

    it('waits out a 429 until the HTTP date of its Retry-After, not as a failure', async () => {
      const until = new Date(Date.now() + 90_000);
      forum.script.push({ status: 429, retryAfter: until.toUTCString() });
      expect(await poll('discourse')).toEqual({ stored: 0, skipped: 0, refused: 0 });
      const limited = await health('discourse');
      expect(limited.consecutiveFailures).toBe(0);
      expect(Math.abs(Date.parse(limited.backoffUntil ?? '') - until.getTime())).toBeLessThan(3_000);
    });

    it('stops for good when the forum refuses the API key: a dead letter with the cause', async () => {
      await createSource(
        'discourse-wrong-key',
        { type: 'discourse', baseUrl: `${forum.url}/forum` },
        { apiKey: 'not-the-key', apiUsername: 'loveboard' },
      );
      expect(await poll('discourse-wrong-key')).toEqual({ stored: 0, skipped: 0, refused: 0 });
      const [letter] = await query<{ job_name: string; cause: string }>(
        db.url,
        `SELECT job_name, cause FROM dead_letter WHERE cause LIKE 'discourse-wrong-key:%'`,
      );
      expect(letter).toEqual({
        job_name: 'source.poll',
        cause:
          "discourse-wrong-key: fails for good: Discourse answered 401 Unauthorized for /forum/posts.json: access refused, check the source's secrets",
      });
    });
  });
});
