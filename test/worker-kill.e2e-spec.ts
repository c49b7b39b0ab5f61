import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_REDIS_URL, TestDatabase, createTestDatabase, query } from './support/database';
import { Spawned, spawnApp } from './support/processes';
import { until } from './support/wait';

/**
 * Server mode for real: PostgreSQL, Redis, BullMQ, separate worker processes. A worker is killed
 * with SIGKILL in the middle of a 20,000-verbatim import; once another worker is up, every
 * verbatim must be there exactly once and have passed the ingest stage.
 */
describe('workers stopped mid-import', () => {
  const ROWS = 20_000;
  let db: TestDatabase;
  let env: Record<string, string>;
  const processes: Spawned[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    env = {
      DATABASE_URL: db.url,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: `lbkill${Date.now()}`,
      AUTHOR_KEY_SECRET: 'test-author-key-secret-0123456789',
      // A killed worker's job is taken over once its lock expires: keep the test short.
      JOB_LOCK_MS: '3000',
      JOB_CONCURRENCY: '2',
      LOG_LEVEL: 'warn',
    };
  });

  afterAll(async () => {
    await Promise.all(processes.map((process) => process.stop('SIGKILL')));
    await db?.drop();
  });

  it('ingest every verbatim exactly once, whether stopped with SIGTERM or killed with SIGKILL', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lb-kill-'));
    const file = join(dir, 'verbatims.jsonl');
    const lines: string[] = [];
    for (let i = 0; i < ROWS; i++) {
      lines.push(
        JSON.stringify({
          externalId: `kill-${i}`,
          author: `customer-${i % 3_000}@example.com`,
          channel: i % 2 ? 'email' : 'chat',
          receivedAt: new Date(Date.UTC(2026, 10, 1) + i * 60_000).toISOString(),
          text: `Verbatim ${i}: mon e-billet n’est jamais arrivé, commande ${100_000 + i}`,
          lang: 'fr',
        }),
      );
    }
    writeFileSync(file, lines.join('\n') + '\n');

    const firstWorker = spawnApp('worker', [], env);
    processes.push(firstWorker);
    await firstWorker.waitFor(/consuming/);
    const cli = spawnApp('cli', ['import', file, '--source', 'kill-test'], env);
    processes.push(cli);

    const chunksDone = (atLeast: number) =>
      until(
        async () =>
          Number(
            (
              await query<{ n: string }>(
                db.url,
                'SELECT count(*) AS n FROM import_chunk WHERE done_at IS NOT NULL',
              )
            )[0].n,
          ),
        (n) => n >= atLeast,
        { what: `${atLeast} import chunks done`, timeoutMs: 120_000, everyMs: 50 },
      );

    // A graceful stop first: SIGTERM lets the jobs in hand finish, and the worker exits 0.
    await chunksDone(4);
    expect(await firstWorker.stop('SIGTERM')).toBe(0);

    // Then the hard way, while the second worker holds jobs.
    const secondWorker = spawnApp('worker', [], env);
    processes.push(secondWorker);
    await chunksDone(12);
    secondWorker.child.kill('SIGKILL');
    await secondWorker.exited;
    const [{ n: storedAtKill }] = await query<{ n: string }>(db.url, 'SELECT count(*) AS n FROM verbatim');
    expect(Number(storedAtKill)).toBeLessThan(ROWS);

    const thirdWorker = spawnApp('worker', [], env);
    processes.push(thirdWorker);
    const summary = await cli
      .waitFor(/imported=(\d+) duplicates=(\d+) rejected=(\d+)/, 150_000)
      .catch((error: Error) => {
        const workers = [firstWorker, secondWorker, thirdWorker].map(
          (w, i) => `--- worker ${i + 1}\n${w.output().slice(-2000)}`,
        );
        throw new Error(`${error.message}\n${workers.join('\n')}`);
      });
    expect(await cli.exited).toBe(0);
    expect(summary.slice(1).map(Number)).toEqual([ROWS, 0, 0]);

    const [counts] = await query<{ total: string; distinct: string }>(
      db.url,
      'SELECT count(*) AS total, count(DISTINCT external_id) AS distinct FROM verbatim',
    );
    expect(Number(counts.total)).toBe(ROWS);
    expect(Number(counts.distinct)).toBe(ROWS);

    // The next stages run after the import's own transactions: wait for them to drain.
    const clustered = await until(
      async () =>
        Number(
          (
            await query<{ n: string }>(db.url, `SELECT count(*) AS n FROM verbatim WHERE stage = 'clustered'`)
          )[0].n,
        ),
      (n) => n === ROWS,
      { what: `${ROWS} verbatims clustered`, timeoutMs: 120_000, everyMs: 200 },
    );
    expect(clustered).toBe(ROWS);
    expect(await query(db.url, 'SELECT job_name, cause FROM dead_letter')).toEqual([]);
  });
});
