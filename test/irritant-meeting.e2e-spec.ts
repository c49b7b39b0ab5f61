import { Role } from '@app/database';
import { useApi } from './support/app';
import { verbatim } from './support/builders';
import { waitForLastStage } from './support/database';
import { http } from './support/http';

// Wednesday of 2026-W48 in Paris: the week is running, so its figures are partial.
const NOW = '2026-11-25T10:00:00+01:00';

/**
 * What the irritant page and the explorer read for the Monday meeting: customers per week, names
 * (not ids) in histories, the irritant's name and a language filter in lists, and KPI standings
 * that take the interval into account.
 */
describe('irritant page and explorer reads', () => {
  const { api, db } = useApi({ env: { CLOCK_START: NOW } });
  let triager: string;
  let viewer: string;
  let irritantId: string;
  const text = 'Paiement refusé à l’étape 3-D Secure, ma banque dit que tout va bien';

  beforeAll(async () => {
    [triager, viewer] = await Promise.all([api.key(Role.Triager), api.key(Role.Viewer)]);
    // Two customers in W46 (one writes twice), one in W47, none in W45, one so far in W48.
    const rows = [
      ['ann@example.com', '2026-11-10T09:00:00Z', 'fr'],
      ['ann@example.com', '2026-11-12T09:00:00Z', 'fr'],
      ['ben@example.com', '2026-11-13T09:00:00Z', 'fr'],
      ['cat@example.com', '2026-11-18T09:00:00Z', 'fr'],
      ['dan@example.com', '2026-11-24T09:00:00Z', 'fr'],
    ] as const;
    const posted = await http(api.url, 'POST', '/api/v1/verbatims', {
      key: triager,
      body: rows.map(([author, receivedAt, lang], i) =>
        verbatim({
          source: 'meeting',
          externalId: `m-${i}`,
          author,
          receivedAt,
          lang,
          text: `${text} (${i})`,
        }),
      ),
    });
    expect(posted.status).toBe(201);
    const english = await http(api.url, 'POST', '/api/v1/verbatims', {
      key: triager,
      body: [
        verbatim({
          source: 'meeting',
          externalId: 'm-en',
          receivedAt: '2026-11-19T09:00:00Z',
          lang: 'en',
          text: 'The station lift has been out of order for a month, with a pram it is impossible',
        }),
      ],
    });
    await waitForLastStage(db.url, [
      ...posted.body.items.map((item: { id: string }) => item.id),
      english.body.items[0].id,
    ]);
    const listed = await http(api.url, 'GET', '/api/v1/irritants?category=payment', { key: viewer });
    irritantId = listed.body[0].id;
    expect(listed.body[0].verbatimCount).toBe(5);
  });

  it('counts distinct customers per week over the weeks asked, the running week marked partial', async () => {
    const weekly = await http(api.url, 'GET', `/api/v1/irritants/${irritantId}/weekly?weeks=4`, {
      key: viewer,
    });
    expect(weekly.status).toBe(200);
    expect(weekly.body).toEqual([
      { isoWeek: '2026-W45', customers: 0, verbatims: 0, partial: false },
      { isoWeek: '2026-W46', customers: 2, verbatims: 3, partial: false },
      { isoWeek: '2026-W47', customers: 1, verbatims: 1, partial: false },
      { isoWeek: '2026-W48', customers: 1, verbatims: 1, partial: true },
    ]);
    const twelve = await http(api.url, 'GET', `/api/v1/irritants/${irritantId}/weekly`, { key: viewer });
    expect(twelve.body).toHaveLength(12);
    expect(twelve.body[0].isoWeek).toBe('2026-W37');

    expect(
      (await http(api.url, 'GET', `/api/v1/irritants/${irritantId}/weekly?weeks=0`, { key: viewer })).status,
    ).toBe(400);
    expect(
      (await http(api.url, 'GET', `/api/v1/irritants/${irritantId}/weekly?weeks=abc`, { key: viewer }))
        .status,
    ).toBe(400);
    const unknown = await http(
      api.url,
      'GET',
      '/api/v1/irritants/00000000-0000-4000-8000-000000000000/weekly',
      {
        key: viewer,
      },
    );
    expect(unknown.status).toBe(404);
    expect((await http(api.url, 'GET', `/api/v1/irritants/${irritantId}/weekly`)).status).toBe(401);
  });

  it('names who overrode and who decided, not their ids', async () => {
    const override = await http(api.url, 'PUT', `/api/v1/irritants/${irritantId}/axes/legal`, {
      key: triager,
      body: { score: 80, reason: 'Card data at stake' },
    });
    expect(override.status).toBe(200);
    const history = await http(api.url, 'GET', `/api/v1/irritants/${irritantId}/overrides`, { key: viewer });
    expect(history.body).toEqual([
      expect.objectContaining({
        axis: 'legal',
        score: 80,
        by: expect.stringMatching(/^apikey:/),
        byName: 'test triager',
      }),
    ]);

    const decided = await http(api.url, 'POST', `/api/v1/boards/2026-W48/items/${irritantId}/decision`, {
      key: triager,
      body: { kind: 'watch' },
    });
    expect(decided.status).toBe(201);
    const decisions = await http(api.url, 'GET', `/api/v1/boards/2026-W48/items/${irritantId}/decisions`, {
      key: viewer,
    });
    expect(decisions.body).toEqual([expect.objectContaining({ kind: 'watch', byName: 'test triager' })]);
  });

  it('lists verbatims with their irritant’s name, filtered by language on demand', async () => {
    const all = await http(api.url, 'GET', '/api/v1/verbatims?source=meeting', { key: viewer });
    expect(all.body.items).toHaveLength(6);
    const payment = all.body.items.filter((item: { irritantId: string }) => item.irritantId === irritantId);
    const label = (await http(api.url, 'GET', `/api/v1/irritants/${irritantId}`, { key: viewer })).body.label;
    expect(payment).toHaveLength(5);
    for (const item of payment) expect(item.irritantLabel).toBe(label);

    const english = await http(api.url, 'GET', '/api/v1/verbatims?source=meeting&lang=en', { key: viewer });
    expect(english.body.items.map((item: { lang: string }) => item.lang)).toEqual(['en']);
    const french = await http(api.url, 'GET', '/api/v1/verbatims?source=meeting&lang=fr', { key: viewer });
    expect(french.body.items).toHaveLength(5);
    const bad = await http(api.url, 'GET', '/api/v1/verbatims?lang=french', { key: viewer });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/lang must be a two-letter language code/);
  });

  it('says "on target" only when the whole interval is on the right side of the target', async () => {
    // NPS target 30: two promoters and a detractor make 33, above the target, but from three
    // answers: the interval spans the target, so the answer is "not enough answers".
    const answers = [
      { answerId: 'a1', kind: 'nps', score: 10, answeredAt: '2026-11-24T10:00:00Z' },
      { answerId: 'a2', kind: 'nps', score: 2, answeredAt: '2026-11-24T11:00:00Z' },
      { answerId: 'a3', kind: 'nps', score: 10, answeredAt: '2026-11-24T12:00:00Z' },
    ];
    expect(
      (await http(api.url, 'POST', '/api/v1/surveys/answers', { key: triager, body: { answers } })).status,
    ).toBe(200);
    const kpis = await http(api.url, 'GET', '/api/v1/kpis', { key: viewer });
    const nps = kpis.body.find((kpi: { key: string }) => kpi.key === 'nps');
    expect(nps.current).toMatchObject({ isoWeek: '2026-W48', n: 3, partial: true });
    expect(nps.current.value).toBeGreaterThan(30);
    expect(nps.current.value - nps.current.ci95).toBeLessThan(30);
    expect(nps).toMatchObject({ standing: 'uncertain', onTarget: null });

    const weekly = await http(api.url, 'GET', '/api/v1/kpis/nps/weekly?weeks=3', { key: viewer });
    expect(weekly.body.map((week: { partial: boolean }) => week.partial)).toEqual([false, false, true]);
    const none = kpis.body.find((kpi: { key: string }) => kpi.key === 'csat');
    expect(none).toMatchObject({ standing: 'no_value', onTarget: null });
  });
});
