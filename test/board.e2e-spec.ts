import { BoardService } from '@app/board';
import { Role } from '@app/database';
import { JobName, JobQueue } from '@app/jobs';
import { freezeTime, isoWeekOf, previousWeek, weekBounds } from '@app/scoring';
import { useApi } from './support/app';
import { verbatim } from './support/builders';
import { query, waitForLastStage } from './support/database';
import { http } from './support/http';

const ZONE = 'Europe/Paris';

/**
 * The weekly board: irritants scored on four axes with reasons, ranked, overridden by people,
 * and frozen once on the Monday after their week even when several processes try at once.
 */
describe('weekly board', () => {
  const { api, db, peer: second } = useApi({ peer: true });
  let triager: string;
  let viewer: string;
  let developer: string;
  let admin: string;
  // A past week of our own, so that the real clock never decides for the test.
  const week = '2026-W40';
  const before = previousWeek(week, ZONE);
  const at = (w: string, day: number, hour = 10) =>
    new Date(weekBounds(w, ZONE).start.getTime() + (day * 24 + hour) * 3_600_000).toISOString();

  beforeAll(async () => {
    triager = await api.key(Role.Triager);
    viewer = await api.key(Role.Viewer);
    developer = await api.key(Role.Developer);
    admin = await api.key(Role.Admin);

    let n = 0;
    const post = (w: string, author: string, channel: string, text: string) =>
      verbatim({
        source: 'board',
        externalId: `b-${++n}`,
        author,
        channel,
        text,
        lang: 'fr',
        receivedAt: at(w, n % 6),
      });
    const payment = 'Paiement refusé au 3-D Secure, impossible de payer mon billet';
    const items = [
      post(before, 'p0@example.com', 'email', payment),
      post(week, 'p1@example.com', 'email', payment),
      post(week, 'p2@example.com', 'chat', 'mon paiement est refusé au 3-D Secure, impossible de payer'),
      post(
        week,
        'p3@example.com',
        'twitter',
        'paiement refusé 3-D Secure encore, impossible de payer le billet',
      ),
      post(week, 'p1@example.com', 'chat', 'toujours ce paiement refusé au 3-D Secure, impossible'),
      post(
        week,
        'l1@example.com',
        'email',
        'Je vais saisir mon avocat et la CNIL : vous gardez mes données personnelles (RGPD)',
      ),
      post(
        week,
        'w1@example.com',
        'forum',
        'Aucune assistance pour mon fauteuil roulant en gare, personne au rendez-vous',
      ),
    ];
    const response = await http(api.url, 'POST', '/api/v1/verbatims', { key: triager, body: items });
    expect(response.status).toBe(201);
    await waitForLastStage(
      db.url,
      response.body.items.map((item: { id: string }) => item.id),
    );
  });

  const board = (w: string, query = '', key = viewer) =>
    http(api.url, 'GET', `/api/v1/boards/${w}${query}`, { key });

  it('only reads on a GET: weeks never stored are built for the read, not stored', async () => {
    for (const path of [
      `/api/v1/boards/${week}`,
      `/api/v1/boards/${before}?axis=legal&above=10`,
      '/api/v1/boards/current',
      '/api/v1/boards',
      '/api/v1/boards/meeting',
      `/api/v1/boards/${week}/decisions`,
    ])
      expect({ path, status: (await http(api.url, 'GET', path, { key: viewer })).status }).toEqual({
        path,
        status: 200,
      });
    expect(await query(db.url, 'SELECT iso_week FROM board')).toEqual([]);
    expect(await query(db.url, 'SELECT id FROM board_item')).toEqual([]);
  });

  it('ranks the irritants of a week with four scored axes and reasons a person reads', async () => {
    const response = await board(week);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      isoWeek: week,
      status: 'live',
      frozenAt: null,
      profile: 'default',
    });
    const items = response.body.items as {
      rank: number;
      category: string;
      total: number;
      distinctCustomers: number;
      verbatimCount: number;
      movement: string;
      axes: Record<string, { score: number; reasons: string[] }>;
      quotes: { text: string }[];
    }[];
    expect(items.map((item) => item.rank)).toEqual(items.map((_, i) => i + 1));
    const totals = items.map((item) => item.total);
    expect([...totals].sort((a, b) => b - a)).toEqual(totals);

    const payment = items.find((item) => item.category === 'payment');
    // Last week's board was never stored: movement is still read against it, where payment was
    // alone, first. This week the GDPR complaint with a lawyer comes first (a legal reason may lift
    // one customer above three, docs/SCORING.md): payment is one place down.
    expect(payment).toMatchObject({
      verbatimCount: 4,
      distinctCustomers: 3,
      movement: 'down',
      rankChange: -1,
    });
    expect(items[0].category).toBe('legal_privacy');
    expect(payment?.axes.client.reasons[0]).toBe(`3 customers in 3 channels, +200% vs ${before}`);
    expect(payment?.axes.business.reasons).toContain('blocks payment');
    expect(payment?.axes.technical.reasons.at(-1)).toBe('100% of the verbatims say the customer is blocked');
    expect(payment?.quotes.length).toBe(3);
    expect(JSON.stringify(payment)).not.toContain('@example.com');

    const legal = items.find((item) => item.axes.legal.reasons.some((reason) => reason.includes('GDPR')));
    expect(legal?.axes.legal.reasons).toEqual(
      expect.arrayContaining(['1 verbatim mentions GDPR / RGPD', '1 verbatim mentions a lawyer or a court']),
    );
    expect(legal?.axes.legal.score).toBeGreaterThanOrEqual(90);
  });

  it('says the reasons in the language asked (lang, then Accept-Language), with their codes and figures', async () => {
    type Axis = {
      reasons: string[];
      details: { code: string; params: Record<string, unknown>; text: string }[];
    };
    const paymentOf = (body: { items: { category: string; axes: Record<string, Axis> }[] }) =>
      body.items.find((item) => item.category === 'payment') as { axes: Record<string, Axis> };
    const english = await board(week);
    expect(english.headers.get('content-language')).toBe('en');
    const inEnglish = paymentOf(english.body);
    expect(inEnglish.axes.business.details[0]).toEqual({
      code: 'business.journey',
      params: { category: 'payment', stage: 'payment', stageFr: 'le paiement' },
      text: 'blocks payment',
    });
    expect(inEnglish.axes.client.details.map((one) => one.text)).toEqual(inEnglish.axes.client.reasons);

    const french = await http(api.url, 'GET', `/api/v1/boards/${week}`, {
      key: viewer,
      headers: { 'accept-language': 'fr-FR,fr;q=0.9,en;q=0.5' },
    });
    expect(french.headers.get('content-language')).toBe('fr');
    const inFrench = paymentOf(french.body);
    expect(inFrench.axes.client.reasons[0]).toBe(`3 clients sur 3 canaux, +200\u00a0% vs ${before}`);
    expect(inFrench.axes.business.reasons).toContain('bloque le paiement');
    expect(inFrench.axes.technical.reasons.at(-1)).toBe('100\u00a0% des verbatims disent le client bloqué');
    // The structured form is the same whatever the language, its text in English.
    expect(inFrench.axes.business.details).toEqual(inEnglish.axes.business.details);
    const legal = (french.body.items as { axes: Record<string, Axis> }[]).find((item) =>
      item.axes.legal.details.some((one) => one.code === 'legal.keyword'),
    );
    expect(legal?.axes.legal.reasons).toEqual(
      expect.arrayContaining([
        '1 verbatim mentionne le RGPD',
        '1 verbatim mentionne un avocat ou un tribunal',
      ]),
    );

    // ?lang= wins over the header; anything but fr or en is refused.
    const asked = await http(api.url, 'GET', `/api/v1/boards/${week}?lang=en`, {
      key: viewer,
      headers: { 'accept-language': 'fr' },
    });
    expect(paymentOf(asked.body).axes.client.reasons).toEqual(inEnglish.axes.client.reasons);
    expect((await board(week, '?lang=de')).status).toBe(400);
    const irritantId = (english.body.items as { category: string; irritantId: string }[]).find(
      (item) => item.category === 'payment',
    )?.irritantId;
    const one = await board(week, `/items/${irritantId}?lang=fr`);
    expect(one.body.item.axes.business.reasons).toContain('bloque le paiement');
  });

  it('still reads a board frozen before reasons had codes (plain English strings)', async () => {
    const old = '2025-W10';
    await query(
      db.url,
      `INSERT INTO board (iso_week, status, computed_at, frozen_at, profile) VALUES ($1, 'frozen', now(), now(), 'default')`,
      [old],
    );
    const axes = {
      client: { score: 40, reasons: ['12 customers in 2 channels, new vs 2025-W09'] },
      business: { score: 60, reasons: ['blocks payment'] },
      legal: { score: 0, reasons: [] },
      technical: { score: 0, reasons: ['non-blocking'] },
    };
    await query(
      db.url,
      `INSERT INTO board_item (iso_week, irritant_id, rank, category, label, axes, total, movement, rank_change,
         verbatim_count, distinct_customers, channels, terminals, quotes)
       VALUES ($1, gen_random_uuid(), 1, 'payment', 'paiement refusé', $2, 30, 'new', null, 12, 12, '[]', '[]', '[]')`,
      [old, JSON.stringify(axes)],
    );
    for (const lang of ['en', 'fr']) {
      const read = await board(old, `?lang=${lang}`);
      expect(read.status).toBe(200);
      expect(read.body.items[0].axes.business).toEqual({
        score: 60,
        reasons: ['blocks payment'],
        details: [{ code: 'text', params: { text: 'blocks payment' }, text: 'blocks payment' }],
      });
    }
  });

  it('ranks by people hurt: one customer in a heavy category stays below fifty, unless a legal reason says otherwise', async () => {
    const other = '2026-W20';
    const complaints = [
      'Le service client ne répond jamais, 40 minutes d’attente au téléphone',
      'Personne au service client, j’attends une réponse depuis une semaine',
      'Service client injoignable, le téléphone sonne dans le vide',
      'Aucune réponse du service client à mes mails',
      'Customer service never answers the phone, 40 minutes on hold',
    ];
    const body = [
      ...Array.from({ length: 50 }, (_, i) =>
        verbatim({
          source: 'ranking',
          externalId: `many-${i}`,
          author: `many-${i}@example.com`,
          channel: 'email',
          text: complaints[i % complaints.length],
          lang: i % complaints.length === 4 ? 'en' : 'fr',
          receivedAt: at(other, i % 5),
        }),
      ),
      // One customer, furious, on three channels, about payment (the heaviest stage), a promise broken.
      ...['email', 'chat', 'twitter'].map((channel, i) =>
        verbatim({
          source: 'ranking',
          externalId: `one-${i}`,
          author: 'one@example.com',
          channel,
          text: 'Paiement refusé, on m’avait promis que ce serait réglé, c’est honteux, inadmissible !!!',
          lang: 'fr',
          receivedAt: at(other, i),
        }),
      ),
      verbatim({
        source: 'ranking',
        externalId: 'lawyer',
        author: 'lawyer@example.com',
        channel: 'email',
        text: 'Je saisis mon avocat et la CNIL : vous gardez mes données personnelles malgré ma demande RGPD',
        lang: 'fr',
        receivedAt: at(other, 1),
      }),
    ];
    const posted = await http(api.url, 'POST', '/api/v1/verbatims', { key: triager, body });
    expect(posted.status).toBe(201);
    await waitForLastStage(
      db.url,
      posted.body.items.map((item: { id: string }) => item.id),
    );
    type Item = {
      rank: number;
      category: string;
      distinctCustomers: number;
      axes: Record<string, { score: number; reasons: string[] }>;
    };
    const items = (await board(other)).body.items as Item[];
    const one = items.find((item) => item.category === 'payment' && item.distinctCustomers === 1) as Item;
    expect(one.axes.business.reasons).toEqual(
      expect.arrayContaining(['blocks payment', 'weighed by the people hurt: 1 customer, ×0.11']),
    );
    const many = items.filter((item) => item.distinctCustomers >= 10);
    expect(many.length).toBeGreaterThan(0);
    for (const item of many) expect(item.rank).toBeLessThan(one.rank);
    const lawyer = items.find((item) =>
      item.axes.legal.reasons.includes('1 verbatim mentions a lawyer or a court'),
    ) as Item;
    expect(lawyer.distinctCustomers).toBe(1);
    expect(lawyer.rank).toBeLessThan(Math.min(...many.map((item) => item.rank)));
  });

  it('filters by axis, category, channel and terminal, and refuses malformed filters', async () => {
    const legalOnly = await board(week, '?axis=legal&above=50');
    expect(legalOnly.status).toBe(200);
    expect(legalOnly.body.items.length).toBeGreaterThan(0);
    for (const item of legalOnly.body.items) expect(item.axes.legal.score).toBeGreaterThanOrEqual(50);
    const twitter = await board(week, '?channel=twitter');
    expect(twitter.body.items.map((item: { category: string }) => item.category)).toEqual(['payment']);
    expect((await board(week, '?category=payment')).body.items).toHaveLength(1);
    for (const bad of [
      '?axis=money&above=3',
      '?axis=legal&above=abc',
      "?category=x'%20OR%201=1--",
      '?channel=a%27%3B%20DROP%20TABLE%20board%3B--',
      '?terminal=toaster',
      '?limit=0',
    ]) {
      const response = await board(week, bad);
      expect({ bad, status: response.status }).toEqual({ bad, status: 400 });
    }
    const aboveAlone = await board(week, '?above=50');
    expect(aboveAlone.status).toBe(400);
    expect(JSON.stringify(aboveAlone.body.message)).toContain('above filters on an axis');
    expect((await board(week, '?axis=legal')).status).toBe(400);
    for (const odd of ['2026-W99', '1969-W01', '0000-W01', '2100-W01']) {
      const response = await board(odd);
      expect({ odd, status: response.status }).toEqual({ odd, status: 400 });
      expect(response.body.message).toContain('years 2000-2099');
    }
    expect((await board('2031-W10')).status).toBe(404);
    expect((await http(api.url, 'GET', `/api/v1/boards/${week}`)).status).toBe(401);
    expect((await board(week, '', developer)).status).toBe(200);
  });

  it('lets a triager override an axis with a reason (audited, shown), but not a viewer or a developer', async () => {
    const items = (await board(week)).body.items as { irritantId: string; category: string; total: number }[];
    const payment = items.find((item) => item.category === 'payment') as {
      irritantId: string;
      total: number;
    };
    const path = `/api/v1/irritants/${payment.irritantId}/axes/legal`;
    const body = { score: 95, reason: 'The CNIL wrote to us about 3-D Secure failures' };
    expect((await http(api.url, 'PUT', path, { key: viewer, body })).status).toBe(403);
    expect((await http(api.url, 'PUT', path, { key: developer, body })).status).toBe(403);
    expect(
      (await http(api.url, 'PUT', path, { key: triager, body: { score: 120, reason: 'too much' } })).status,
    ).toBe(400);
    expect(
      (
        await http(api.url, 'PUT', `/api/v1/irritants/${payment.irritantId}/axes/money`, {
          key: triager,
          body,
        })
      ).status,
    ).toBe(400);

    // The past week's board is stored (and live): the override shows on it at once.
    await api.app.get(BoardService).compute(week);
    const legalBefore = (
      (await board(week)).body.items as { irritantId: string; axes: Record<string, { score: number }> }[]
    ).find((item) => item.irritantId === payment.irritantId)?.axes.legal.score;
    expect(legalBefore).toBe(0);
    const done = await http(api.url, 'PUT', path, { key: triager, body });
    expect(done.status).toBe(200);
    expect(done.body).toEqual([expect.objectContaining({ axis: 'legal', score: 95, reason: body.reason })]);
    const after = (
      (await board(week)).body.items as { irritantId: string; total: number; axes: Record<string, unknown> }[]
    ).find((item) => item.irritantId === payment.irritantId);
    expect(after?.axes.legal).toMatchObject({
      score: 95,
      override: { score: 95, reason: body.reason, computed: 0 },
    });
    expect(after?.total).toBeGreaterThan(payment.total);
    const [audit] = await query<{ before: unknown; after: unknown }>(
      db.url,
      `SELECT before, after FROM audit_event WHERE action = 'irritant.axis.override' AND subject_id = $1`,
      [payment.irritantId],
    );
    expect(audit).toEqual({
      before: { axis: 'legal', score: null },
      after: { axis: 'legal', score: 95, reason: body.reason },
    });
  });

  it('freezes a week once, at its Monday freeze time, even with two processes racing, and never changes it again', async () => {
    const freezesAt = freezeTime(week, ZONE, '08:00');
    expect(freezesAt.toISOString()).toBe(
      new Date(weekBounds(week, ZONE).end.getTime() + 8 * 3_600_000).toISOString(),
    );
    const services = [api.app.get(BoardService), second.app.get(BoardService)];

    // A minute early: nothing freezes.
    const early = new Date(freezesAt.getTime() - 60_000);
    expect(await services[0].freezeDue(early)).not.toContain(week);
    expect((await board(week)).body.status).toBe('live');

    const onTime = new Date(freezesAt.getTime() + 60_000);
    const results = await Promise.all([
      services[0].freezeDue(onTime),
      services[1].freezeDue(onTime),
      services[0].freezeDue(onTime),
    ]);
    expect(results.filter((weeks) => weeks.includes(week))).toHaveLength(1);
    const [{ n }] = await query<{ n: number }>(
      db.url,
      `SELECT count(*)::int AS n FROM audit_event WHERE action = 'board.frozen' AND subject_id = $1`,
      [week],
    );
    expect(n).toBe(1);
    const frozen = await board(week);
    expect(frozen.body.status).toBe('frozen');
    expect(frozen.body.frozenAt).not.toBeNull();

    // Later verbatims of that week, overrides and recomputations change nothing on it.
    const late = await http(api.url, 'POST', '/api/v1/verbatims', {
      key: triager,
      body: verbatim({
        source: 'board',
        externalId: 'late-1',
        author: 'late@example.com',
        text: 'Paiement refusé au 3-D Secure, impossible de payer',
        lang: 'fr',
        receivedAt: at(week, 2),
      }),
    });
    await waitForLastStage(db.url, [late.body.items[0].id]);
    expect(await services[1].compute(week)).toBe(false);
    expect((await board(week)).body).toEqual(frozen.body);
  });

  it('freezes last week through the scheduled job once its Monday freeze time has come (winter time too)', async () => {
    // 2026-W43 ends on Sunday 25 October, the night clocks go back: Monday 08:00 in Paris is 07:00Z.
    const lastWeek = '2026-W43';
    const freezesAt = freezeTime(lastWeek, ZONE, '08:00');
    expect(freezesAt.toISOString()).toBe('2026-10-26T07:00:00.000Z');
    const statusOf = async () =>
      (await query<{ status: string }>(db.url, 'SELECT status FROM board WHERE iso_week = $1', [lastWeek]))[0]
        ?.status;
    const runScheduledFreeze = async (at: Date) => {
      api.clock.freeze(at);
      await api.app.get(JobQueue).requeue(JobName.FreezeBoards, {});
      await api.idle();
    };
    try {
      await runScheduledFreeze(new Date(freezesAt.getTime() - 60_000));
      expect(await statusOf()).toBeUndefined();
      await runScheduledFreeze(freezesAt);
      expect(await statusOf()).toBe('frozen');
    } finally {
      api.clock.reset();
    }
    expect(await query(db.url, 'SELECT job_name, cause FROM dead_letter')).toEqual([]);
  });

  it('lets an admin freeze a past week now, audited under their name; not the current week, not twice', async () => {
    const early = '2026-W38';
    const path = `/api/v1/boards/${early}/freeze`;
    expect((await http(api.url, 'POST', path, { key: triager })).status).toBe(403);
    const frozen = await http(api.url, 'POST', path, { key: admin });
    expect(frozen.status).toBe(200);
    expect(frozen.body).toMatchObject({ isoWeek: early, status: 'frozen' });
    const again = await http(api.url, 'POST', path, { key: admin });
    expect(again.status).toBe(409);
    expect(again.body.message).toContain('already frozen');
    const current = api.app.get(BoardService).currentWeek();
    const refused = await http(api.url, 'POST', `/api/v1/boards/${current}/freeze`, { key: admin });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain('has not ended');
    expect((await http(api.url, 'POST', '/api/v1/boards/1969-W01/freeze', { key: admin })).status).toBe(400);
    const [audit] = await query<{ actor: string; after: { early?: boolean } }>(
      db.url,
      `SELECT actor, after FROM audit_event WHERE action = 'board.frozen' AND subject_id = $1`,
      [early],
    );
    expect(audit.actor).toMatch(/^apikey:/);
    expect(audit.after.early).toBe(true);
  });

  it('shows each irritant’s movement against the previous week’s board', async () => {
    const next = '2026-W41';
    const response = await http(api.url, 'POST', '/api/v1/verbatims', {
      key: triager,
      body: [
        verbatim({
          source: 'board',
          externalId: 'next-1',
          author: 'n1@example.com',
          text: 'Paiement refusé au 3-D Secure, impossible de payer mon billet',
          lang: 'fr',
          receivedAt: at(next, 1),
        }),
        verbatim({
          source: 'board',
          externalId: 'next-2',
          author: 'n2@example.com',
          text: 'Le wifi à bord ne marche jamais entre Paris et Marseille',
          lang: 'fr',
          receivedAt: at(next, 2),
        }),
      ],
    });
    await waitForLastStage(
      db.url,
      response.body.items.map((item: { id: string }) => item.id),
    );
    const last = (await board(week)).body.items as { irritantId: string; rank: number }[];
    const items = (await board(next)).body.items as {
      irritantId: string;
      rank: number;
      movement: string;
      rankChange: number | null;
    }[];
    for (const item of items) {
      const was = last.find((one) => one.irritantId === item.irritantId);
      if (!was) expect(item).toMatchObject({ movement: 'new', rankChange: null });
      else {
        expect(item.rankChange).toBe(was.rank - item.rank);
        expect(item.movement).toBe(was.rank > item.rank ? 'up' : was.rank < item.rank ? 'down' : 'unchanged');
      }
    }
    expect(items.some((item) => item.movement !== 'new')).toBe(true);
    expect(isoWeekOf(new Date(at(next, 1)), ZONE)).toBe(next);
  });
});
