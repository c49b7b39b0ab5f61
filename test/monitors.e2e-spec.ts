import { BoardService } from '@app/board';
import { Role } from '@app/database';
import { DemoShop, MonitorService, startDemoShop } from '@app/monitoring';
import { useApi } from './support/app';
import { ensureChromium } from './support/chromium';
import { query } from './support/database';
import { http } from './support/http';
import { atSuiteEnd } from './support/suite-end';

/** Synthetic journeys against the demo shop: HTTP steps, and a real Chromium clicking through it. */
describe('monitors', () => {
  const { api, db } = useApi();
  let shop: DemoShop;
  let admin: string;
  let viewer: string;
  let triager: string;

  beforeAll(async () => {
    [shop] = await Promise.all([startDemoShop(0), ensureChromium()]);
    // After the API's close (test/support/suite-end.ts): its monitors watch the shop.
    atSuiteEnd(() => shop.close());
    // A Wednesday morning, running on from there: runs, complaints and boards fall in one week
    // whatever the day the suite runs.
    api.clock.travel(new Date('2026-11-18T09:00:00Z'));
    [admin, viewer, triager] = await Promise.all([
      api.key(Role.Admin),
      api.key(Role.Viewer),
      api.key(Role.Triager),
    ]);
  });

  const setSwitches = (switches: { slow?: Record<string, number>; broken?: string[] }) =>
    fetch(`${shop.url}/__switches`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(switches),
    });
  const now = () => api.clock.now().toISOString();
  const runNow = async (id: string) =>
    (await http(api.url, 'POST', `/api/v1/monitors/${id}/run`, { key: admin })).body;

  const httpJourney = () => [
    {
      name: 'search',
      method: 'POST',
      url: `${shop.url}/api/search`,
      body: { from: 'Paris', to: 'Lille' },
      expect: { bodyContains: 'TGV-7001' },
    },
    {
      name: 'book',
      method: 'POST',
      url: `${shop.url}/api/book`,
      body: { train: 'TGV-7001' },
      capture: { token: 'bookingToken' },
    },
    {
      name: 'pay',
      method: 'POST',
      url: `${shop.url}/api/pay`,
      body: { bookingToken: '{{token}}', train: 'TGV-7001' },
      capture: { ticket: 'ticketId' },
    },
    {
      name: 'ticket',
      method: 'GET',
      url: `${shop.url}/api/ticket/{{ticket}}`,
      expect: { bodyContains: 'TGV-7001' },
    },
  ];
  let httpId: string;

  it('defines monitors as an admin, refusing journeys that cannot run', async () => {
    const body = {
      name: 'Paris → Lille (API)',
      kind: 'http',
      steps: httpJourney(),
      slowMs: 1_500,
      kpiKey: 'booking_journey_time',
      categories: ['payment'],
    };
    expect((await http(api.url, 'POST', '/api/v1/monitors', { key: viewer, body })).status).toBe(403);
    const bad = await http(api.url, 'POST', '/api/v1/monitors', {
      key: admin,
      body: { ...body, steps: [{ name: 'x', method: 'FETCH', url: 'file:///etc/passwd' }] },
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.message)).toMatch(/method one of GET/);
    expect(JSON.stringify(bad.body.message)).toMatch(/url must be http/);
    expect(
      (
        await http(api.url, 'POST', '/api/v1/monitors', {
          key: admin,
          body: { ...body, kpiKey: 'no_such_kpi' },
        })
      ).status,
    ).toBe(400);
    const created = await http(api.url, 'POST', '/api/v1/monitors', { key: admin, body });
    expect(created.status).toBe(201);
    httpId = created.body.id;
  });

  it('runs an HTTP journey with captured variables, and feeds its KPI', async () => {
    await setSwitches({});
    const run = await runNow(httpId);
    expect(run.status).toBe('ok');
    expect(run.steps.map((step: { name: string; status: string }) => `${step.name}:${step.status}`)).toEqual([
      'search:ok',
      'book:ok',
      'pay:ok',
      'ticket:ok',
    ]);
    const [point] = await query<{ value: number; origin: string }>(
      db.url,
      `SELECT value, origin FROM kpi_point WHERE kpi_key = 'booking_journey_time'`,
    );
    expect(point.origin).toBe('monitor');
    expect(point.value).toBeGreaterThan(0);
  });

  it('tells slow from broken: the failed step, its error, the steps not run', async () => {
    await setSwitches({ slow: { book: 1_700 } });
    expect((await runNow(httpId)).status).toBe('slow');
    await setSwitches({ broken: ['pay'] });
    const broken = await runNow(httpId);
    expect(broken.status).toBe('failed');
    expect(broken.steps).toEqual([
      expect.objectContaining({ name: 'search', status: 'ok' }),
      expect.objectContaining({ name: 'book', status: 'ok' }),
      expect.objectContaining({ name: 'pay', status: 'failed', error: 'answered 500, expected 200' }),
      { name: 'ticket', status: 'skipped', ms: 0 },
    ]);
    await setSwitches({});
  });

  it('cuts a journey that hangs at its timeout and counts it as failed', async () => {
    const created = await http(api.url, 'POST', '/api/v1/monitors', {
      key: admin,
      body: { name: 'hangs', kind: 'http', steps: httpJourney(), timeoutMs: 1_000 },
    });
    await setSwitches({ slow: { search: 3_000 } });
    const run = await runNow(created.body.id);
    await setSwitches({});
    expect(run.status).toBe('failed');
    expect(run.steps[0].error).toBe('cut after 1000 ms');
  });

  it('runs a browser journey in headless Chromium, with a screenshot of a failed step', async () => {
    const steps = [
      { name: 'home', action: 'goto', url: `${shop.url}/` },
      { name: 'from', action: 'fill', selector: '#from', value: 'Paris' },
      { name: 'to', action: 'fill', selector: '#to', value: 'Lille' },
      { name: 'search', action: 'click', selector: '#search' },
      { name: 'pick', action: 'click', selector: 'a.train' },
      { name: 'name', action: 'fill', selector: '#passenger', value: 'Jeanne Test' },
      { name: 'card', action: 'fill', selector: '#card', value: '4111 1111 1111 1111' },
      { name: 'pay', action: 'click', selector: '#pay' },
      { name: 'ticket', action: 'assertText', selector: '#ticket', text: 'E-billet' },
    ];
    const created = await http(api.url, 'POST', '/api/v1/monitors', {
      key: admin,
      body: { name: 'Paris → Lille (browser)', kind: 'browser', steps, timeoutMs: 45_000 },
    });
    expect(created.status).toBe(201);
    const ok = await runNow(created.body.id);
    expect(ok.status).toBe('ok');
    expect(ok.screenshotUrl).toBeNull();

    // The pay step broken: the journey fails on the pay step, with the page's answer, at once
    // (not on the e-ticket after a timeout).
    await setSwitches({ broken: ['pay'] });
    const failed = await runNow(created.body.id);
    await setSwitches({});
    expect(failed.status).toBe('failed');
    const failedStep = failed.steps.find((step: { status: string }) => step.status === 'failed');
    expect(failedStep).toMatchObject({ name: 'pay', error: 'the page answered 500 (/pay)' });
    expect(failed.steps.at(-1)).toMatchObject({ name: 'ticket', status: 'skipped' });
    // The e-ticket page broken after a good payment: the e-ticket step it belongs to fails.
    await setSwitches({ broken: ['ticket'] });
    const eticket = await runNow(created.body.id);
    await setSwitches({});
    expect(eticket.steps.find((step: { status: string }) => step.status === 'failed')).toMatchObject({
      name: 'ticket',
      error: expect.stringMatching(/^the page answered 500 \(\/ticket\//),
    });
    expect(eticket.steps.find((step: { name: string }) => step.name === 'pay').status).toBe('ok');
    const png = await fetch(`${api.url}${failed.screenshotUrl}`, {
      headers: { authorization: `Bearer ${viewer}` },
    });
    expect(png.status).toBe(200);
    expect(png.headers.get('content-type')).toBe('image/png');
    expect(
      Buffer.from(await png.arrayBuffer())
        .subarray(1, 4)
        .toString(),
    ).toBe('PNG');
  });

  it('runs once per schedule slot however many workers ask, and gives availability and p95', async () => {
    const monitors = api.app.get(MonitorService);
    const slot = 1_800_000_000;
    const results = await Promise.all([
      monitors.run(httpId, slot),
      monitors.run(httpId, slot),
      monitors.run(httpId, slot),
    ]);
    expect(results.filter((result) => result !== null)).toHaveLength(1);
    const stats = await http(api.url, 'GET', `/api/v1/monitors/${httpId}/stats?by=week&days=7`, {
      key: viewer,
    });
    expect(stats.status).toBe(200);
    const [week] = stats.body;
    // ok, slow, failed, and the slot's run: 3 of 4 completed.
    expect(week).toMatchObject({ runs: 4, ok: 3, availability: 75 });
    expect(week.p95).toBeGreaterThan(0);
    expect(
      (await http(api.url, 'GET', `/api/v1/monitors/${httpId}/stats?by=year`, { key: viewer })).status,
    ).toBe(400);
  });

  it('raises a linked irritant’s technical axis with the monitor’s failure, with the reason', async () => {
    // A payment complaint this week: its category links it to the API journey (rule: payment).
    const posted = await http(api.url, 'POST', '/api/v1/verbatims', {
      key: triager,
      body: {
        source: 'monitors',
        externalId: 'm-1',
        author: 'jeanne@example.com',
        channel: 'email',
        receivedAt: now(),
        text: 'Paiement refusé au 3-D Secure, impossible de payer mon billet',
        lang: 'fr',
      },
    });
    const { waitForLastStage } = await import('./support/database');
    await waitForLastStage(db.url, [posted.body.items[0].id]);
    const board = async () => {
      const boards = api.app.get(BoardService);
      await boards.compute(boards.currentWeek());
      const current = await http(api.url, 'GET', '/api/v1/boards/current', { key: viewer });
      return current.body.items.find((item: { category: string }) => item.category === 'payment');
    };
    // This week's runs above include a failed one (pay broken), and good ones after: it failed
    // this week (the axes say so) and has recovered (the board says so, with the window).
    const item = await board();
    expect(item.axes.technical.reasons).toContain(
      'monitor "Paris → Lille (API)" failed this week, recovered since',
    );
    const linked = item.monitors.find((monitor: { name: string }) => monitor.name === 'Paris → Lille (API)');
    expect(linked).toMatchObject({
      status: 'recovered',
      failedRuns: 1,
      failure: { from: expect.any(String), to: expect.any(String), steps: ['pay'] },
    });
    expect(Date.parse(linked.failure.to)).toBeGreaterThan(Date.parse(linked.failure.from));
    // Broken again: failing, with no end to its window.
    await setSwitches({ broken: ['pay'] });
    expect((await runNow(httpId)).status).toBe('failed');
    await setSwitches({});
    const failing = (await board()).monitors.find(
      (monitor: { name: string }) => monitor.name === 'Paris → Lille (API)',
    );
    expect(failing).toMatchObject({ status: 'failing', failure: { to: null } });
    expect((await board()).axes.technical.reasons).toContain('monitor "Paris → Lille (API)" failing');
    expect((await runNow(httpId)).status).toBe('ok');
    expect(item.axes.technical.score).toBeGreaterThanOrEqual(40);
    expect(item.axes.business.reasons).toContain('the journey "Paris → Lille (API)" failed this week');
  });

  it('proposes a link only with evidence: customers who jumped in the failure window, on the failed step’s topic', async () => {
    const { waitForLastStage } = await import('./support/database');
    const complain = async (prefix: string, text: string, n: number) => {
      const posted = await http(api.url, 'POST', '/api/v1/verbatims', {
        key: triager,
        body: Array.from({ length: n }, (_, i) => ({
          source: 'monitors',
          externalId: `${prefix}-${i}`,
          author: `${prefix}-${i}@example.com`,
          channel: 'email',
          receivedAt: now(),
          text,
          lang: 'fr',
        })),
      });
      await waitForLastStage(
        db.url,
        posted.body.items.map((item: { id: string }) => item.id),
      );
      return (
        await query<{ irritant_id: string }>(
          db.url,
          `SELECT irritant_id FROM verbatim WHERE external_id = $1`,
          [`${prefix}-0`],
        )
      )[0].irritant_id;
    };
    // Slow-site complaints received before the journey below ever failed.
    const slow = await complain('slow', 'Le site est très lent, chaque page met une minute à charger', 5);
    // A journey with no category rule: only evidence can link it. Its pay step breaks.
    const created = await http(api.url, 'POST', '/api/v1/monitors', {
      key: admin,
      body: { name: 'Paris → Lyon (API)', kind: 'http', steps: httpJourney() },
    });
    const lyon = created.body.id as string;
    await setSwitches({ broken: ['pay'] });
    expect((await runNow(lyon)).status).toBe('failed');
    await setSwitches({});
    api.clock.advance(60_000);
    // After the failure began: payment complaints (the failed step's topic) and GDPR ones (not).
    const payment = await complain('pay', 'Paiement refusé au 3-D Secure, impossible de payer mon billet', 5);
    const gdpr = await complain(
      'gdpr',
      'Je demande l’effacement de mes données personnelles au titre du RGPD, sans réponse',
      6,
    );
    const boards = api.app.get(BoardService);
    await boards.compute(boards.currentWeek());
    const proposals = (await http(api.url, 'GET', '/api/v1/link-proposals', { key: viewer })).body as {
      id: string;
      irritantId: string;
      monitorId: string | null;
      evidence: Record<string, unknown>;
    }[];
    const forLyon = proposals.filter((one) => one.monitorId === lyon);
    expect(forLyon.map((one) => one.irritantId)).toEqual([payment]);
    const [proposal] = forLyon;
    expect(proposal.evidence).toMatchObject({
      monitor: 'Paris → Lyon (API)',
      failedSteps: ['pay'],
      customers: 5,
      topic: 'payment',
      recoveredAt: null,
    });
    expect(Date.parse(proposal.evidence.firstFailedAt as string)).toBeLessThan(Date.now() + 86_400_000 * 365);
    expect(proposal.evidence.strength).toBeGreaterThanOrEqual(2);
    // No proposal for the complaints that came before the failure, nor for another topic.
    expect(proposals.some((one) => one.irritantId === slow && one.monitorId === lyon)).toBe(false);
    expect(proposals.some((one) => one.irritantId === gdpr)).toBe(false);
    // Proposed once per week, however often the board is rebuilt; at most three per monitor.
    await boards.compute(boards.currentWeek());
    const again = (await http(api.url, 'GET', '/api/v1/link-proposals', { key: viewer })).body as {
      monitorId: string | null;
    }[];
    expect(again.filter((one) => one.monitorId === lyon)).toHaveLength(1);
    expect(
      (
        await query<{ n: number }>(
          db.url,
          'SELECT count(*)::int AS n FROM link_proposal GROUP BY monitor_id, kpi_key, iso_week ORDER BY 1 DESC LIMIT 1',
        )
      )[0].n,
    ).toBeLessThanOrEqual(3);

    expect(
      (await http(api.url, 'POST', `/api/v1/link-proposals/${proposal.id}/accept`, { key: viewer })).status,
    ).toBe(403);
    const accepted = await http(api.url, 'POST', `/api/v1/link-proposals/${proposal.id}/accept`, {
      key: triager,
    });
    expect(accepted.body.status).toBe('accepted');
    expect(
      (await http(api.url, 'POST', `/api/v1/link-proposals/${proposal.id}/accept`, { key: triager })).status,
    ).toBe(404);
    await boards.compute(boards.currentWeek());
    const item = (await http(api.url, 'GET', '/api/v1/boards/current', { key: viewer })).body.items.find(
      (one: { irritantId: string }) => one.irritantId === proposal.irritantId,
    );
    expect(item.axes.technical.reasons).toContain('monitor "Paris → Lyon (API)" failing');
    expect(item.monitors).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: lyon, status: 'failing' })]),
    );
    // Mended.
    expect((await runNow(lyon)).status).toBe('ok');
  });

  it('feeds the journey-availability KPI with every run that measured something', async () => {
    // A run the scheduler started is written as failed until it finishes, and its point after.
    await api.idle();
    const rows = await query<{ value: number }>(
      db.url,
      `SELECT value FROM kpi_point WHERE kpi_key = 'journey_availability' AND origin = 'monitor'`,
    );
    const runs = await query<{ status: string }>(
      db.url,
      `SELECT status FROM monitor_run WHERE status <> 'error'`,
    );
    expect(rows).toHaveLength(runs.length);
    expect(rows.filter((row) => row.value === 0)).toHaveLength(
      runs.filter((run) => run.status === 'failed').length,
    );
    const weekly = await http(api.url, 'GET', '/api/v1/kpis/journey_availability/weekly', { key: viewer });
    expect(weekly.status).toBe(200);
    const [latest] = weekly.body.slice(-1);
    expect(latest.value).toBeGreaterThan(0);
    expect(latest.value).toBeLessThan(100);
  });

  it('links by journey step: a step’s categories link their irritants to the journey', async () => {
    const posted = await http(api.url, 'POST', '/api/v1/verbatims', {
      key: triager,
      body: {
        source: 'monitors',
        externalId: 'wheel-1',
        author: 'wheel-1@example.com',
        channel: 'email',
        receivedAt: now(),
        text: 'Aucune assistance pour mon fauteuil roulant en gare, personne au rendez-vous',
        lang: 'fr',
      },
    });
    const { waitForLastStage } = await import('./support/database');
    await waitForLastStage(db.url, [posted.body.items[0].id]);
    const created = await http(api.url, 'POST', '/api/v1/monitors', {
      key: admin,
      body: {
        name: 'Station assistance booking',
        kind: 'http',
        steps: [
          {
            name: 'assistance',
            method: 'GET',
            url: `${shop.url}/api/ticket/none`,
            expect: { status: 404 },
            categories: ['accessibility'],
          },
        ],
      },
    });
    expect(created.status).toBe(201);
    const boards = api.app.get(BoardService);
    await boards.compute(boards.currentWeek());
    const item = (await http(api.url, 'GET', '/api/v1/boards/current', { key: viewer })).body.items.find(
      (one: { category: string }) => one.category === 'accessibility',
    );
    expect(item.monitors).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'Station assistance booking' })]),
    );
  });

  it('links irritants to monitors by hand (triagers); an unknown irritant is a 404, no orphan link', async () => {
    const unknown = '00000000-0000-4000-8000-000000000001';
    const refused = await http(api.url, 'POST', `/api/v1/irritants/${unknown}/links`, {
      key: triager,
      body: { monitorId: httpId },
    });
    expect(refused.status).toBe(404);
    expect(await query(db.url, 'SELECT 1 FROM irritant_link WHERE irritant_id = $1', [unknown])).toEqual([]);
    const listed = await http(api.url, 'GET', '/api/v1/irritants', { key: triager });
    const irritant = (listed.body as { id: string }[])[0].id;
    expect(
      (
        await http(api.url, 'POST', `/api/v1/irritants/${irritant}/links`, {
          key: viewer,
          body: { monitorId: httpId },
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await http(api.url, 'POST', `/api/v1/irritants/${irritant}/links`, {
          key: triager,
          body: { monitorId: httpId },
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await http(api.url, 'POST', `/api/v1/irritants/${irritant}/links`, {
          key: triager,
          body: { kpiKey: 'nope' },
        })
      ).status,
    ).toBe(404);
  });
});

/**
 * A browser monitor where no browser can start (CHROMIUM_PATH names nothing, read at boot): an
 * infrastructure error, not a customer failure. An API of its own, so that no other suite's browser
 * and no run of the scheduler's can measure anything meanwhile.
 */
describe('monitors without a browser', () => {
  const { api, db } = useApi({ env: { CHROMIUM_PATH: '/nonexistent/chromium' } });
  let admin: string;
  let viewer: string;

  beforeAll(async () => {
    api.clock.travel(new Date('2026-11-18T09:00:00Z'));
    [admin, viewer] = await Promise.all([api.key(Role.Admin), api.key(Role.Viewer)]);
  });

  it('counts a runner that cannot start as an infrastructure error, not a customer failure', async () => {
    const created = await http(api.url, 'POST', '/api/v1/monitors', {
      key: admin,
      body: {
        name: 'No browser here',
        kind: 'browser',
        steps: [{ name: 'home', action: 'goto', url: 'http://127.0.0.1:9/' }],
        categories: ['eticket_delivery'],
      },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const availability = async () =>
      (
        await query<{ n: number }>(
          db.url,
          `SELECT count(*)::int AS n FROM kpi_point WHERE kpi_key = 'journey_availability'`,
        )
      )[0].n;
    const pointsBefore = await availability();
    const proposalsBefore = (await http(api.url, 'GET', '/api/v1/link-proposals', { key: viewer })).body
      .length;
    const run = (await http(api.url, 'POST', `/api/v1/monitors/${id}/run`, { key: admin })).body;
    // A new monitor is due at once: the scheduler's tick may run it too; both end before reading.
    await api.idle();
    expect(run.status).toBe('error');
    expect(run.steps[0].error).toMatch(/^the browser could not start/);
    // It measured nothing: no availability point, not in the stats, no axis, no proposal.
    expect(await availability()).toBe(pointsBefore);
    const stats = await http(api.url, 'GET', `/api/v1/monitors/${id}/stats?by=week&days=7`, { key: viewer });
    expect(stats.body).toEqual([]);
    const boards = api.app.get(BoardService);
    await boards.compute(boards.currentWeek());
    expect((await http(api.url, 'GET', '/api/v1/link-proposals', { key: viewer })).body).toHaveLength(
      proposalsBefore,
    );
    const items = (await http(api.url, 'GET', '/api/v1/boards/current', { key: viewer })).body.items as {
      monitors: { id: string; status: string }[];
      axes: { technical: { reasons: string[] } };
    }[];
    for (const item of items) {
      const mine = item.monitors.find((monitor) => monitor.id === id);
      if (mine) expect(mine.status).toBe('not measured');
      expect(item.axes.technical.reasons.join(' ')).not.toContain('No browser here');
    }
  });
});
