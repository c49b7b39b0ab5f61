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

    await setSwitches({ broken: ['pay'] });
    const failed = await runNow(created.body.id);
    await setSwitches({});
    expect(failed.status).toBe('failed');
    const failedStep = failed.steps.find((step: { status: string }) => step.status === 'failed');
    expect(failedStep.name).toBe('ticket');
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
        receivedAt: new Date().toISOString(),
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
    // This week's runs above include a failed one (pay broken): the monitor is failing.
    const item = await board();
    expect(item.axes.technical.reasons).toContain('monitor "Paris → Lille (API)" failing');
    expect(item.monitors).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'Paris → Lille (API)', status: 'failing' })]),
    );
    expect(item.axes.technical.score).toBeGreaterThanOrEqual(40);
    expect(item.axes.business.reasons).toContain('the journey "Paris → Lille (API)" failed this week');
  });

  it('proposes a link when an irritant jumps while a monitor fails, with the evidence; a triager accepts it', async () => {
    const posted = await http(api.url, 'POST', '/api/v1/verbatims', {
      key: triager,
      body: Array.from({ length: 5 }, (_, i) => ({
        source: 'monitors',
        externalId: `jump-${i}`,
        author: `wheel-${i}@example.com`,
        channel: 'email',
        receivedAt: new Date().toISOString(),
        text: 'Aucune assistance pour mon fauteuil roulant en gare, personne au rendez-vous',
        lang: 'fr',
      })),
    });
    const { waitForLastStage } = await import('./support/database');
    await waitForLastStage(
      db.url,
      posted.body.items.map((item: { id: string }) => item.id),
    );
    const boards = api.app.get(BoardService);
    await boards.compute(boards.currentWeek());
    const proposals = await http(api.url, 'GET', '/api/v1/link-proposals', { key: viewer });
    expect(proposals.status).toBe(200);
    const proposal = proposals.body.find(
      (one: { monitorId: string | null; evidence: { customers: number } }) =>
        one.monitorId === httpId && one.evidence.customers === 5,
    );
    expect(proposal).toBeDefined();
    expect(proposal.evidence).toMatchObject({ previousCustomers: 0, monitor: 'Paris → Lille (API)' });
    expect(proposal.evidence.failedRuns).toBeGreaterThan(0);
    expect(proposal.evidence.firstFailedAt).toEqual(expect.any(String));
    // Proposed once per week, however often the board is rebuilt.
    await boards.compute(boards.currentWeek());
    const again = await http(api.url, 'GET', '/api/v1/link-proposals', { key: viewer });
    expect(
      again.body.filter(
        (one: { id: string; irritantId: string; monitorId: string }) =>
          one.irritantId === proposal.irritantId && one.monitorId === httpId,
      ),
    ).toHaveLength(1);

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
    expect(item.axes.technical.reasons).toContain('monitor "Paris → Lille (API)" failing');
  });

  it('links by journey step: a step’s categories link their irritants to the journey', async () => {
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

  it('links irritants to monitors by hand (triagers)', async () => {
    const irritant = '00000000-0000-4000-8000-000000000001';
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
