import { Role } from '@app/database';
import { JobName, JobQueue } from '@app/jobs';
import { useApi } from './support/app';
import { verbatim } from './support/builders';
import { query, waitForLastStage } from './support/database';
import { http } from './support/http';

/** Near-duplicate verbatims become one irritant, counted in distinct customers across channels. */
describe('irritants', () => {
  const { api, db } = useApi();
  let triager: string;
  let viewer: string;

  beforeAll(async () => {
    triager = await api.key(Role.Triager);
    viewer = await api.key(Role.Viewer);
  });

  const waitClustered = (ids: string[]) => waitForLastStage(db.url, ids);

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
    await api.idle();
    const after = await query(
      db.url,
      'SELECT id, verbatim_count, distinct_customers, centroid FROM irritant ORDER BY id',
    );
    expect(after).toEqual(before);
  });

  it('merges two irritants as a triager decides, and sends their topic to the merged one afterwards', async () => {
    const posted = await http(api.url, 'POST', '/api/v1/verbatims', {
      key: triager,
      body: [
        verbatim({
          source: 'merge',
          externalId: 'm-1',
          author: 'e@example.com',
          text: 'Apple Pay ne fonctionne pas, Apple Pay est pourtant activé sur mon téléphone',
          lang: 'fr',
        }),
        verbatim({
          source: 'merge',
          externalId: 'm-2',
          author: 'f@example.com',
          text: 'PayPal affiche une erreur PayPal à chaque tentative, je ne peux pas utiliser PayPal',
          lang: 'fr',
        }),
      ],
    });
    const ids: string[] = posted.body.items.map((item: { id: string }) => item.id);
    await waitClustered(ids);
    const rows = await query<{ irritant_id: string; category: string }>(
      db.url,
      'SELECT irritant_id, category FROM verbatim WHERE id = ANY($1) ORDER BY external_id',
      [ids],
    );
    const [source, into] = rows.map((row) => row.irritant_id);
    expect(rows.map((row) => row.category)).toEqual(['payment', 'payment']);
    expect(source).not.toBe(into);

    const [expected] = await query<{ verbatims: number; customers: number }>(
      db.url,
      'SELECT count(*)::int AS verbatims, count(DISTINCT author_key)::int AS customers FROM verbatim WHERE irritant_id IN ($1, $2)',
      [source, into],
    );
    expect(
      (await http(api.url, 'POST', `/api/v1/irritants/${source}/merge`, { key: viewer, body: { into } }))
        .status,
    ).toBe(403);
    expect(
      (
        await http(api.url, 'POST', `/api/v1/irritants/${source}/merge`, {
          key: triager,
          body: { into: source },
        })
      ).status,
    ).toBe(400);
    const merged = await http(api.url, 'POST', `/api/v1/irritants/${source}/merge`, {
      key: triager,
      body: { into },
    });
    expect(merged.status).toBe(200);
    expect(merged.body).toMatchObject({
      id: into,
      verbatimCount: expected.verbatims,
      distinctCustomers: expected.customers,
    });
    // The merged-away id leads to the merged irritant (links and bookmarks keep working).
    const gone = await fetch(`${api.url}/api/v1/irritants/${source}`, {
      headers: { authorization: `Bearer ${viewer}` },
      redirect: 'manual',
    });
    expect(gone.status).toBe(301);
    expect(gone.headers.get('location')).toBe(`/api/v1/irritants/${into}`);
    expect((await http(api.url, 'GET', `/api/v1/irritants/${source}`, { key: viewer })).body.id).toBe(into);
    const audit = await query<{ action: string }>(
      db.url,
      `SELECT action FROM audit_event WHERE subject_id = $1`,
      [into],
    );
    expect(audit.map((row) => row.action)).toEqual(['irritant.merge']);

    // A later verbatim close to the merged-away one now joins the merged irritant.
    const later = await http(api.url, 'POST', '/api/v1/verbatims', {
      key: triager,
      body: verbatim({
        source: 'merge',
        externalId: 'm-3',
        author: 'g@example.com',
        text: 'Apple Pay ne fonctionne toujours pas, Apple Pay activé pourtant',
        lang: 'fr',
      }),
    });
    await waitClustered([later.body.items[0].id]);
    const [{ irritant_id: joined }] = await query<{ irritant_id: string }>(
      db.url,
      'SELECT irritant_id FROM verbatim WHERE id = $1',
      [later.body.items[0].id],
    );
    expect(joined).toBe(into);
  });

  it('puts the French and English versions of one complaint in one irritant, counting customers across both', async () => {
    const posted = await http(api.url, 'POST', '/api/v1/verbatims', {
      key: triager,
      body: [
        ['fr', 'h@example.com', 'Remboursement de mon train annulé toujours pas reçu après trois semaines'],
        ['en', 'i@example.com', 'Refund for my cancelled train still not received after three weeks'],
        ['en', 'j@example.com', 'I never received the refund for the cancelled train'],
      ].map(([lang, author, text], i) =>
        verbatim({ source: 'bilingual', externalId: `bi-${i}`, author, text, lang }),
      ),
    });
    const ids: string[] = posted.body.items.map((item: { id: string }) => item.id);
    await waitClustered(ids);
    const rows = await query<{ irritant_id: string; category: string }>(
      db.url,
      'SELECT irritant_id, category FROM verbatim WHERE id = ANY($1) ORDER BY external_id',
      [ids],
    );
    expect(new Set(rows.map((row) => row.category)).size).toBe(1);
    expect(new Set(rows.map((row) => row.irritant_id)).size).toBe(1);
    const detail = await http(api.url, 'GET', `/api/v1/irritants/${rows[0].irritant_id}`, { key: viewer });
    expect(detail.body.distinctCustomers).toBeGreaterThanOrEqual(3);
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

  it('keeps exact counts on a large irritant grown batch after batch', async () => {
    // Past a few hundred verbatims an irritant's counts are added to, not counted again: the
    // figures must stay those of its verbatims, whoever repeats and in whichever batch.
    const texts = [
      'my card payment was declined at the 3-D Secure step again',
      'card payment declined at 3-D Secure, the bank says all is fine',
      'again my card payment declined during the 3-D Secure check',
    ];
    // One large batch, then small ones: most of those grow it by less than a tenth.
    const sizes = [300, ...Array.from({ length: 12 }, () => 10)];
    const ids: string[] = [];
    for (const [batch, size] of sizes.entries()) {
      const posted = await http(api.url, 'POST', '/api/v1/verbatims', {
        key: triager,
        body: Array.from({ length: size }, (_, i) =>
          verbatim({
            source: 'irritants-large',
            externalId: `large-${batch}-${i}`,
            // 150 customers over 420 verbatims: most write several times, across batches, and
            // the small batches bring a few new ones.
            author: `customer-${batch === 0 ? i % 150 : 140 + ((batch * 7 + i) % 30)}@example.com`,
            channel: 'email',
            text: texts[(batch + i) % texts.length],
            lang: 'en',
          }),
        ),
      });
      expect(posted.status).toBe(201);
      const batchIds = posted.body.items.map((item: { id: string }) => item.id);
      ids.push(...batchIds);
      await waitClustered(batchIds);
    }
    const truth = await query<{ irritant_id: string; verbatims: number; customers: number }>(
      db.url,
      `SELECT irritant_id, count(*)::int AS verbatims, count(DISTINCT author_key)::int AS customers
         FROM verbatim WHERE irritant_id IN (SELECT irritant_id FROM verbatim WHERE id = ANY($1))
        GROUP BY irritant_id ORDER BY verbatims DESC`,
      [ids],
    );
    expect(truth[0].verbatims).toBeGreaterThan(300);
    const stored = await query<{ id: string; verbatim_count: number; distinct_customers: number }>(
      db.url,
      'SELECT id, verbatim_count, distinct_customers FROM irritant WHERE id = ANY($1)',
      [truth.map((row) => row.irritant_id)],
    );
    for (const row of truth) {
      expect(stored.find((irritant) => irritant.id === row.irritant_id)).toMatchObject({
        verbatim_count: row.verbatims,
        distinct_customers: row.customers,
      });
    }
  });
});
