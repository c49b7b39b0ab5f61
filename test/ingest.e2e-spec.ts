import { Role } from '@app/database';
import { useApi } from './support/app';
import { query, waitForLastStage } from './support/database';
import { http } from './support/http';
import { verbatim } from './support/builders';

/** Ingestion through the public API, on a real PostgreSQL with the real migrations. */
describe('POST/GET /api/v1/verbatims', () => {
  const { api, db } = useApi();
  let triager: string;
  let viewer: string;

  beforeAll(async () => {
    triager = await api.key(Role.Triager);
    viewer = await api.key(Role.Viewer);
  });

  const count = async () =>
    Number((await query<{ n: string }>(db.url, 'SELECT count(*) AS n FROM verbatim'))[0].n);
  const waitIngested = (ids: string[]) => waitForLastStage(db.url, ids);

  it('stores a batch posted three times once, and answers the same ids each time', async () => {
    const batch = Array.from({ length: 25 }, (_, i) => verbatim({ source: 'replay', externalId: `r-${i}` }));
    const before = await count();
    const first = await http(api.url, 'POST', '/api/v1/verbatims', { key: triager, body: batch });
    const second = await http(api.url, 'POST', '/api/v1/verbatims', { key: triager, body: batch });
    const third = await http(api.url, 'POST', '/api/v1/verbatims', { key: triager, body: batch });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ created: 25, duplicates: 0 });
    for (const replay of [second, third]) {
      expect(replay.status).toBe(200);
      expect(replay.body).toMatchObject({ created: 0, duplicates: 25 });
      expect(replay.body.items.map((item: { id: string }) => item.id)).toEqual(
        first.body.items.map((item: { id: string }) => item.id),
      );
    }
    expect(await count()).toBe(before + 25);
  });

  it('counts a second copy inside one batch as a duplicate', async () => {
    const one = verbatim({ source: 'same-batch', externalId: 'twice' });
    const response = await http(api.url, 'POST', '/api/v1/verbatims', { key: triager, body: [one, one] });
    expect(response.status).toBe(201);
    expect(response.body.items.map((item: { status: string }) => item.status)).toEqual([
      'created',
      'duplicate',
    ]);
    expect(response.body.items[0].id).toBe(response.body.items[1].id);
  });

  it('accepts a single object as well as an array', async () => {
    const response = await http(api.url, 'POST', '/api/v1/verbatims', {
      key: triager,
      body: verbatim({ source: 'single' }),
    });
    expect(response.status).toBe(201);
    expect(response.body.items).toHaveLength(1);
  });

  it('hands every stored verbatim through ingest (redaction) and analysis', async () => {
    const response = await http(api.url, 'POST', '/api/v1/verbatims', {
      key: triager,
      body: verbatim({
        source: 'pii',
        text: 'Écrivez-moi à jeanne.dupont@example.com ou au 06 12 34 56 78, merci',
      }),
    });
    const id = response.body.items[0].id as string;
    await waitIngested([id]);
    const asViewer = await http(api.url, 'GET', `/api/v1/verbatims/${id}`, { key: viewer });
    expect(asViewer.status).toBe(200);
    expect(asViewer.body).toMatchObject({ stage: 'clustered', lang: 'fr', intent: expect.any(String) });
    expect(typeof asViewer.body.category).toBe('string');
    expect(asViewer.body.modelVersion).toMatch(/^online-travel-seller-[0-9a-f]{12}$/);
    expect(asViewer.body.text).not.toContain('jeanne.dupont@example.com');
    expect(asViewer.body.text).not.toContain('06 12 34 56 78');
    expect(asViewer.body.rawText).toBeUndefined();
    const asTriager = await http(api.url, 'GET', `/api/v1/verbatims/${id}`, { key: triager });
    expect(asTriager.body.rawText).toContain('jeanne.dupont@example.com');
  });

  it('classifies, reads sentiment, intent and terminal, and filters on them', async () => {
    const posted = await http(api.url, 'POST', '/api/v1/verbatims', {
      key: triager,
      body: [
        verbatim({
          source: 'analysis',
          externalId: 'a-1',
          text: 'Paiement refusé à l’étape 3-D Secure sur mon iPhone, inadmissible !',
          lang: undefined,
        }),
        verbatim({
          source: 'analysis',
          externalId: 'a-2',
          text: 'I never received my e-ticket, it does not show in the app',
          lang: undefined,
        }),
        verbatim({
          source: 'analysis',
          externalId: 'a-3',
          text: 'Super appli, merci beaucoup 👍',
          lang: undefined,
        }),
      ],
    });
    await waitIngested(posted.body.items.map((item: { id: string }) => item.id));
    const page = await http(api.url, 'GET', '/api/v1/verbatims?source=analysis', { key: triager });
    const byId = Object.fromEntries(page.body.items.map((v: { externalId: string }) => [v.externalId, v]));
    expect(byId['a-1']).toMatchObject({
      lang: 'fr',
      category: 'payment',
      sentimentLabel: 'negative',
      terminal: 'mobile_web',
    });
    expect(byId['a-2']).toMatchObject({ lang: 'en', category: 'eticket_delivery' });
    expect(byId['a-3']).toMatchObject({ category: 'praise', sentimentLabel: 'positive', intent: 'praise' });
    const payments = await http(api.url, 'GET', '/api/v1/verbatims?source=analysis&category=payment', {
      key: triager,
    });
    expect(payments.body.items.map((v: { externalId: string }) => v.externalId)).toEqual(['a-1']);
    const bad = await http(api.url, 'GET', '/api/v1/verbatims?needsTriage=maybe', { key: viewer });
    expect(bad.status).toBe(400);
  });

  describe('refuses bad input with a reason and stores nothing', () => {
    it.each([
      ['malformed JSON', '{"source": "x", ', 400, /malformed JSON/],
      ['a missing field', JSON.stringify(verbatim({ externalId: undefined })), 400, /externalId/],
      ['an unknown channel', JSON.stringify(verbatim({ channel: 'pigeon' })), 400, /channel must be one of/],
      [
        'a date without a time zone',
        JSON.stringify(verbatim({ receivedAt: '2026-11-20T10:00:00' })),
        400,
        /time zone/,
      ],
      [
        'a date far in the future',
        JSON.stringify(verbatim({ receivedAt: '2099-01-01T00:00:00Z' })),
        400,
        /receivedAt/,
      ],
      ['an unknown field', JSON.stringify({ ...verbatim(), admin: true }), 400, /admin should not exist/],
      ['a NUL character', JSON.stringify(verbatim({ text: 'a\u0000b' })), 400, /NUL/],
      ['a number instead of an object', '42', 400, /JSON object/],
      ['an empty batch', '[]', 400, /empty/],
      ['a text of 20,001 characters', JSON.stringify(verbatim({ text: 'a'.repeat(20_001) })), 413, /20000/],
      [
        'a batch of 1,001',
        JSON.stringify(Array.from({ length: 1_001 }, (_, i) => verbatim({ externalId: `b-${i}` }))),
        413,
        /1000/,
      ],
    ])('%s', async (_name, raw, status, reason) => {
      const before = await count();
      const response = await http(api.url, 'POST', '/api/v1/verbatims', { key: triager, raw });
      expect(response.status).toBe(status);
      expect(response.body.message).toMatch(reason);
      expect(await count()).toBe(before);
    });

    it('refuses the whole batch when one item is bad, naming its index', async () => {
      const before = await count();
      const batch = [
        verbatim({ externalId: 'ok-1' }),
        verbatim({ externalId: 'bad', author: '' }),
        verbatim({ externalId: 'ok-2' }),
      ];
      const response = await http(api.url, 'POST', '/api/v1/verbatims', { key: triager, body: batch });
      expect(response.status).toBe(400);
      expect(response.body.details).toEqual([{ index: 1, reason: expect.stringMatching(/author/) }]);
      expect(await count()).toBe(before);
    });
  });

  describe('listing', () => {
    beforeAll(async () => {
      const texts = [
        ['fr', 'chat', '2026-11-02T10:00:00Z', 'Je n’ai jamais été remboursée de mon billet annulé'],
        ['en', 'email', '2026-11-03T10:00:00Z', 'I was never refunded for my cancelled ticket'],
        ['fr', 'twitter', '2026-11-04T10:00:00Z', 'Paiement refusé sur mobile, encore !'],
        ['en', 'forum', '2026-11-05T10:00:00Z', 'The app crashes when I choose a seat'],
        ['fr', 'email', '2026-11-06T10:00:00Z', 'Les remboursements prennent des semaines'],
      ] as const;
      const response = await http(api.url, 'POST', '/api/v1/verbatims', {
        key: triager,
        body: texts.map(([lang, channel, receivedAt, text], i) =>
          verbatim({ source: 'listing', externalId: `l-${i}`, lang, channel, receivedAt, text }),
        ),
      });
      await waitIngested(response.body.items.map((item: { id: string }) => item.id));
    });

    // As a triager: viewers are not shown the sources' ids (issue 19).
    const list = (qs: string) =>
      http(api.url, 'GET', `/api/v1/verbatims?source=listing&${qs}`, { key: triager });

    it('searches French and English with stemming', async () => {
      const french = await list(`q=${encodeURIComponent('remboursement')}`);
      expect(french.body.items.map((v: { externalId: string }) => v.externalId).sort()).toEqual([
        'l-0',
        'l-4',
      ]);
      const english = await list('q=refund');
      expect(english.body.items.map((v: { externalId: string }) => v.externalId)).toEqual(['l-1']);
    });

    it('filters by channel and date range', async () => {
      const email = await list('channel=email');
      expect(email.body.items.map((v: { externalId: string }) => v.externalId)).toEqual(['l-4', 'l-1']);
      const range = await list('from=2026-11-03T00:00:00Z&to=2026-11-05T00:00:00Z');
      expect(range.body.items.map((v: { externalId: string }) => v.externalId)).toEqual(['l-2', 'l-1']);
    });

    it('pages with a cursor, newest first, without gaps or repeats', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: { items: { externalId: string }[]; nextCursor: string | null } } = await list(
          `limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        );
        seen.push(...page.body.items.map((v) => v.externalId));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(seen).toEqual(['l-4', 'l-3', 'l-2', 'l-1', 'l-0']);
    });

    it.each([
      ['limit=0', /limit/],
      ['limit=abc', /limit/],
      ['channel=fax', /channel/],
      ['from=yesterday', /from/],
      ['cursor=not-a-cursor', /cursor/],
      ['source=' + encodeURIComponent("x' OR 1=1 --"), /source/],
      ['sort=desc', /sort should not exist/],
    ])('refuses %s with a reason', async (qs, reason) => {
      const response = await http(api.url, 'GET', `/api/v1/verbatims?${qs}`, { key: viewer });
      expect(response.status).toBe(400);
      expect(response.body.message).toMatch(reason);
    });

    it('treats a hostile search string as text', async () => {
      const response = await list(`q=${encodeURIComponent("'); DROP TABLE verbatim; --")}`);
      expect(response.status).toBe(200);
      expect(await count()).toBeGreaterThan(0);
    });
  });

  describe('access', () => {
    it('refuses a route without a key (401) and with a too-low role (403)', async () => {
      expect((await http(api.url, 'GET', '/api/v1/verbatims')).status).toBe(401);
      expect((await http(api.url, 'POST', '/api/v1/verbatims', { body: verbatim() })).status).toBe(401);
      const forbidden = await http(api.url, 'POST', '/api/v1/verbatims', { key: viewer, body: verbatim() });
      expect(forbidden.status).toBe(403);
      expect(forbidden.body.message).toMatch(/viewer/);
      expect((await http(api.url, 'GET', '/api/v1/dead-letters', { key: triager })).status).toBe(403);
    });

    it('refuses unknown keys and keys in the URL', async () => {
      expect(
        (await http(api.url, 'GET', '/api/v1/verbatims', { key: 'lb_aaaaaaaaaaaa_' + 'b'.repeat(43) }))
          .status,
      ).toBe(401);
      expect((await http(api.url, 'GET', `/api/v1/verbatims?apiKey=${viewer}`)).status).toBe(401);
    });

    it('answers /health without a key', async () => {
      const response = await http(api.url, 'GET', '/health');
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        status: 'ok',
        database: { status: 'up' },
        redis: 'not configured',
      });
    });

    it('protects the API docs but serves them with a key', async () => {
      const anonymous = await http(api.url, 'GET', '/api/docs/openapi.json');
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('www-authenticate')).toMatch(/Basic/);
      const withKey = await http(api.url, 'GET', '/api/docs/openapi.json', { key: viewer });
      expect(withKey.status).toBe(200);
      expect(Object.keys(withKey.body.paths)).toContain('/api/v1/verbatims');
    });
  });
});
