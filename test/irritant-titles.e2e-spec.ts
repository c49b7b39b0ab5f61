import { Role } from '@app/database';
import { useApi } from './support/app';
import { verbatim } from './support/builders';
import { query, waitForLastStage } from './support/database';
import { http } from './support/http';
import { until } from './support/wait';

const WEEK = '2026-W44';

/**
 * Irritants are titled in their customers' words by the retitling job, and a triager's name wins
 * over the generated title on the irritant, the board, tickets and the digest, kept when the title
 * is recomputed.
 */
describe('irritant titles and names', () => {
  const { api, db } = useApi();
  let triager: string;
  let viewer: string;
  let developer: string;
  let irritantId: string;

  const complaints = [
    'Bonjour, paiement refusé à la validation 3-D Secure sur mobile, ma banque dit que tout va bien. Merci',
    'Pareil que tout le monde ici, paiement refusé à la validation 3-D Secure sur mobile. Sur PC nickel.',
    'Bonsoir, encore un paiement refusé à la validation 3-D Secure ce matin, commande 4815162342',
    'Paiement refusé à la validation 3-D Secure sur mobile, j’ai essayé trois fois avec deux cartes',
  ];

  const post = (texts: string[], from: number) =>
    http(api.url, 'POST', '/api/v1/verbatims', {
      key: triager,
      body: texts.map((text, i) =>
        verbatim({
          source: 'titles',
          externalId: `t-${from + i}`,
          author: `client-${from + i}@example.com`,
          text,
          lang: 'fr',
          receivedAt: '2026-10-27T10:00:00Z',
        }),
      ),
    });

  const detail = async () =>
    (await http(api.url, 'GET', `/api/v1/irritants/${irritantId}`, { key: viewer })).body as {
      label: string;
      name: string | null;
      title: string | null;
      quote: string | null;
      verbatimCount: number;
    };

  beforeAll(async () => {
    // Thursday of the board's week: the board of 2026-W44 is live.
    api.clock.freeze(new Date('2026-10-29T10:00:00Z'));
    [triager, viewer, developer] = await Promise.all([
      api.key(Role.Triager),
      api.key(Role.Viewer),
      api.key(Role.Developer),
    ]);
    const posted = await post(complaints, 0);
    const ids: string[] = posted.body.items.map((item: { id: string }) => item.id);
    await waitForLastStage(db.url, ids);
    const rows = await query<{ irritant_id: string; n: string }>(
      db.url,
      `SELECT irritant_id, count(*) AS n FROM verbatim WHERE id = ANY($1) GROUP BY irritant_id ORDER BY n DESC`,
      [ids],
    );
    irritantId = rows[0].irritant_id;
  });

  it('titles an irritant with a phrase its customers wrote, and quotes its most representative verbatim', async () => {
    const titled = await until(detail, (body) => body.title !== null, {
      what: 'the retitling job',
      timeoutMs: 90_000,
    });
    expect(titled.title).toMatch(/paiement refusé/);
    expect(titled.title).not.toMatch(/bonjour|bonsoir|merci|4815162342|,/);
    expect(titled.title?.split(' ').length).toBeLessThanOrEqual(8);
    expect(titled.name).toBeNull();
    expect(titled.label).toBe(titled.title);
    expect(complaints.some((text) => text.includes(titled.quote ?? '∅'))).toBe(true);
    const listed = await http(api.url, 'GET', '/api/v1/irritants', { key: viewer });
    expect(listed.body.find((one: { id: string }) => one.id === irritantId)).toMatchObject({
      label: titled.title,
      title: titled.title,
      quote: titled.quote,
    });
  });

  it('lets triagers rename an irritant, not viewers or developers, and checks the name', async () => {
    const rename = (body: unknown, key?: string, id = irritantId) =>
      http(api.url, 'PATCH', `/api/v1/irritants/${id}`, { key, body });
    expect((await rename({ name: 'x' })).status).toBe(401);
    expect((await rename({ name: 'x' }, viewer)).status).toBe(403);
    expect((await rename({ name: 'x' }, developer)).status).toBe(403);
    expect((await rename({}, triager)).status).toBe(400);
    expect((await rename({ name: '   ' }, triager)).status).toBe(400);
    expect((await rename({ name: 42 }, triager)).status).toBe(400);
    expect((await rename({ name: 'x'.repeat(201) }, triager)).status).toBe(400);
    expect((await rename({ name: 'x', extra: true }, triager)).status).toBe(400);
    expect((await rename({ name: 'x' }, triager, '00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await detail()).name).toBeNull();

    const renamed = await rename({ name: '  Carte refusée <au> 3-D Secure  ' }, triager);
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({
      name: 'Carte refusée <au> 3-D Secure',
      label: 'Carte refusée <au> 3-D Secure',
    });
    expect(renamed.body.title).toMatch(/paiement refusé/);

    const audit = await query<{ action: string; before: unknown; after: unknown; actor: string }>(
      db.url,
      `SELECT action, before, after, actor FROM audit_event WHERE subject_id = $1 AND action = 'irritant.rename'`,
      [irritantId],
    );
    expect(audit).toEqual([
      {
        action: 'irritant.rename',
        before: { name: null },
        after: { name: 'Carte refusée <au> 3-D Secure' },
        actor: expect.any(String),
      },
    ]);
  });

  it('shows the name on the board, tickets and the digest (escaped), and keeps it when the title is recomputed', async () => {
    const name = 'Carte refusée <au> 3-D Secure';
    const board = await http(api.url, 'GET', `/api/v1/boards/${WEEK}`, { key: viewer });
    expect(
      board.body.items.find((item: { irritantId: string }) => item.irritantId === irritantId),
    ).toMatchObject({
      label: name,
    });
    const decided = await http(api.url, 'POST', `/api/v1/boards/${WEEK}/items/${irritantId}/decision`, {
      key: triager,
      body: { kind: 'fix', owner: 'payments-team' },
    });
    expect(decided.status).toBe(201);
    const tickets = await http(api.url, 'GET', '/api/v1/tickets', { key: developer });
    expect(tickets.body.items.find((t: { irritantId: string }) => t.irritantId === irritantId)).toMatchObject(
      {
        label: name,
      },
    );
    const text = await fetch(`${api.url}/api/v1/digests/${WEEK}?format=text`, {
      headers: { authorization: `Bearer ${viewer}` },
    });
    expect(await text.text()).toContain(name);
    const html = await (
      await fetch(`${api.url}/api/v1/digests/${WEEK}`, { headers: { authorization: `Bearer ${viewer}` } })
    ).text();
    expect(html).toContain('Carte refusée &lt;au&gt; 3-D Secure');
    expect(html).not.toContain('<au>');

    // More customers say it: the irritant grows, its title is recomputed, the name stays.
    const before = await detail();
    const more = await post(
      [
        'paiement refusé à la validation 3-D Secure sur mobile, impossible de payer',
        'Toujours ce paiement refusé à la validation 3-D Secure sur mobile',
      ],
      100,
    );
    await waitForLastStage(
      db.url,
      more.body.items.map((item: { id: string }) => item.id),
    );
    await until(
      async () =>
        (
          await query<{ titled_count: number; verbatim_count: number }>(
            db.url,
            'SELECT titled_count, verbatim_count FROM irritant WHERE id = $1',
            [irritantId],
          )
        )[0],
      (row) => row.verbatim_count > before.verbatimCount && row.titled_count === row.verbatim_count,
      { what: 'the title recomputed after the irritant grew', timeoutMs: 90_000 },
    );
    const after = await detail();
    expect(after).toMatchObject({ name, label: name, title: expect.stringMatching(/paiement refusé/) });

    // Lifting the name gives the irritant back its generated title.
    const lifted = await http(api.url, 'PATCH', `/api/v1/irritants/${irritantId}`, {
      key: triager,
      body: { name: null },
    });
    expect(lifted.body).toMatchObject({ name: null, label: after.title });
    const relisted = await http(api.url, 'GET', `/api/v1/boards/${WEEK}`, { key: viewer });
    expect(
      relisted.body.items.find((item: { irritantId: string }) => item.irritantId === irritantId).label,
    ).toBe(after.title);
  });
});
