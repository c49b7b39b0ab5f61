import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Role } from '@app/database';
import { PrivateRedis, freePort } from '../bench/soak/services';
import { useApi } from './support/app';
import { verbatim } from './support/builders';
import { query } from './support/database';
import { http } from './support/http';
import { Spawned, spawnApp } from './support/processes';
import { until } from './support/wait';

/**
 * Issue 19, finding 5: with Redis down, an ingest request hung 58 s (BullMQ's commands wait for
 * Redis to come back), and a batch whose jobs Redis lost waited 127 s for the pipeline sweeper.
 * Now the API bounds its enqueue and answers 503 with Retry-After, keeping what it stored for a
 * hand-on retry every 2 s; and a process that finds Redis came back empty enqueues again, at once,
 * everything the database says is waiting. The sweeper's own threshold is set to an hour here: only
 * those two paths can bring the verbatims through.
 */
describe('Redis down and back (a Redis of the test own, stopped and started)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lb-redis-outage-'));
  let redis: PrivateRedis;
  let worker: Spawned | null = null;

  beforeAll(async () => {
    redis = new PrivateRedis(dir, await freePort());
    await redis.start();
  });

  const { api, db } = useApi({ env: () => ({ REDIS_URL: redis.url, SWEEP_AFTER_SECONDS: '3600' }) });
  let triager: string;

  const startWorker = async () => {
    worker = spawnApp('worker', [], {
      DATABASE_URL: db.url,
      REDIS_URL: redis.url,
      QUEUE_PREFIX: api.config.queuePrefix,
      AUTHOR_KEY_SECRET: 'test-author-key-secret-0123456789',
      SECRETS_KEY: 'test-secrets-key-0123456789abcdef0123456789',
      SWEEP_AFTER_SECONDS: '3600',
      JOB_LOCK_MS: '3000',
      LOG_LEVEL: 'warn',
    });
    await worker.waitFor(/consuming/, 120_000);
  };

  beforeAll(async () => {
    triager = await api.key(Role.Triager);
    await startWorker();
  });

  afterAll(async () => {
    await worker?.stop('SIGKILL');
    redis?.killNow();
    rmSync(dir, { recursive: true, force: true });
  });

  const post = (externalId: string) =>
    fetch(`${api.url}/api/v1/verbatims`, {
      method: 'POST',
      headers: { authorization: `Bearer ${triager}`, 'content-type': 'application/json' },
      body: JSON.stringify(verbatim({ source: 'outage', externalId })),
      // A generous bound, not a timing assertion: the request used to hang for about a minute.
      signal: AbortSignal.timeout(10_000),
    });

  const stages = async () =>
    Object.fromEntries(
      (
        await query<{ external_id: string; stage: string }>(
          db.url,
          `SELECT v.external_id, v.stage FROM verbatim v JOIN source s ON s.id = v.source_id WHERE s.name = 'outage'`,
        )
      ).map((row) => [row.external_id, row.stage]),
    );

  it('answers 503 with Retry-After while Redis is down, and loses nothing once it is back', async () => {
    // Everything running: through the pipeline as usual.
    expect((await post('before')).status).toBe(201);
    await until(stages, (seen) => seen.before === 'clustered', {
      what: 'the first verbatim clustered',
      timeoutMs: 120_000,
    });

    // No worker: this one's job waits in Redis, and is lost with it.
    await worker?.stop('SIGTERM');
    expect((await post('queued')).status).toBe(201);
    await redis.kill();

    const refused = await post('during');
    expect(refused.status).toBe(503);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await refused.json()) as { message: string }).message).toMatch(/Redis/);
    // Stored all the same: the replay the client makes later creates nothing.
    expect((await stages()).during).toBe('received');

    // Redis comes back empty; a worker starts.
    await redis.start();
    await startWorker();
    const seen = await until(
      stages,
      (now) => ['before', 'queued', 'during'].every((id) => now[id] === 'clustered'),
      { what: 'the three verbatims clustered', timeoutMs: 180_000, everyMs: 500 },
    );
    expect(Object.keys(seen).sort()).toEqual(['before', 'during', 'queued']);

    // The client's replay of the refused request: nothing twice.
    const replay = await http(api.url, 'POST', '/api/v1/verbatims', {
      key: triager,
      body: verbatim({ source: 'outage', externalId: 'during' }),
    });
    expect(replay.status).toBe(200);
    expect(replay.body.items[0].status).toBe('duplicate');
    const [{ n }] = await query<{ n: string }>(
      db.url,
      `SELECT count(*) AS n FROM verbatim v JOIN source s ON s.id = v.source_id WHERE s.name = 'outage'`,
    );
    expect(Number(n)).toBe(3);
  });
});
