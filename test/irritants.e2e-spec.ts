import { Role } from '@app/database';
import { JobName, JobQueue } from '@app/jobs';
import { RunningApi, startApi, testConfig } from './support/app';
import { verbatim } from './support/builders';
import { TestDatabase, createTestDatabase, query } from './support/database';
import { http } from './support/http';

/** Near-duplicate verbatims become one irritant, counted in distinct customers across channels. */
describe('irritants', () => {
  let db: TestDatabase;
  let api: RunningApi;
  let triager: string;
  let viewer: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    api = await startApi(testConfig({ DATABASE_URL: db.url }));
    triager = await api.key(Role.Triager);
    viewer = await api.key(Role.Viewer);
  });

  afterAll(async () => {
    await api?.close();
    await db?.drop();
  });

  const waitClustered = async (ids: string[]) => {
    for (let i = 0; i < 150; i++) {
      const [{ n }] = await query<{ n: string }>(
        db.url,
        `SELECT count(*) AS n FROM verbatim WHERE id = ANY($1) AND stage = 'clustered'`,
        [ids],
      );
      if (Number(n) === ids.length) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('verbatims were never clustered');
  };

  it('groups near-duplicates of a category and counts distinct customers across channels', async () => {
    const complaints = [
      ['alice@example.com', 'email', 'Paiement refusé à l’étape 3-D Secure, ma banque dit que tout va bien'],
      ['bob@example.com', 'chat', 'mon paiement est refusé au moment du 3-D Secure sur mobile'],
      [
        'carol@example.com',
        'twitter',
        '@LoveRail paiement refusé encore au 3D Secure, la banque valide pourtant',
      ],
      // The same customer on a second channel: one more verbatim, not one more customer.
      [
        'alice@example.com',
        'chat',
        'toujours ce paiement refusé après la validation 3-D Secure de ma banque',
      ],
      [
        'dave@example.com',
        'forum',
        'Le contrôleur du TGV a été très désagréable, aucune annonce du retard à bord',
      ],
    ] as const;
    const posted = await http(api.url, 'POST', '/api/v1/verbatims', {
      key: triager,
      body: complaints.map(([author, channel, text], i) =>
        verbatim({ source: 'irritants', externalId: `i-${i}`, author, channel, text, lang: 'fr' }),
      ),
    });
    const ids: string[] = posted.body.items.map((item: { id: string }) => item.id);
    await waitClustered(ids);

    const rows = await query<{ irritant_id: string; category: string }>(
      db.url,
      'SELECT irritant_id, category FROM verbatim WHERE id = ANY($1) ORDER BY external_id',
      [ids],
    );
    expect(rows.slice(0, 4).map((row) => row.category)).toEqual(['payment', 'payment', 'payment', 'payment']);
    expect(new Set(rows.slice(0, 4).map((row) => row.irritant_id)).size).toBe(1);
    expect(rows[4].irritant_id).not.toBe(rows[0].irritant_id);

    const listed = await http(api.url, 'GET', '/api/v1/irritants?category=payment', { key: viewer });
    expect(listed.status).toBe(200);
    expect(listed.body[0]).toMatchObject({ id: rows[0].irritant_id, verbatimCount: 4, distinctCustomers: 3 });
    expect(listed.body[0].label).toMatch(/refus|3-d|secure|paiement/i);

    const detail = await http(api.url, 'GET', `/api/v1/irritants/${rows[0].irritant_id}`, { key: viewer });
    expect(detail.body.quotes).toHaveLength(4);
    expect(JSON.stringify(detail.body)).not.toContain('alice@example.com');
  });

  it('changes nothing when clustering work is replayed', async () => {
    const before = await query(
      db.url,
      'SELECT id, verbatim_count, distinct_customers, centroid FROM irritant ORDER BY id',
    );
    const ids = (await query<{ id: string }>(db.url, 'SELECT id FROM verbatim')).map((row) => row.id);
    await api.app.get(JobQueue).requeue(JobName.ClusterVerbatims, { verbatimIds: ids });
    await api.app.get(JobQueue).requeue(JobName.AnalyzeVerbatims, { verbatimIds: ids });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const after = await query(
      db.url,
      'SELECT id, verbatim_count, distinct_customers, centroid FROM irritant ORDER BY id',
    );
    expect(after).toEqual(before);
  });

  it('answers 404 for an unknown irritant and 400 for a malformed filter', async () => {
    expect(
      (await http(api.url, 'GET', '/api/v1/irritants/00000000-0000-4000-8000-000000000000', { key: viewer }))
        .status,
    ).toBe(404);
    expect(
      (await http(api.url, 'GET', '/api/v1/irritants?category=DROP%20TABLE', { key: viewer })).status,
    ).toBe(400);
    expect((await http(api.url, 'GET', '/api/v1/irritants')).status).toBe(401);
  });
});
