import { Role } from '@app/database';
import { isoWeekOf, weekBounds } from '@app/scoring';
import { useApi } from './support/app';
import { query, waitForLastStage } from './support/database';
import { http } from './support/http';

const ZONE = 'Europe/Paris';

/** KPIs: pushed points per ISO week, NPS and CSAT from survey answers, detractors on the board. */
describe('KPIs and surveys', () => {
  const { api, db } = useApi();
  let admin: string;
  let triager: string;
  let viewer: string;
  // Two weeks ago, whatever today is: inside the default 12-week window.
  const week = isoWeekOf(new Date(Date.now() - 14 * 86_400_000), ZONE);
  const { start } = weekBounds(week, ZONE);
  const at = (day: number, hour = 10) =>
    new Date(start.getTime() + (day * 24 + hour) * 3_600_000).toISOString();

  beforeAll(async () => {
    [admin, triager, viewer] = await Promise.all([
      api.key(Role.Admin),
      api.key(Role.Triager),
      api.key(Role.Viewer),
    ]);
  });

  const weekly = async (key: string) =>
    (
      (await http(api.url, 'GET', `/api/v1/kpis/${key}/weekly?weeks=12`, { key: viewer })).body as {
        isoWeek: string;
        value: number | null;
        n: number;
        ci95: number | null;
      }[]
    ).find((row) => row.isoWeek === week);

  it('ships the reference team’s six KPIs and the monitors’ availability, which admins retarget', async () => {
    const listed = await http(api.url, 'GET', '/api/v1/kpis', { key: viewer });
    expect(listed.body.map((kpi: { key: string }) => kpi.key)).toEqual([
      'booking_journey_time',
      'csat',
      'error_page_rate',
      'error_rate',
      'journey_availability',
      'nps',
      'page_load_time',
    ]);
    const body = { name: 'Page load time', unit: 'ms', direction: 'lower', target: 1500 };
    expect((await http(api.url, 'PUT', '/api/v1/kpis/page_load_time', { key: triager, body })).status).toBe(
      403,
    );
    expect((await http(api.url, 'PUT', '/api/v1/kpis/Bad-Key', { key: admin, body })).status).toBe(400);
    expect(
      (
        await http(api.url, 'PUT', '/api/v1/kpis/page_load_time', {
          key: admin,
          body: { ...body, direction: 'up' },
        })
      ).status,
    ).toBe(400);
    const retargeted = await http(api.url, 'PUT', '/api/v1/kpis/page_load_time', { key: admin, body });
    expect(retargeted.body).toMatchObject({ key: 'page_load_time', target: 1500, direction: 'lower' });
  });

  it('takes pushed points once per instant and gives their weekly mean', async () => {
    const points = [
      { at: at(0), value: 1800 },
      { at: at(1), value: 2200 },
      { at: at(2), value: 2000 },
    ];
    const push = (body: unknown, key = triager) =>
      http(api.url, 'POST', '/api/v1/kpis/page_load_time/points', { key, body });
    expect((await push({ points })).body).toEqual({ stored: 3 });
    expect((await push({ points })).status).toBe(200);
    expect(await weekly('page_load_time')).toMatchObject({ value: 2000, n: 3 });
    expect((await push({ points }, viewer)).status).toBe(403);
    expect((await push({ points: [{ at: 'yesterday', value: 1 }] })).status).toBe(400);
    expect((await push({ points: [{ at: at(3), value: 'fast' }] })).status).toBe(400);
    expect((await push({ points: [] })).status).toBe(400);
    expect(
      (await http(api.url, 'POST', '/api/v1/kpis/nps/points', { key: triager, body: { points } })).status,
    ).toBe(400);
    expect(
      (await http(api.url, 'POST', '/api/v1/kpis/unknown_kpi/points', { key: triager, body: { points } }))
        .status,
    ).toBe(404);
  });

  it('computes NPS and CSAT per week from answers, once per answer, comments as verbatims', async () => {
    const nps = [10, 10, 9, 9, 9, 8, 7, 8, 3, 6].map((score, i) => ({
      answerId: `nps-${i}`,
      kind: 'nps',
      score,
      answeredAt: at(i % 5),
      customer: `customer-${i}@example.com`,
      ...(score <= 6
        ? { comment: 'Paiement refusé au 3-D Secure, impossible de payer mon billet', lang: 'fr' }
        : {}),
    }));
    const csat = [5, 4, 4, 2].map((score, i) => ({
      answerId: `csat-${i}`,
      kind: 'csat',
      score,
      answeredAt: at(1),
    }));
    const post = (answers: unknown[]) =>
      http(api.url, 'POST', '/api/v1/surveys/answers', { key: triager, body: { answers } });
    expect((await post([...nps, ...csat])).body).toEqual({ stored: 14, duplicates: 0 });
    expect((await post(nps)).body).toEqual({ stored: 0, duplicates: 10 });
    expect((await post([{ ...nps[0], answerId: 'x', score: 11 }])).status).toBe(400);
    expect((await post([{ ...csat[0], answerId: 'y', score: 0 }])).status).toBe(400);
    expect((await post([{ ...nps[0], answerId: 'z', kind: 'ces' }])).status).toBe(400);

    // 5 promoters, 3 passives, 2 detractors: 50% - 20% = 30.
    expect(await weekly('nps')).toMatchObject({ value: 30, n: 10 });
    expect((await weekly('nps'))?.ci95).toBeGreaterThan(0);
    expect(await weekly('csat')).toMatchObject({ value: 75, n: 4 });

    // The detractors' comments are verbatims, counted on the board as detractors who mention it.
    const rows = await query<{ id: string; channel: string }>(db.url, `SELECT id, channel FROM verbatim`);
    expect(rows).toHaveLength(2);
    expect(rows.every((row) => row.channel === 'survey')).toBe(true);
    await waitForLastStage(
      db.url,
      rows.map((row) => row.id),
    );
    const board = await http(api.url, 'GET', `/api/v1/boards/${week}`, { key: viewer });
    expect(board.body.items[0].axes.client.reasons).toContain('2 NPS detractors mention it');
  });

  it('imports a web-analytics CSV export, all or nothing, naming every bad line', async () => {
    const post = (csv: string) =>
      fetch(`${api.url}/api/v1/kpis/import`, {
        method: 'POST',
        headers: { authorization: `Bearer ${triager}`, 'content-type': 'text/csv' },
        body: csv,
      });
    const good = `kpi,at,value\nerror_page_rate,${at(0)},1.4\nerror_page_rate,${at(1)},0.8\nerror_rate,${at(1)},0.3\n`;
    const imported = await post(good);
    expect(imported.status).toBe(200);
    expect(await imported.json()).toEqual({ stored: 3, kpis: { error_page_rate: 2, error_rate: 1 } });
    expect(await weekly('error_page_rate')).toMatchObject({ value: 1.1, n: 2 });
    const bad = await post(
      `kpi,at,value\nerror_rate,${at(2)},0.2\nbounce,${at(2)},3\nerror_rate,last week,1\nnps,${at(2)},10\nerror_rate,${at(3)},lots\n`,
    );
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toBe(
      'line 3: unknown KPI "bounce"; line 4: "last week" is not an ISO date; ' +
        'line 5: nps is computed from survey answers; line 6: value must be a number',
    );
    expect((await weekly('error_rate'))?.n).toBe(1);
    expect((await post('kpi,at\n"unclosed')).status).toBe(400);
  });

  it('lists KPIs with this week, the week before and the trend; metrics for admins', async () => {
    const listed = await http(api.url, 'GET', '/api/v1/kpis', { key: viewer });
    const pageLoad = listed.body.find((kpi: { key: string }) => kpi.key === 'page_load_time');
    expect(pageLoad).toMatchObject({
      target: 1500,
      current: expect.objectContaining({ isoWeek: expect.any(String) }),
    });
    expect(['up', 'down', 'flat', null]).toContain(pageLoad.trend);
    const metrics = await fetch(`${api.url}/metrics`, { headers: { authorization: `Bearer ${admin}` } });
    expect(metrics.status).toBe(200);
    const text = await metrics.text();
    expect(text).toMatch(/loveboard_verbatims\{stage="clustered"\} 2/);
    expect(text).toContain('loveboard_process_cpu_user_seconds_total');
    expect(
      (await fetch(`${api.url}/metrics`, { headers: { authorization: `Bearer ${viewer}` } })).status,
    ).toBe(403);
    expect((await fetch(`${api.url}/metrics`)).status).toBe(401);
  });
});
