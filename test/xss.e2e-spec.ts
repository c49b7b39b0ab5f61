import { Role } from '@app/database';
import { DigestData, renderHtml } from '@app/digest';
import { isoWeekOf, reason } from '@app/scoring';
import { useApi } from './support/app';
import { verbatim } from './support/builders';
import { waitForLastStage } from './support/database';
import { http } from './support/http';
import { XSS_CORPUS } from './support/xss-corpus';

/** The tags our own mail template writes: anything else in a digest came from a customer. */
const TEMPLATE_TAGS = new Set([
  'html',
  'head',
  'meta',
  'title',
  'body',
  'table',
  'tr',
  'td',
  'h1',
  'h2',
  'p',
  'ul',
  'li',
  'span',
  'strong',
  'a',
]);

function assertInert(html: string): void {
  const tags = [...html.matchAll(/<\/?\s*([a-zA-Z][a-zA-Z0-9-]*)/g)].map((match) => match[1].toLowerCase());
  expect([...new Set(tags)].filter((tag) => !TEMPLATE_TAGS.has(tag))).toEqual([]);
  // No handler attribute and no script URL inside any tag (one expectation for the page: tens of
  // thousands of tags, one `expect` each was most of this suite's time).
  expect(
    (html.match(/<[^>]*>/g) ?? []).filter((tag) => /\son\w+\s*=/i.test(tag) || /javascript:/i.test(tag)),
  ).toEqual([]);
}

/** An XSS corpus of 1,000 payloads posted as verbatims stays data: in the API's JSON and the digest. */
describe('XSS corpus', () => {
  const { api, db } = useApi();
  let triager: string;
  const week = isoWeekOf(new Date(), 'Europe/Paris');

  beforeAll(async () => {
    triager = await api.key(Role.Triager);
  });

  it('has at least 1,000 payloads', () => {
    expect(XSS_CORPUS.length).toBeGreaterThanOrEqual(1_000);
  });

  it('stores every payload as data and answers it as JSON, never as markup', async () => {
    const posted = await http(api.url, 'POST', '/api/v1/verbatims', {
      key: triager,
      body: XSS_CORPUS.map((text, i) =>
        verbatim({ source: 'xss', externalId: `x-${i}`, text, receivedAt: new Date().toISOString() }),
      ),
    });
    expect(posted.status).toBe(201);
    const ids: string[] = posted.body.items.map((item: { id: string }) => item.id);
    await waitForLastStage(db.url, ids);
    const seen = new Set<string>();
    let cursor: string | null = null;
    do {
      const response = await fetch(
        `${api.url}/api/v1/verbatims?source=xss&limit=200${cursor ? `&cursor=${cursor}` : ''}`,
        { headers: { authorization: `Bearer ${triager}` } },
      );
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      const page = (await response.json()) as { items: { text: string }[]; nextCursor: string | null };
      for (const item of page.items) seen.add(item.text);
      cursor = page.nextCursor;
    } while (cursor);
    // Every payload came back as the very string posted (redaction leaves them as they are).
    expect(XSS_CORPUS.filter((payload) => !seen.has(payload))).toEqual([]);

    for (const path of [`/api/v1/boards/${week}?limit=100`, '/api/v1/irritants?limit=100']) {
      const response = await fetch(`${api.url}${path}`, { headers: { authorization: `Bearer ${triager}` } });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    }
  });

  it('renders the digest of a week full of payloads with no markup of theirs', async () => {
    const response = await fetch(`${api.url}/api/v1/digests/${week}`, {
      headers: { authorization: `Bearer ${triager}` },
    });
    expect(response.status).toBe(200);
    assertInert(await response.text());
  });

  it('escapes every payload wherever the digest can put customer or team words', () => {
    for (let start = 0; start < XSS_CORPUS.length; start += 100) {
      const payloads = XSS_CORPUS.slice(start, start + 100);
      const decision = (payload: string, carried: boolean) => ({
        kind: payload,
        owner: payload,
        department: payload,
        targetRelease: payload,
        decidedWeek: payload,
        carried,
        ticket: { status: payload, release: payload },
        ageDays: 30,
        targetDays: 21,
        overdue: true,
        answer: payload,
      });
      const data: DigestData = {
        isoWeek: week,
        frozen: true,
        timeZone: 'Europe/Paris',
        boardUrl: 'https://loveboard.example.com/boards/x"><script>alert(1)</script>',
        items: payloads.map((payload, i) => ({
          rank: i + 1,
          label: payload,
          category: payload,
          total: 50,
          axes: { client: 10, business: 20, legal: 30, technical: 40 },
          movement: 'up',
          rankChange: 1,
          customers: 3,
          verbatims: 4,
          quote: { text: payload, channel: payload, pinned: i % 2 === 0 },
          decision: decision(payload, i % 2 === 0),
          reasons: [
            reason('text', { text: payload }),
            reason('business.failing_journey', { monitor: payload }),
          ],
        })),
        awaiting: payloads.map((payload, i) => ({ rank: i, label: payload })),
        decisions: payloads.map((payload) => ({ label: payload, ...decision(payload, false) })),
        ongoing: payloads.map((payload) => ({ label: payload, ...decision(payload, true) })),
        unanswered: payloads.map((payload) => ({
          label: payload,
          department: payload,
          days: 9,
          targetDays: 7,
          overdue: true,
        })),
        overdue: payloads.map((payload) => ({
          label: payload,
          status: payload,
          team: payload,
          ageDays: 30,
          targetDays: 21,
        })),
        timeToFix: { medianDays: 12, targetDays: 21, deployed: 2 },
        monitors: payloads.map((payload, i) => ({
          name: payload,
          state: i % 2 === 0 ? ('failing' as const) : ('recovered' as const),
          failed: 1,
          runs: 2,
          from: '2026-10-01T10:00:00Z',
          to: i % 2 === 0 ? null : '2026-10-01T12:00:00Z',
          steps: [payload],
        })),
        kpis: payloads.map((payload) => ({
          key: payload,
          name: payload,
          unit: payload,
          value: 1,
          previous: 2,
          target: 3,
          onTarget: false,
          n: 10,
          ci95: 1,
        })),
      };
      for (const lang of ['fr', 'en'] as const) assertInert(renderHtml(data, lang).html);
    }
  });
});
