import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verbatim } from './support/builders';
import { http } from './support/http';
import { Spawned, spawnApp } from './support/processes';

/**
 * The zero-setup default, as a newcomer runs it: no DATABASE_URL, no REDIS_URL. PGlite under
 * DATA_DIR, jobs in-process, demo data and an admin key on the first start.
 */
describe('embedded mode (PGlite, in-process jobs)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'lb-embedded-'));
  // Debug logs: the log scan below is only worth something if the server logs a lot.
  const env = { DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'debug' };
  let server: Spawned;
  let url: string;
  let adminKey: string;
  let adminPassword: string;

  beforeAll(async () => {
    server = spawnApp('api', [], env);
    url = (await server.waitFor(/running at (http:\/\/\S+)/, 90_000))[1];
    adminKey = (await server.waitFor(/^\s+(lb_\S+)$/m))[1];
    adminPassword = (await server.waitFor(/Sign in at \S+ as admin@loveboard\.local \/ (\S+)$/m))[1];
  });

  afterAll(async () => {
    await server?.stop('SIGKILL');
  });

  it('answers /health and serves the demo verbatims', async () => {
    expect((await http(url, 'GET', '/health')).body).toMatchObject({
      status: 'ok',
      mode: 'embedded',
      redis: 'not configured',
    });
    const page = await http(url, 'GET', '/api/v1/verbatims?limit=200', { key: adminKey });
    expect(page.status).toBe(200);
    expect(page.body.items.length).toBeGreaterThan(100);
    expect(server.output()).toMatch(/demo data: \d+ verbatims loaded/);
  });

  it('stores a batch posted three times once', async () => {
    const batch = Array.from({ length: 10 }, (_, i) => verbatim({ source: 'smoke', externalId: `s-${i}` }));
    const answers = [];
    for (let i = 0; i < 3; i++)
      answers.push(await http(url, 'POST', '/api/v1/verbatims', { key: adminKey, body: batch }));
    expect(answers.map((answer) => answer.status)).toEqual([201, 200, 200]);
    const listed = await http(url, 'GET', '/api/v1/verbatims?source=smoke&limit=100', { key: adminKey });
    expect(listed.body.items).toHaveLength(10);
  });

  it('refuses malformed and oversize payloads with reasons', async () => {
    const malformed = await http(url, 'POST', '/api/v1/verbatims', { key: adminKey, raw: '{"text":' });
    expect(malformed.status).toBe(400);
    const oversize = await http(url, 'POST', '/api/v1/verbatims', {
      key: adminKey,
      body: verbatim({ text: 'x'.repeat(20_001) }),
    });
    expect(oversize.status).toBe(413);
    expect(oversize.body.message).toMatch(/20000/);
  });

  it('refuses a CLI command while the server holds the data directory, saying what to do', async () => {
    const file = join(dataDir, 'extra.jsonl');
    writeFileSync(file, JSON.stringify(verbatim({ externalId: 'cli-1' })) + '\n');
    const cli = spawnApp('cli', ['import', file, '--source', 'cli-import'], env);
    expect(await cli.exited).not.toBe(0);
    expect(cli.output()).toMatch(/in use by process \d+ .*stop it first, or send verbatims through its API/);
    const listed = await http(url, 'GET', '/api/v1/verbatims?source=cli-import', { key: adminKey });
    expect(listed.body.items).toHaveLength(0);
  });

  it('runs the CLI on its data directory once the server is stopped', async () => {
    expect(await server.stop('SIGTERM')).toBe(0);
    const file = join(dataDir, 'extra.jsonl');
    writeFileSync(file, JSON.stringify(verbatim({ externalId: 'cli-1' })) + '\n{broken\n');
    const cli = spawnApp('cli', ['import', file, '--source', 'cli-import'], env);
    const summary = await cli.waitFor(/imported=(\d+) duplicates=(\d+) rejected=(\d+)/, 90_000);
    expect(await cli.exited).toBe(0);
    expect(summary.slice(1).map(Number)).toEqual([1, 0, 1]);
    expect(cli.output()).toMatch(/rejected line 2: invalid JSON/);
    const migrate = spawnApp('cli', ['migrate'], env);
    expect(await migrate.exited).toBe(0);
    expect(migrate.output()).toMatch(/migrations applied: Initial\d+/);
    server = spawnApp('api', [], env);
    url = (await server.waitFor(/running at (http:\/\/\S+)/, 90_000))[1];
    const listed = await http(url, 'GET', '/api/v1/verbatims?source=cli-import', { key: adminKey });
    expect(listed.body.items).toHaveLength(1);
  });

  it('signs the first admin in with the password it printed', async () => {
    const signIn = await fetch(`${url}/auth/local`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@loveboard.local', password: adminPassword }),
    });
    expect(signIn.status).toBe(204);
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0];
    const me = await fetch(`${url}/api/v1/me`, { headers: { cookie } });
    expect(await me.json()).toMatchObject({ kind: 'user', email: 'admin@loveboard.local', role: 'admin' });
  });

  it('keeps customer text, e-mail addresses and keys out of its logs', () => {
    const logLines = server
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'));
    expect(logLines.length).toBeGreaterThan(10);
    const logs = logLines.join('\n');
    expect(logs).not.toMatch(/@example\.(com|org|net)/);
    expect(logs).not.toContain(adminKey);
    expect(logs).not.toContain(adminPassword);
    expect(logs).not.toContain('3-D Secure');
    expect(logs).not.toContain('4111 1111 1111 1111');
  });

  it('keeps its data and does not print a new admin key after a restart', async () => {
    expect(await server.stop('SIGTERM')).toBe(0);
    server = spawnApp('api', [], env);
    url = (await server.waitFor(/running at (http:\/\/\S+)/, 90_000))[1];
    expect(server.output()).not.toMatch(/lb_/);
    expect(server.output()).not.toMatch(/Sign in at/);
    const listed = await http(url, 'GET', '/api/v1/verbatims?source=smoke&limit=100', { key: adminKey });
    expect(listed.body.items).toHaveLength(10);
  });

  it('refuses a second server on the same data directory with a clear message', async () => {
    const second = spawnApp('api', [], env);
    await second.waitFor(/in use by process \d+/);
    expect(await second.exited).not.toBe(0);
  });
});
