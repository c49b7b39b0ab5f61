import { randomUUID } from 'node:crypto';
import { Role } from '@app/database';
import { ALL_QUEUE_NAMES, JobName, JobQueue } from '@app/jobs';
import { TEST_REDIS_URL, useApi } from './support/app';
import { query } from './support/database';
import { http } from './support/http';
import { until } from './support/wait';
import { Spawned, spawnApp } from './support/processes';

const waitForRows = <T>(url: string, sql: string, params: unknown[], count: number): Promise<T[]> =>
  until(
    () => query<T>(url, sql, params),
    (rows) => rows.length >= count,
    { what: `${count} rows from ${sql}`, timeoutMs: 60_000 },
  );

describe.each([
  ['in-process jobs', false],
  ['BullMQ and a worker process', true],
])('poison jobs with %s', (_mode, withRedis) => {
  const { api, db } = useApi({ env: withRedis ? { REDIS_URL: TEST_REDIS_URL } : {} });
  let worker: Spawned | undefined;
  let admin: string;

  beforeAll(async () => {
    admin = await api.key(Role.Admin);
    if (withRedis) {
      worker = spawnApp('worker', [], {
        DATABASE_URL: db.url,
        REDIS_URL: TEST_REDIS_URL,
        QUEUE_PREFIX: api.config.queuePrefix,
        AUTHOR_KEY_SECRET: 'test-author-key-secret-0123456789',
        LOG_LEVEL: 'warn',
      });
      await worker.waitFor(/consuming/);
    }
  });

  afterAll(async () => {
    await worker?.stop();
  });

  it('end in the dead-letter table with their cause, without retries', async () => {
    const missing = randomUUID();
    await api.app.get(JobQueue).add(JobName.ImportChunk, { chunkId: missing });
    const [entry] = await waitForRows<{
      id: string;
      job_name: string;
      cause: string;
      attempts: number;
      status: string;
    }>(db.url, `SELECT * FROM dead_letter WHERE payload->>'chunkId' = $1`, [missing], 1);
    expect(entry).toMatchObject({ job_name: 'import.chunk', status: 'open', attempts: 1 });
    expect(entry.cause).toBe(`import chunk ${missing} does not exist`);
  });

  it('refuse a malformed payload as poison', async () => {
    await api.app.get(JobQueue).add(JobName.IngestVerbatims, { verbatimIds: ['not-a-uuid'] });
    const [entry] = await waitForRows<{ cause: string }>(
      db.url,
      `SELECT cause FROM dead_letter WHERE job_name = 'verbatim.ingest'`,
      [],
      1,
    );
    expect(entry.cause).toBe('malformed payload for job verbatim.ingest');
  });

  if (withRedis) {
    it('show in Bull Board at /admin/queues, for admins only', async () => {
      expect((await http(api.url, 'GET', '/admin/queues')).status).toBe(401);
      expect((await http(api.url, 'GET', '/admin/queues', { key: await api.key(Role.Triager) })).status).toBe(
        403,
      );
      const page = await http(api.url, 'GET', '/admin/queues', { key: admin });
      expect(page.status).toBe(200);
      const queues = await http(api.url, 'GET', '/admin/queues/api/queues', { key: admin });
      expect(queues.body.queues.map((queue: { name: string }) => queue.name).sort()).toEqual(
        [...ALL_QUEUE_NAMES].sort(),
      );
    });
  }

  it('are listed and retried by an admin; a job that fails again comes back with its cause', async () => {
    const listed = await http(api.url, 'GET', '/api/v1/dead-letters', { key: admin });
    expect(listed.status).toBe(200);
    const entry = listed.body.find((item: { jobName: string }) => item.jobName === 'import.chunk');
    const retried = await http(api.url, 'POST', `/api/v1/dead-letters/${entry.id}/retry`, { key: admin });
    expect(retried.status).toBe(201);
    expect(retried.body.status).toBe('retried');
    const again = await http(api.url, 'POST', `/api/v1/dead-letters/${entry.id}/retry`, { key: admin });
    expect(again.status).toBe(409);
    const reopened = await waitForRows<{ status: string; cause: string }>(
      db.url,
      `SELECT status, cause FROM dead_letter WHERE payload->>'chunkId' = $1 ORDER BY created_at`,
      [entry.payload.chunkId],
      2,
    );
    expect(reopened.map((row) => row.status)).toEqual(['retried', 'open']);
    const malformed = listed.body.find((item: { jobName: string }) => item.jobName === 'verbatim.ingest');
    const refused = await http(api.url, 'POST', `/api/v1/dead-letters/${malformed.id}/retry`, { key: admin });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/cannot be retried/);
  });
});
