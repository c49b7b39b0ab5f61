import { readFileSync, readdirSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { SourceKind } from '@app/database';
import type { PullPage, SourceContext } from '../connector';
import { pullFeed } from './rss-feed';

const ROOT = join(__dirname, '../../../..');
const CORPUS = join(ROOT, '..', 'shared', 'corpora', 'feeds-rss-parser', 'input');
const EXPECTED = JSON.parse(
  readFileSync(join(ROOT, 'test', 'fixtures', 'corpora', 'feeds-rss-parser.json'), 'utf8'),
) as Record<
  string,
  { items?: number; refused?: number; undated?: number; contains?: string[]; error?: string }
>;
const FIRST_SEEN = new Date('2026-11-23T09:00:00.000Z');
const TAGS_OR_ENTITIES = /<\/?[a-z][a-z0-9]*[\s>/]|&(?:lt|gt|amp|quot|#\d+);/i;

/**
 * The 31 feeds of ../shared/corpora/feeds-rss-parser, served as publishers serve them (the file's
 * bytes, `application/xml` without a charset): every item stored once with its text, as written
 * for each file after reading it.
 */
describe('pullFeed on the public feed corpus (../shared/corpora/feeds-rss-parser)', () => {
  let server: Server;
  let base: string;

  beforeAll(async () => {
    server = createServer((request, response) => {
      const file = decodeURIComponent((request.url ?? '/').slice(1));
      response.writeHead(200, { 'content-type': 'application/xml' });
      response.end(readFileSync(join(CORPUS, file)));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  /** Every page of one poll, the cursor carried from page to page as the poller does. */
  async function poll(file: string, cursor: Record<string, unknown> | null, now = FIRST_SEEN) {
    const source: SourceContext = {
      id: 'corpus',
      name: 'corpus-feed',
      kind: SourceKind.Forum,
      settings: { type: 'rss', feedUrl: `${base}/${encodeURIComponent(file)}` },
      secrets: {},
      cursor,
      now,
    };
    const pages: PullPage[] = [];
    for (let page = 0; page < 20; page++) {
      const pulled = await pullFeed(source, AbortSignal.timeout(60_000));
      pages.push(pulled);
      source.cursor = pulled.cursor;
      if (!pulled.more) break;
    }
    return { pages, cursor: source.cursor };
  }

  it('has an expectation for every file (31)', () => {
    const files = readdirSync(CORPUS).sort();
    expect(files).toHaveLength(31);
    expect(files.filter((file) => !EXPECTED[file])).toEqual([]);
  });

  it.each(readdirSync(CORPUS).sort())('%s', async (file) => {
    const want = EXPECTED[file];
    if (want.error) {
      await expect(poll(file, null)).rejects.toThrow(want.error);
      return;
    }
    const { pages, cursor } = await poll(file, null);
    const items = pages.flatMap((page) => page.items);
    const refused = pages.flatMap((page) => page.refused ?? []);
    expect([items.length, refused.length]).toEqual([want.items, want.refused]);
    expect(new Set(items.map((item) => item.externalId)).size).toBe(items.length);
    for (const item of items) {
      expect(item.text.trim()).not.toBe('');
      expect(item.text).not.toMatch(TAGS_OR_ENTITIES);
      expect(item.text).not.toContain('\ufffd');
    }
    for (const words of want.contains ?? [])
      expect(items.some((item) => item.text.includes(words))).toBe(true);
    const undated = items.filter((item) => item.metadata?.dated === 'when first seen');
    expect(undated).toHaveLength(want.undated ?? 0);
    for (const item of undated) expect(item.receivedAt).toBe(FIRST_SEEN.toISOString());
    // A poll a day later hands nothing over again: undated items keep the date they were first seen at.
    const again = await poll(file, cursor, new Date(FIRST_SEEN.getTime() + 86_400_000));
    expect(again.pages.flatMap((page) => [...page.items, ...(page.refused ?? [])])).toEqual([]);
  });
});
