import { storedExternalId } from './support/external-ids';
import { Role } from '@app/database';
import { RunningApi, startApi, testConfig } from './support/app';
import { TEST_REDIS_URL, TestDatabase, createTestDatabase, query } from './support/database';
import { http } from './support/http';
import { until } from './support/wait';
import { ImapServer, startImapServer } from './support/imap-server';
import { Spawned, spawnApp } from './support/processes';

const MESSAGES = 150;

const mail = (i: number) =>
  [
    `Message-ID: <restart-${i}@example.org>`,
    `From: customer-${i % 40}@example.com`,
    'To: service-client@loverail.example',
    `Subject: Billet ${i}`,
    `Date: Mon, 23 Nov 2026 09:${String(i % 60).padStart(2, '0')}:00 +0100`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    `Je n'ai jamais reçu mon e-billet pour la commande ${100_000 + i}.`,
    '',
  ].join('\r\n');

/**
 * Server mode for real: the mailbox is polled by a worker process, five messages a page, and that
 * worker is killed with SIGKILL in the middle of a poll. Another worker takes over from the
 * cursor of the last stored page: every message is stored, once, none skipped.
 */
describe('e-mail poll with its worker killed mid-poll', () => {
  let db: TestDatabase;
  let imap: ImapServer;
  let api: RunningApi;
  const processes: Spawned[] = [];

  beforeAll(async () => {
    [db, imap] = await Promise.all([createTestDatabase(), startImapServer()]);
  });

  afterAll(async () => {
    await Promise.all(processes.map((process) => process.stop('SIGKILL')));
    await api?.close();
    await imap?.stop();
    await db?.drop();
  });

  it('stores every message exactly once', async () => {
    for (let i = 0; i < MESSAGES; i++) await imap.append(mail(i));
    const queuePrefix = `lbimap${Date.now()}`;
    const config = testConfig({ DATABASE_URL: db.url, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: queuePrefix });
    api = await startApi(config);
    const admin = await api.key(Role.Admin);
    const created = await http(api.url, 'POST', '/api/v1/sources', {
      key: admin,
      body: {
        name: 'restart-mailbox',
        kind: 'email',
        pollEverySeconds: 15,
        settings: { host: imap.host, port: imap.port, secure: false, user: imap.user, pageSize: 5 },
        secrets: { password: imap.password },
      },
    });
    expect(created.status).toBe(201);
    const env = {
      DATABASE_URL: db.url,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: queuePrefix,
      AUTHOR_KEY_SECRET: config.authorKeySecret as string,
      SECRETS_KEY: config.secretsKey as string,
      JOB_LOCK_MS: '3000',
      LOG_LEVEL: 'warn',
    };
    const stored = async () =>
      Number((await query<{ n: string }>(db.url, `SELECT count(*) AS n FROM verbatim`))[0].n);

    const first = spawnApp('worker', [], env);
    processes.push(first);
    await first.waitFor(/consuming/);
    // The first tick comes within 15 s; kill the worker once part of the mailbox is stored.
    await until(stored, (n) => n >= 20, { what: '20 messages stored', timeoutMs: 60_000, everyMs: 50 });
    first.child.kill('SIGKILL');
    const atKill = await stored();
    expect(atKill).toBeGreaterThanOrEqual(20);
    expect(atKill).toBeLessThan(MESSAGES);

    const second = spawnApp('worker', [], env);
    processes.push(second);
    await second.waitFor(/consuming/);
    await until(stored, (n) => n >= MESSAGES, { what: `${MESSAGES} messages stored`, timeoutMs: 120_000 });
    const rows = await query<{ external_id: string }>(
      db.url,
      'SELECT external_id FROM verbatim ORDER BY external_id',
    );
    expect(rows).toHaveLength(MESSAGES);
    expect(new Set(rows.map((row) => row.external_id))).toEqual(
      new Set(Array.from({ length: MESSAGES }, (_, i) => storedExternalId(`restart-${i}@example.org`))),
    );
    const [source] = await query<{ cursor: { lastUid: number } }>(
      db.url,
      `SELECT cursor FROM source WHERE name = 'restart-mailbox'`,
    );
    expect(source.cursor.lastUid).toBe(MESSAGES);
  });
});
