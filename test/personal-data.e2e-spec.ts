import { PrivacyService } from '@app/analysis';
import { Role } from '@app/database';
import { ExternalIds } from '@app/ingest';
import { useApi } from './support/app';
import { verbatim } from './support/builders';
import { query, waitForLastStage } from './support/database';
import { http } from './support/http';

const HASHED = /^h:[0-9a-f]{64}$/;

/**
 * Issue 19, finding 3: personal data outside the redacted text. A source's id that names a person
 * (an e-mail address as id) is stored as a keyed hash and never shown to viewers; metadata is
 * redacted before it is stored, and the retention job redacts what older rows kept.
 */
describe('personal data outside the text (issue 19)', () => {
  const { api, db } = useApi({ env: { RAW_TEXT_RETENTION_DAYS: '30' } });
  let triager: string;
  let viewer: string;
  let admin: string;

  beforeAll(async () => {
    [triager, viewer, admin] = await Promise.all([
      api.key(Role.Triager),
      api.key(Role.Viewer),
      api.key(Role.Admin),
    ]);
  });

  const post = (items: unknown[]) =>
    http(api.url, 'POST', '/api/v1/verbatims', { key: triager, body: items });

  it('stores an id naming a person as a keyed hash, replays it idempotently, and hides it from viewers', async () => {
    const item = verbatim({
      source: 'pd-ids',
      externalId: 'jeanne.dupont@example.com',
      metadata: {
        subject: 'Rappelez-moi au 06 12 34 56 78',
        from: { name: 'Jeanne', address: 'jeanne.dupont@example.com' },
        cc: ['paul@example.org', 'tel 020 7946 0958'],
        npsScore: 3,
        urgent: true,
      },
    });
    const first = await post([item, verbatim({ source: 'pd-ids', externalId: 'order-2026-000123' })]);
    expect(first.status).toBe(201);
    expect(first.body.items.map((i: { externalId: string }) => i.externalId)).toEqual([
      'jeanne.dupont@example.com',
      'order-2026-000123',
    ]);
    const replay = await post([item]);
    expect(replay.body).toMatchObject({ created: 0, duplicates: 1 });
    expect(replay.body.items[0].id).toBe(first.body.items[0].id);

    const rows = await query<{ external_id: string; metadata: Record<string, unknown> }>(
      db.url,
      `SELECT v.external_id, v.metadata FROM verbatim v JOIN source s ON s.id = v.source_id
        WHERE s.name = 'pd-ids' ORDER BY v.received_at, v.external_id`,
    );
    expect(rows).toHaveLength(2);
    const hashed = rows.find((row) => HASHED.test(row.external_id));
    expect(hashed).toBeDefined();
    // An opaque reference stays readable: support finds a message by it.
    expect(rows.map((row) => row.external_id)).toContain('order-2026-000123');
    const stored = JSON.stringify(rows);
    expect(stored).not.toMatch(/jeanne|paul@|06 12 34|7946/);
    expect(hashed?.metadata).toEqual({
      subject: 'Rappelez-moi au [PHONE]',
      from: { name: 'Jeanne', address: '[EMAIL]' },
      cc: ['[EMAIL]', 'tel [PHONE]'],
      npsScore: 3,
      urgent: true,
    });

    const id = first.body.items[0].id as string;
    const asViewer = await http(api.url, 'GET', `/api/v1/verbatims/${id}`, { key: viewer });
    expect(asViewer.status).toBe(200);
    expect(asViewer.body.externalId).toBeNull();
    expect(JSON.stringify(asViewer.body)).not.toMatch(/jeanne\.dupont|h:[0-9a-f]{64}/);
    const list = await http(api.url, 'GET', '/api/v1/verbatims?source=pd-ids', { key: viewer });
    expect(list.body.items.map((v: { externalId: string | null }) => v.externalId)).toEqual([null, null]);
  });

  it('keeps two ids apart that differ only in a lone surrogate', async () => {
    const posted = await post([
      verbatim({ source: 'pd-surrogates', externalId: 'msg-\ud800' }),
      verbatim({ source: 'pd-surrogates', externalId: 'msg-\udc00' }),
      verbatim({ source: 'pd-surrogates', externalId: 'msg-\ufffd' }),
    ]);
    expect(posted.status).toBe(201);
    expect(posted.body).toMatchObject({ created: 3, duplicates: 0 });
    expect(new Set(posted.body.items.map((i: { id: string }) => i.id)).size).toBe(3);
    const replay = await post([verbatim({ source: 'pd-surrogates', externalId: 'msg-\udc00' })]);
    expect(replay.body).toMatchObject({ created: 0, duplicates: 1 });
    expect(replay.body.items[0].id).toBe(posted.body.items[1].id);
  });

  it('hashes the ids stored in clear before, and redacts older metadata at retention', async () => {
    const old = new Date(Date.now() - 90 * 86_400_000).toISOString();
    const posted = await post([
      verbatim({
        source: 'pd-legacy',
        externalId: 'legacy-1',
        receivedAt: old,
        text: 'Écrivez à claire@example.com',
      }),
    ]);
    await waitForLastStage(db.url, [posted.body.items[0].id]);
    // What a row stored before this release looks like: its id and metadata in clear.
    await query(
      db.url,
      `UPDATE verbatim SET external_id = 'claire@example.com',
         metadata = '{"subject": "claire@example.com", "phone": "+33 6 12 34 56 78", "score": 7}'::jsonb
        WHERE id = $1`,
      [posted.body.items[0].id],
    );
    expect(await api.app.get(ExternalIds).hashStoredInClear()).toBeGreaterThanOrEqual(1);
    const replay = await post([verbatim({ source: 'pd-legacy', externalId: 'claire@example.com' })]);
    expect(replay.body).toMatchObject({ created: 0, duplicates: 1 });

    expect(await api.app.get(PrivacyService).purge(new Date())).toBeGreaterThanOrEqual(1);
    const [row] = await query<{ external_id: string; metadata: unknown; raw_text: string }>(
      db.url,
      'SELECT external_id, metadata, raw_text FROM verbatim WHERE id = $1',
      [posted.body.items[0].id],
    );
    expect(row.external_id).toMatch(HASHED);
    expect(row.metadata).toEqual({ subject: '[EMAIL]', phone: '[PHONE]', score: 7 });
    expect(row.raw_text).not.toContain('claire@');
  });

  it('finds a person by e-mail or phone for an admin, and skips their replayed messages once erased', async () => {
    const byMail = verbatim({ source: 'pd-erasure', externalId: 'm-1', author: 'Marie.Curie@example.com' });
    const byPhone = verbatim({
      source: 'pd-erasure',
      externalId: 's-1',
      author: '+33698765432',
      channel: 'chat',
    });
    const posted = await post([byMail, byPhone]);
    expect(posted.body).toMatchObject({ created: 2 });

    const lookup = (params: string, key = admin) =>
      http(api.url, 'GET', `/api/v1/people/lookup?${params}`, { key });
    expect((await lookup('email=marie.curie@example.com', triager)).status).toBe(403);
    expect((await lookup('')).status).toBe(400);
    const mail = await lookup('email=marie.curie@example.com');
    expect(mail.status).toBe(200);
    expect(mail.body).toEqual([
      { authorKey: expect.stringMatching(/^[0-9a-f]{64}$/), verbatims: 1, erased: false },
    ]);
    const phone = await lookup(`phone=${encodeURIComponent('06 98 76 54 32')}`);
    expect(phone.body).toEqual([
      { authorKey: expect.stringMatching(/^[0-9a-f]{64}$/), verbatims: 1, erased: false },
    ]);
    expect((await lookup('email=nobody@example.com')).body).toEqual([]);

    for (const found of [mail.body[0], phone.body[0]]) {
      const erased = await http(api.url, 'DELETE', `/api/v1/people/${found.authorKey}`, { key: admin });
      expect(erased.status).toBe(200);
    }
    // A source replays their messages (a mailbox read again): skipped, not stored.
    const replay = await post([
      byMail,
      byPhone,
      verbatim({ source: 'pd-erasure', externalId: 'm-2', author: 'marie.curie@example.com' }),
    ]);
    expect(replay.status).toBe(200);
    expect(replay.body).toMatchObject({ created: 0, duplicates: 0 });
    expect(
      replay.body.items.map((item: { status: string; id: string | null }) => [item.status, item.id]),
    ).toEqual([
      ['suppressed', null],
      ['suppressed', null],
      ['suppressed', null],
    ]);
    const [{ n }] = await query<{ n: number }>(
      db.url,
      `SELECT count(*)::int AS n FROM verbatim v JOIN source s ON s.id = v.source_id WHERE s.name = 'pd-erasure'`,
    );
    expect(n).toBe(0);
    expect((await lookup('email=marie.curie@example.com')).body).toEqual([
      { authorKey: mail.body[0].authorKey, verbatims: 0, erased: true },
    ]);
    // Someone else still gets in.
    expect((await post([verbatim({ source: 'pd-erasure', externalId: 'o-1' })])).body).toMatchObject({
      created: 1,
    });
  });
});
