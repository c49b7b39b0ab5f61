import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { ConnectorError, type PullPage, type SourceContext } from '@app/connectors';
import { SourceKind } from '@app/database';
import { checkVerbatim } from '@app/ingest';
// The two forum readers are not part of the connectors' public surface (ForumConnector dispatches
// to them on settings.type); they are called here directly, over real HTTP, as the poller does.
import { DiscourseForum } from '../../libs/connectors/src/forums/discourse-forum';
import { pullFeed } from '../../libs/connectors/src/forums/rss-feed';
import {
  deepJson,
  hostileString,
  hostileValue,
  params,
  recordRuns,
  watchUnhandledRejections,
} from './arbitraries';

/** What the local server answers for one case: status, content type, body, and Discourse's site.json. */
interface Answer {
  status: number;
  contentType: string | null;
  body: string | Buffer;
  site?: string;
}

/** A script's content: `<script>` bodies in HTML fields must never reach a verbatim's text. */
const SCRIPT_MARKER = 'lbScriptMarker';
const markup = fc.constantFrom(
  `<script>${SCRIPT_MARKER}()</script>`,
  `<p>Le <b>paiement</b> échoue<br>encore</p><script type="text/javascript">${SCRIPT_MARKER}</script>`,
  '<img src=x onerror=alert(1)>',
  '<a href="javascript:alert(1)">lien</a>',
  '<blockquote>cité</blockquote>réponse',
  '<div>'.repeat(1_500) + 'profond' + '</div>'.repeat(1_500),
  '<style>body{}</style>texte',
  '&amp;eacute;&lt;b&gt;',
  '<!-- commentaire -->',
);
/** Text for fields read as HTML (feed content, Discourse `cooked`): hostile strings or markup. */
const htmlText = fc.oneof({ weight: 3, arbitrary: hostileString }, { weight: 2, arbitrary: markup });

// ---- RSS 2.0 / Atom ------------------------------------------------------------------------

const xmlEscape = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
/** A value as an element's content: escaped, in CDATA (split around `]]>`), or raw as some feeds send it. */
const encoded = (text: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc
    // Raw (unescaped) text breaks the whole feed more often than not: rarer, so that items get read.
    .tuple(text, fc.constantFrom('escaped', 'escaped', 'escaped', 'cdata', 'cdata', 'raw'))
    .map(([s, how]) =>
      how === 'escaped'
        ? xmlEscape(s)
        : how === 'cdata'
          ? `<![CDATA[${s.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`
          : s,
    );
const feedDate = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .date({
        min: new Date('2000-01-01T00:00:00Z'),
        max: new Date('2026-01-01T00:00:00Z'),
        noInvalidDate: true,
      })
      .chain((d) => fc.constantFrom(d.toUTCString(), d.toISOString())),
  },
  fc.constantFrom(
    'Sat, 01 Jan 275761 00:00:00 GMT',
    'Mon, 32 Foo 99999 99:99:99 +9999',
    '0000-00-00T00:00:00Z',
    '1969-12-31T23:59:59Z',
    '2999-12-31T23:59:59Z',
    '',
  ),
  hostileString,
);
/** Guids from a small set, so that duplicates within a feed happen often. */
const guid = fc.oneof(fc.constantFrom('g1', 'g2', 'urn:x', ' '), hostileString);
const element = (name: string, value: fc.Arbitrary<string>) =>
  fc.option(
    value.map((v) => `<${name}>${v}</${name}>`),
    { nil: '' },
  );

/** Elements with attributes, empty or repeated, which xml2js turns into objects and arrays. */
const oddElements = fc
  .array(
    fc.constantFrom(
      '<guid isPermaLink="false">g1</guid>',
      '<guid/>',
      '<title type="html"/>',
      '<title><b>gras</b></title>',
      '<pubDate xml:lang="fr">Mon, 23 Nov 2026 09:00:00 GMT</pubDate>',
      '<pubDate/>',
      '<link/>',
      '<link rel="alternate"/>',
      '<author><name/></author>',
      '<author><name><b>x</b></name></author>',
      '<category term="a"/>',
      '<id/>',
      '<updated/>',
      '<published>2026-11-23T09:00:00Z</published><published>bad</published>',
      '<content type="xhtml"/>',
      '<content src="https://x/y"/>',
      '<description><![CDATA[]]></description>',
    ),
    { maxLength: 3 },
  )
  .map((parts) => parts.join(''));
const rssItem = fc
  .tuple(
    element('title', encoded(htmlText)),
    element('link', encoded(fc.oneof(fc.constant('https://forum.example/t/1'), hostileString))),
    element('guid', encoded(guid)),
    element('pubDate', encoded(feedDate)),
    element('dc:date', encoded(feedDate)),
    element('description', encoded(htmlText)),
    element('content:encoded', encoded(htmlText)),
    element('author', encoded(fc.oneof(fc.constant('jeanne@example.com (Jeanne)'), hostileString))),
    element('dc:creator', encoded(hostileString)),
    oddElements,
  )
  .map((parts) => `<item>${parts.join('')}</item>`);
const rss = fc
  .tuple(element('language', encoded(hostileString)), fc.array(rssItem, { maxLength: 5 }))
  .map(
    ([language, items]) =>
      `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Forum</title><link>https://forum.example/</link>${language}${items.join('')}</channel></rss>`,
  );

const atomContent = fc
  .tuple(fc.constantFrom('content', 'summary'), fc.constantFrom('html', 'xhtml', 'text', ''), htmlText)
  .map(([tag, type, text]) =>
    type === 'xhtml'
      ? `<${tag} type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">${text}</div></${tag}>`
      : `<${tag}${type ? ` type="${type}"` : ''}>${xmlEscape(text)}</${tag}>`,
  );
const atomEntry = fc
  .tuple(
    element('id', encoded(guid)),
    element('title', encoded(htmlText)),
    element('updated', encoded(feedDate)),
    element('published', encoded(feedDate)),
    fc.option(atomContent, { nil: '' }),
    element('author', element('name', encoded(hostileString))),
    fc.option(fc.constant('<link href="https://forum.example/t/2"/>'), { nil: '' }),
    oddElements,
  )
  .map((parts) => `<entry>${parts.join('')}</entry>`);
const atom = fc
  .array(atomEntry, { maxLength: 5 })
  .map(
    (entries) =>
      `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr"><title>Forum</title><id>urn:f</id>${entries.join('')}</feed>`,
  );

const billionLaughs =
  '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">' +
  '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">' +
  '<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">]>' +
  '<rss version="2.0"><channel><title>&f;</title><item><title>&f;</title><guid>&f;</guid>' +
  '<pubDate>Mon, 23 Nov 2026 09:00:00 GMT</pubDate><description>&f;&unknown;&#0;&#xD800;</description></item></channel></rss>';

/** Over MAX_ANSWER_BYTES (10 MB): built once, refused by size whatever its content. */
const OVERSIZE = Buffer.alloc(10 * 1024 * 1024 + 1, 'a');

const feedBody: fc.Arbitrary<string | Buffer> = fc.oneof(
  { weight: 6, arbitrary: rss },
  { weight: 5, arbitrary: atom },
  // Truncated XML: a feed cut off mid-element.
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.oneof(rss, atom), fc.double({ min: 0, max: 1, noNaN: true }))
      .map(([xml, at]) => xml.slice(0, Math.floor(xml.length * at))),
  },
  { weight: 1, arbitrary: fc.constant(billionLaughs) },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 50, max: 5_000 })
      .map(
        (depth) =>
          `<rss version="2.0"><channel>${'<x>'.repeat(depth)}${'</x>'.repeat(depth)}</channel></rss>`,
      ),
  },
  // Not XML at all: JSON, HTML, binary, hostile text.
  { weight: 2, arbitrary: hostileString },
  { weight: 1, arbitrary: hostileValue.map((v) => JSON.stringify(v) ?? '') },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)) },
  { weight: 1, arbitrary: fc.constant('<!doctype html><html><body><h1>Maintenance</h1></body></html>') },
  { weight: 1, arbitrary: fc.constant(OVERSIZE) },
);

const contentType = fc.constantFrom(
  'application/rss+xml; charset=utf-8',
  'application/atom+xml',
  'text/xml; charset=iso-8859-1',
  'application/xml; charset=x-unknown',
  'application/xml; charset=utf-16',
  'text/html',
  'application/json',
  'application/octet-stream',
  null,
);
const status = fc.oneof(
  { weight: 20, arbitrary: fc.constant(200) },
  { weight: 1, arbitrary: fc.constantFrom(304, 401, 404, 410, 429, 500, 503) },
);
const feedAnswer: fc.Arbitrary<Answer> = fc.record({ status, contentType, body: feedBody });
const feedCursor = fc.oneof(
  fc.constant(null),
  fc.record({
    seen: fc.oneof(fc.array(fc.stringMatching(/^[0-9a-f]{16}$/), { maxLength: 3 }), hostileValue),
  }),
  hostileValue.map((v) => (v && typeof v === 'object' ? (v as Record<string, unknown>) : null)),
);

// ---- Discourse -----------------------------------------------------------------------------------

/** Mostly a plausible value, one case in `1 + weight` something hostile: most posts must get through. */
const mostly = <T>(valid: fc.Arbitrary<T>, weight = 12): fc.Arbitrary<unknown> =>
  fc.oneof({ weight, arbitrary: valid }, { weight: 1, arbitrary: hostileValue });
const postId = fc.oneof(
  { weight: 150, arbitrary: fc.integer({ min: 1, max: 600 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom<unknown>(
      '12',
      -1,
      1.5,
      2 ** 53,
      Number.MAX_SAFE_INTEGER,
      0,
      null,
      '__proto__',
    ),
  },
  { weight: 1, arbitrary: hostileValue },
);
const post = fc.record(
  {
    id: postId,
    username: mostly(fc.constantFrom('jeanne', 'marc.d', 'Ωmega_😀', 'jeanne', 'brand_team', ' ')),
    created_at: mostly(feedDate),
    raw: fc.oneof(
      hostileString,
      fc.constant('[quote="a, post:1"]cité[quote]deux[/quote][/quote]merci'),
      fc.constant(''),
      hostileValue,
    ),
    cooked: mostly(htmlText),
    post_number: mostly(fc.nat(50)),
    post_type: mostly(fc.constant(1)),
    topic_id: mostly(fc.nat(1_000)),
    topic_title: mostly(hostileString),
    topic_slug: mostly(fc.oneof(fc.constantFrom('paiement', '../../admin', '%00'), hostileString)),
    category_id: mostly(fc.constantFrom(1, 2, 3)),
    staff: mostly(fc.constant(false), 8),
    hidden: mostly(fc.constant(false), 8),
    deleted_at: mostly(fc.constant(null), 8),
  },
  // Optional fields go missing on their own; the fields every post has mostly come.
  { requiredKeys: ['id', 'username', 'created_at', 'cooked', 'post_type', 'topic_id', 'post_number'] },
);
/** JSON text, once in a while with a `__proto__` own key (JSON.stringify would drop it). */
const jsonWithProto = (value: Record<string, unknown>) =>
  fc.boolean().map((proto) => {
    const text = JSON.stringify(value);
    return proto && text.startsWith('{') && text !== '{}'
      ? `{"__proto__":{"polluted":true},${text.slice(1)}`
      : text;
  });
const postsBody: fc.Arbitrary<string | Buffer> = fc.oneof(
  {
    weight: 30,
    arbitrary: fc
      .array(fc.oneof({ weight: 150, arbitrary: post }, { weight: 1, arbitrary: hostileValue }), {
        maxLength: 8,
      })
      .chain((posts) => jsonWithProto({ latest_posts: posts })),
  },
  {
    weight: 1,
    arbitrary: fc
      .array(post, { maxLength: 4 })
      .map((posts) => JSON.stringify({ latest_posts: posts }))
      .chain((text) => fc.nat(text.length).map((at) => text.slice(0, at))),
  },
  { weight: 1, arbitrary: deepJson((nested) => `{"latest_posts":[${nested}]}`) },
  { weight: 1, arbitrary: hostileValue.map((v) => JSON.stringify(v) ?? '') },
  { weight: 1, arbitrary: hostileString },
  { weight: 1, arbitrary: fc.constant('<!doctype html><title>Discourse</title>') },
  { weight: 1, arbitrary: fc.constant(OVERSIZE) },
);
const siteBody = fc.oneof(
  {
    weight: 15,
    arbitrary: fc
      .array(
        fc.record({
          id: fc.oneof(fc.constantFrom(1, 2, 3), hostileValue),
          slug: fc.oneof(fc.constantFrom('support', 'Support', 'bugs'), hostileValue),
          parent_category_id: fc.oneof(fc.constantFrom(1, 2, 3), hostileValue),
        }),
        { maxLength: 4 },
      )
      // The followed categories exist (else the whole pull stops, which the settings cases cover).
      .map((categories) => [
        { id: 1, slug: 'support' },
        { id: 2, slug: 'bugs', parent_category_id: 1 },
        ...categories,
      ])
      .chain((categories) => jsonWithProto({ categories })),
  },
  { weight: 1, arbitrary: fc.constant('{"categories":') },
);
const discourseAnswer: fc.Arbitrary<Answer> = fc.record({
  status,
  contentType: fc.constantFrom('application/json; charset=utf-8', 'text/html', null),
  body: postsBody,
  site: siteBody,
});
const discourseSettings = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.record(
      {
        categories: fc.constantFrom(['support'], ['Support', 'bugs'], [], null),
        ownUsernames: fc.constant(['Brand_Team']),
        fromPostId: fc.oneof(fc.constant(1), fc.nat(700)),
      },
      { requiredKeys: [] },
    ),
  },
  {
    weight: 1,
    arbitrary: fc.record(
      { categories: hostileValue, ownUsernames: hostileValue, fromPostId: hostileValue },
      { requiredKeys: [] },
    ),
  },
);
const discourseCursor = fc.oneof(
  // A new source most often: a pull starts from the latest page (or settings.fromPostId).
  { weight: 4, arbitrary: fc.constant(null) },
  { weight: 2, arbitrary: fc.record({ lastPostId: fc.nat(700), newestPostId: fc.nat(1_200) }) },
  { weight: 1, arbitrary: fc.record({ lastPostId: hostileValue, newestPostId: hostileValue }) },
);

// ---- the property ----------------------------------------------------------------------------------

/** A pull answers a page or a ConnectorError with a reason; any other outcome fails the case. */
function checkPage(page: PullPage): void {
  for (const item of page.items) {
    const check = checkVerbatim(JSON.parse(JSON.stringify(item)) as unknown);
    expect(check.ok ? null : check.reason).toBeNull();
    // HTML fields are read as text: script bodies, attributes and link targets never reach the
    // verbatim (literal `<` typed by a customer, in Discourse's markdown or entity-escaped in a
    // feed, is text and stays: the UI renders it as text).
    expect(item.text).not.toContain(SCRIPT_MARKER);
    expect(item.text).not.toMatch(/onerror|javascript:/);
  }
  for (const { reason } of [...(page.refused ?? []), ...(page.skipped ?? [])])
    expect(reason.length).toBeGreaterThan(0);
  expect(typeof page.cursor).toBe('object');
}

/** Longest a case may take: the pull has its own abort signal, this catches a parser that spins. */
const CASE_TIMEOUT_MS = 20_000;

async function pullCleanly(
  pull: (signal: AbortSignal) => Promise<PullPage>,
): Promise<'verbatims' | 'reasons only' | 'ConnectorError'> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<'hang'>((resolve) => (timer = setTimeout(() => resolve('hang'), CASE_TIMEOUT_MS)));
  let outcome: PullPage | 'hang';
  try {
    outcome = await Promise.race([pull(AbortSignal.timeout(CASE_TIMEOUT_MS / 2)), hang]);
  } catch (error) {
    // The one documented failure: the poll fails (and backs off or stops), with a reason.
    expect(error).toBeInstanceOf(ConnectorError);
    expect((error as Error).message.length).toBeGreaterThan(0);
    return 'ConnectorError';
  } finally {
    clearTimeout(timer);
  }
  if (outcome === 'hang') throw new Error(`the pull neither resolved nor rejected in ${CASE_TIMEOUT_MS} ms`);
  checkPage(outcome);
  return outcome.items.length > 0 ? 'verbatims' : 'reasons only';
}

/**
 * The forum connector's readers (RSS 2.0 / Atom feeds, Discourse's JSON API) against a local HTTP
 * server answering generated hostile bodies: every pull resolves to verbatims and reasons, or
 * rejects with a ConnectorError, and never hangs.
 */
describe('properties: forum connector (RSS/Atom, Discourse)', () => {
  const rejections = watchUnhandledRejections();
  const ran: Record<string, number> = {};
  const count = (name: string) => (ran[name] = (ran[name] ?? 0) + 1);
  const answers = new Map<string, Answer>();
  let server: Server;
  let origin: string;
  let nextCase = 0;

  beforeAll(async () => {
    // One server for every case: the path's first segment says which case's answer to send.
    server = createServer((req, res) => {
      res.on('error', () => undefined);
      const url = new URL(req.url ?? '/', 'http://x');
      const [, id, ...rest] = url.pathname.split('/');
      const answer = answers.get(id ?? '');
      if (!answer) {
        res.writeHead(404).end();
        return;
      }
      const body = rest.join('/') === 'site.json' ? (answer.site ?? '') : answer.body;
      const headers: Record<string, string> = { etag: `"${id}"` };
      if (answer.contentType) headers['content-type'] = answer.contentType;
      res.writeHead(answer.status, headers);
      res.end(answer.status === 304 ? undefined : body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    recordRuns('forums', ran);
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const sourceOf = (
    settings: Record<string, unknown>,
    cursor: Record<string, unknown> | null,
  ): SourceContext => ({
    id: 'prop-forum',
    name: 'prop-forum',
    kind: SourceKind.Forum,
    settings,
    secrets: {},
    cursor,
    now: new Date('2026-11-23T09:00:00Z'),
  });
  /** Serves `answer` under a fresh path for the length of one pull. */
  async function serving(answer: Answer, pull: (base: string) => Promise<string>): Promise<string> {
    const id = String(++nextCase);
    answers.set(id, answer);
    try {
      return await pull(`${origin}/${id}`);
    } finally {
      answers.delete(id);
    }
  }

  it('pullFeed reads every RSS/Atom answer as verbatims and refusals, or a ConnectorError', async () => {
    await fc.assert(
      fc.asyncProperty(feedAnswer, feedCursor, async (answer, cursor) => {
        count('pullFeed (RSS/Atom)');
        // How the cases ended, printed with the counts: a property that only ever saw errors proves little.
        const ended = await serving(answer, (base) =>
          pullCleanly((signal) =>
            pullFeed(sourceOf({ type: 'rss', feedUrl: `${base}/feed.xml` }, cursor), signal),
          ),
        );
        count(`  pullFeed → ${ended}`);
      }),
      params(),
    );
  });

  it('DiscourseForum.pull reads every Discourse answer as verbatims, skips and refusals, or a ConnectorError', async () => {
    await fc.assert(
      fc.asyncProperty(
        discourseAnswer,
        discourseSettings,
        discourseCursor,
        async (answer, settings, cursor) => {
          count('DiscourseForum.pull');
          // A fresh reader per case: the category cache is per forum URL, and every case is its own forum.
          const forum = new DiscourseForum();
          const ended = await serving(answer, (base) =>
            pullCleanly((signal) =>
              forum.pull(sourceOf({ type: 'discourse', baseUrl: base, ...settings }, cursor), signal),
            ),
          );
          count(`  DiscourseForum.pull → ${ended}`);
        },
      ),
      params({
        // Regression (seed 851100147): a topic_slug with a lone surrogate made encodeURIComponent
        // throw a URIError out of the pull (the poll failed for one post, with no reason given).
        examples: [
          [
            {
              status: 200,
              contentType: 'application/json; charset=utf-8',
              body: JSON.stringify({
                latest_posts: [
                  {
                    id: 1,
                    username: 'jeanne',
                    created_at: 'Sat, 01 Jan 2000 00:00:00 GMT',
                    cooked: 'Le paiement échoue',
                    post_number: 0,
                    post_type: 1,
                    topic_id: 0,
                    topic_slug: '\ud800',
                  },
                ],
              }),
              site: '{"categories":[]}',
            },
            {},
            null,
          ],
        ],
      }),
    );
  });

  afterAll(() => rejections.check());
});
