/**
 * Ingestion benchmark, server mode: `npm run bench:ingest -- --n 100000 [--workers 2]`.
 *
 * Starts the built API and workers on PostgreSQL + Redis (a fresh database on DATABASE_URL's server,
 * default the local one), posts N synthetic French and English verbatims in batches of 1,000,
 * waits until every one has passed the last stage, and prints as its last line:
 *   verbatims=N seconds=S per_s=R peak_rss_mb=M pg_copy_rows_per_s=C bullmq_empty_jobs_per_s=B
 * The last two are references measured in the same run: raw COPY into PostgreSQL, and BullMQ
 * moving empty jobs through one worker (concurrency 50).
 */
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { Queue, Worker } from 'bullmq';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { redisConnection } from '@app/jobs';
import { REDIS_URL, peakRssMb, start, waitFor, withDatabase } from './support';
import { EN, FR } from './customer-texts';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? Number(args[index + 1]) : fallback;
};
const N = option('n', 100_000);
const WORKERS = option('workers', 2);
const BATCH = 1_000;
const PARALLEL_REQUESTS = option('parallel', 4);

const CHANNELS = ['email', 'chat', 'chatbot', 'twitter', 'forum', 'facebook'];

function syntheticVerbatim(i: number) {
  const french = i % 3 !== 0;
  const templates = french ? FR : EN;
  return {
    source: `bench-${CHANNELS[i % CHANNELS.length]}`,
    externalId: `bench-${i}`,
    author: `customer-${i % 40_000}@example.com`,
    channel: CHANNELS[i % CHANNELS.length],
    receivedAt: new Date(Date.UTC(2026, 10, 1) + (i % 2_000_000) * 1_000).toISOString(),
    text: templates[i % templates.length].replace('{n}', String(100_000 + i)) + ` (#${i})`,
    lang: french ? 'fr' : 'en',
  };
}

async function benchPipeline(databaseUrl: string): Promise<{ seconds: number; peakRss: number }> {
  const env = {
    DATABASE_URL: databaseUrl,
    REDIS_URL: REDIS_URL,
    QUEUE_PREFIX: `lbbench${Date.now()}`,
    AUTHOR_KEY_SECRET: 'bench-author-key-secret-0123456789',
    PORT: '0',
    LOG_LEVEL: 'warn',
    JOB_CONCURRENCY: '8',
    DATABASE_POOL_SIZE: '12',
    INGEST_REQUESTS_PER_MINUTE: '1000000',
  };
  const api = start('api', env);
  const children = [api.child];
  try {
    const url = (await waitFor(() => /running at (http:\/\/\S+)/.exec(api.output()), 60_000, 'the API'))[1];
    const key = (await waitFor(() => /^\s+(lb_\S+)$/m.exec(api.output()), 10_000, 'the admin key'))[1];
    for (let w = 0; w < WORKERS; w++) {
      const worker = start('worker', env);
      children.push(worker.child);
      await waitFor(() => (/consuming/.test(worker.output()) ? true : null), 60_000, 'a worker');
    }
    const db = new Client({ connectionString: databaseUrl });
    await db.connect();
    const started = Date.now();
    let next = 0;
    const post = async () => {
      for (;;) {
        const first = next;
        if (first >= N) return;
        next += BATCH;
        const batch = [];
        for (let i = first; i < Math.min(first + BATCH, N); i++) batch.push(syntheticVerbatim(i));
        const response = await fetch(`${url}/api/v1/verbatims`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify(batch),
        });
        if (response.status !== 201)
          throw new Error(`POST answered ${response.status}: ${await response.text()}`);
      }
    };
    await Promise.all(Array.from({ length: PARALLEL_REQUESTS }, post));
    let done = 0;
    await waitFor(
      async () => {
        const rows = await db.query(`SELECT count(*)::int AS n FROM verbatim WHERE stage = 'clustered'`);
        done = rows.rows[0].n as number;
        process.stderr.write(`\rclustered ${done}/${N}`);
        return done >= N ? true : null;
      },
      30 * 60_000,
      'the last stage',
    );
    const seconds = (Date.now() - started) / 1000;
    process.stderr.write('\n');
    await db.end();
    const peakRss = children.reduce((sum, child) => sum + peakRssMb(child.pid), 0);
    return { seconds, peakRss };
  } finally {
    for (const child of children) child.kill('SIGTERM');
  }
}

async function benchCopy(databaseUrl: string): Promise<number> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query(
    'CREATE TEMP TABLE copy_bench (external_id text, author text, channel text, received_at timestamptz, text text, lang text)',
  );
  const escape = (value: string) => value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n');
  const started = Date.now();
  const rows = (function* () {
    for (let i = 0; i < N; i++) {
      const v = syntheticVerbatim(i);
      yield [v.externalId, v.author, v.channel, v.receivedAt, v.text, v.lang].map(escape).join('\t') + '\n';
    }
  })();
  await pipeline(Readable.from(rows), client.query(copyFrom('COPY copy_bench FROM STDIN')));
  const rate = N / ((Date.now() - started) / 1000);
  await client.end();
  return rate;
}

async function benchBullmq(): Promise<number> {
  const jobs = Math.min(N, 100_000);
  const connection = redisConnection(REDIS_URL);
  const prefix = `lbbenchq${Date.now()}`;
  const queue = new Queue('empty', { connection, prefix });
  const started = Date.now();
  for (let i = 0; i < jobs; i += 5_000) {
    await queue.addBulk(
      Array.from({ length: Math.min(5_000, jobs - i) }, (_, k) => ({
        name: 'empty',
        data: { i: i + k },
        opts: { removeOnComplete: true },
      })),
    );
  }
  let completed = 0;
  const worker = new Worker('empty', () => Promise.resolve(), { connection, prefix, concurrency: 50 });
  worker.on('completed', () => completed++);
  await waitFor(() => (completed >= jobs ? true : null), 10 * 60_000, 'empty jobs');
  const rate = jobs / ((Date.now() - started) / 1000);
  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();
  return rate;
}

async function main(): Promise<void> {
  const { seconds, peakRss } = await withDatabase(benchPipeline);
  const copyRate = await withDatabase(benchCopy);
  const bullRate = await benchBullmq();
  process.stdout.write(
    `verbatims=${N} seconds=${seconds.toFixed(1)} per_s=${Math.round(N / seconds)} peak_rss_mb=${Math.round(peakRss)} ` +
      `pg_copy_rows_per_s=${Math.round(copyRate)} bullmq_empty_jobs_per_s=${Math.round(bullRate)}\n`,
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
