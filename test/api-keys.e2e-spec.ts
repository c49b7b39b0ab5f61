import { Role } from '@app/database';
import { FIRST_START_KEY_DAYS, FirstStart } from '../apps/api/src/embedded/first-start';
import { useApi } from './support/app';
import { query } from './support/database';
import { http } from './support/http';

interface KeyView {
  id: string;
  name: string;
  prefix: string;
  role: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
  status: string;
}

/** Issue 19, finding 7: API keys listed with their last use, revoked, expiring and rotated. */
describe('API keys (issue 19)', () => {
  const { api, db } = useApi();
  let admin: string;

  beforeAll(async () => {
    admin = await api.key(Role.Admin);
  });

  const list = async () => (await http(api.url, 'GET', '/api/v1/api-keys', { key: admin })).body as KeyView[];
  const create = (body: Record<string, unknown>) =>
    http(api.url, 'POST', '/api/v1/api-keys', { key: admin, body });
  const me = (key: string) => http(api.url, 'GET', '/api/v1/me', { key });

  it('lists keys with their last use, never a key or its hash', async () => {
    const created = await create({ name: 'zendesk bridge', role: 'triager', expiresInDays: 30 });
    expect(created.status).toBe(201);
    const { key, apiKey } = created.body as { key: string; apiKey: KeyView };
    expect(key).toMatch(/^lb_/);
    expect(apiKey).toMatchObject({
      name: 'zendesk bridge',
      role: 'triager',
      status: 'active',
      lastUsedAt: null,
    });
    expect(Date.parse(apiKey.expiresAt ?? '') - Date.now()).toBeGreaterThan(29 * 86_400_000);
    expect((await me(key)).status).toBe(200);
    const listed = await list();
    const row = listed.find((one) => one.id === apiKey.id);
    expect(row?.lastUsedAt).not.toBeNull();
    expect(JSON.stringify(listed)).not.toContain(key);
    expect(JSON.stringify(listed)).not.toMatch(/"hash"/);
    expect((await create({ name: 'x', role: 'root' })).status).toBe(400);
    expect((await create({ name: 'x', role: 'viewer', expiresInDays: 0 })).status).toBe(400);
  });

  it('revokes a key: refused at once, shown revoked', async () => {
    const { key, apiKey } = (await create({ name: 'leaked', role: 'admin' })).body as {
      key: string;
      apiKey: KeyView;
    };
    expect((await me(key)).status).toBe(200);
    const revoked = await http(api.url, 'DELETE', `/api/v1/api-keys/${apiKey.id}`, { key: admin });
    expect(revoked.status).toBe(200);
    expect(revoked.body.status).toBe('revoked');
    expect((await me(key)).status).toBe(401);
    expect((await http(api.url, 'DELETE', `/api/v1/api-keys/${apiKey.id}`, { key: admin })).status).toBe(409);
    expect(
      (await http(api.url, 'DELETE', '/api/v1/api-keys/00000000-0000-4000-8000-000000000000', { key: admin }))
        .status,
    ).toBe(404);
  });

  it('refuses an expired key', async () => {
    const { key, apiKey } = (await create({ name: 'short-lived', role: 'viewer', expiresInDays: 1 }))
      .body as {
      key: string;
      apiKey: KeyView;
    };
    await query(db.url, `UPDATE api_key SET expires_at = now() - interval '1 second' WHERE id = $1`, [
      apiKey.id,
    ]);
    expect((await me(key)).status).toBe(401);
    expect((await list()).find((one) => one.id === apiKey.id)?.status).toBe('expired');
  });

  it('rotates a key: a new one with the same name, role and lifetime; the old one refused', async () => {
    const { key: old, apiKey } = (await create({ name: 'ci', role: 'triager', expiresInDays: 7 })).body as {
      key: string;
      apiKey: KeyView;
    };
    const rotated = await http(api.url, 'POST', `/api/v1/api-keys/${apiKey.id}/rotate`, { key: admin });
    expect(rotated.status).toBe(201);
    expect(rotated.body.apiKey).toMatchObject({ name: 'ci', role: 'triager', status: 'active' });
    expect(rotated.body.apiKey.id).not.toBe(apiKey.id);
    expect(Date.parse(rotated.body.apiKey.expiresAt) - Date.now()).toBeGreaterThan(6 * 86_400_000);
    expect((await me(old)).status).toBe(401);
    expect((await me(rotated.body.key as string)).status).toBe(200);
    expect((await http(api.url, 'POST', `/api/v1/api-keys/${apiKey.id}/rotate`, { key: admin })).status).toBe(
      404,
    );
  });

  it('gives the first-start admin key an expiry', async () => {
    // What a first start finds: no key at all (this suite's own keys set aside meanwhile).
    await query(db.url, 'CREATE TABLE api_key_aside AS SELECT * FROM api_key');
    await query(db.url, 'DELETE FROM api_key');
    try {
      const started = await api.app.get(FirstStart).run();
      expect(started.adminKey).toMatch(/^lb_/);
      const [row] = await query<{ expires_at: Date }>(
        db.url,
        `SELECT expires_at FROM api_key WHERE name = 'first-start admin'`,
      );
      const days = (row.expires_at.getTime() - Date.now()) / 86_400_000;
      expect(days).toBeGreaterThan(FIRST_START_KEY_DAYS - 1);
      expect(days).toBeLessThanOrEqual(FIRST_START_KEY_DAYS);
    } finally {
      await query(db.url, 'INSERT INTO api_key SELECT * FROM api_key_aside');
      await query(db.url, 'DROP TABLE api_key_aside');
    }
  });
});
