/**
 * Ingestion benchmark, server mode: `npm run bench:ingest -- --n 100000 [--workers 1|2|4] [--regroup]`.
 *
 * Starts the built API and `--workers` worker processes on PostgreSQL + Redis (a fresh database on
 * DATABASE_URL's server, default the local one), posts N varied French and English verbatims
 * (`realisticText`: public datasets and shipped examples with greetings, signatures and personal
 * data; see bench/customer-texts.ts) in batches of 1,000, waits until every one has passed the last
 * stage (clustered), and prints as its last line (the clock starts after one warm-up verbatim has
 * gone through every stage: the first model's training, once per installation, is warmup_s):
 *   verbatims=N workers=W seconds=S per_s=R cpu_s=C api_cpu_s=A [pg_cpu_s=D] peak_rss_mb=M
 *   titled_s=T [regroup_runs=G regroup_s=X settled_s=Y] warmup_s=U pg_copy_rows_per_s=P
 *   bullmq_empty_jobs_per_s=B
 * cpu_s is the CPU time the API and workers used (user + system): under a loaded machine it says
 * what the work costs when `seconds` says how long it waited; api_cpu_s is the API's part of it,
 * and pg_cpu_s PostgreSQL's CPU meanwhile when the server runs on this machine. titled_s is when
 * every irritant had its generated title. With the regrouping pass in the build (table
 * irritant_regroup), the passes that ran during the run are counted (regroup_runs, regroup_s: their
 * summed duration, inside `seconds` as they hold the clustering lock); with `--regroup` the
 * benchmark also waits for the pass after the last verbatim was clustered (settled_s: until then). The last two figures are
 * references measured in the same run: raw COPY into PostgreSQL, and BullMQ moving empty jobs
 * through one worker (concurrency 50). `--profile DIR` writes each process's CPU profile there.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { Queue, Worker } from 'bullmq';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { redisConnection } from '@app/jobs';
import {
  REDIS_URL,
  cpuSeconds,
  peakRssMb,
  postgresCpuSeconds,
  start,
  waitFor,
  withDatabase,
} from './support';
import { realisticText, textPools } from './customer-texts';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? Number(args[index + 1]) : fallback;
};
const N = option('n', 100_000);
const WORKERS = option('workers', 2);
const BATCH = 1_000;
const PARALLEL_REQUESTS = option('parallel', 4);
const WAIT_FOR_REGROUP = args.includes('--regroup');
/** `--profile DIR`: the API's and each worker's CPU profile (.cpuprofile) written there at exit. */
const PROFILE = args.includes('--profile') ? args[args.indexOf('--profile') + 1] : null;
const nodeArgs = PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE}`] : [];
const POOLS = textPools();

const CHANNELS = ['email', 'chat', 'chatbot', 'twitter', 'forum', 'facebook'];

function syntheticVerbatim(i: number) {
  const { text, lang } = realisticText(POOLS, i);
  return {
    source: `bench-${CHANNELS[i % CHANNELS.length]}`,
    externalId: `bench-${i}`,
    author: `customer-${i % 40_000}@example.com`,
    channel: CHANNELS[i % CHANNELS.length],
    receivedAt: new Date(Date.UTC(2026, 10, 1) + (i % 2_000_000) * 1_000).toISOString(),
    text,
    lang,
  };
}

interface PipelineFigures {
  seconds: number;
  cpu: number;
  apiCpu: number;
  postgresCpu: number | null;
  peakRss: number;
  titled: number;
  warmup: number;
  regroup: { runs: number; seconds: number; settled: number | null } | null;
}

async function benchPipeline(databaseUrl: string): Promise<PipelineFigures> {
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
  const api = start('api', env, nodeArgs);
  const children = [api.child];
  const outputs = [api.output];
  try {
    const url = (await waitFor(() => /running at (http:\/\/\S+)/.exec(api.output()), 60_000, 'the API'))[1];
    const key = (await waitFor(() => /^\s+(lb_\S+)$/m.exec(api.output()), 10_000, 'the admin key'))[1];
    for (let w = 0; w < WORKERS; w++) {
      const worker = start('worker', env, nodeArgs);
      children.push(worker.child);
      outputs.push(worker.output);
      await waitFor(() => (/consuming/.test(worker.output()) ? true : null), 60_000, 'a worker');
    }
    const db = new Client({ connectionString: databaseUrl });
    await db.connect();
    // A fresh installation trains its first model on first use (once across processes): a one-off,
    // timed apart (warmup_s) by one verbatim taken through every stage before the clock starts.
    const warming = Date.now();
    const warm = await fetch(`${url}/api/v1/verbatims`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify([{ ...syntheticVerbatim(N), externalId: 'bench-warmup' }]),
    });
    if (warm.status !== 201) throw new Error(`POST answered ${warm.status}: ${await warm.text()}`);
    await waitFor(
      async () => {
        const rows = await db.query(`SELECT count(*)::int AS n FROM verbatim WHERE stage = 'clustered'`);
        return rows.rows[0].n >= 1 ? true : null;
      },
      10 * 60_000,
      'the warm-up verbatim',
    );
    const warmup = (Date.now() - warming) / 1000;
    const cpuBefore = children.reduce((sum, child) => sum + cpuSeconds(child.pid), 0);
    const apiCpuBefore = cpuSeconds(api.child.pid);
    const postgresBefore = postgresCpuSeconds();
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
    // Every verbatim is stored once the POSTs have answered: done when none waits in a stage
    // before the last. Asking whether one waits reads the stage index up to the first; counting
    // the clustered ones ten times a second read up to 100,000 index entries each time and was a
    // fifth of PostgreSQL's CPU in the run it measured (22 s of 85 s, pg_stat_statements). The
    // count shown as progress is asked once every 2 s.
    const waiting = `FROM verbatim WHERE stage IN ('received', 'ingested', 'analyzed')`;
    let polls = 0;
    await waitFor(
      async () => {
        if (++polls % 20 === 0) {
          const rows = await db.query(`SELECT count(*)::int AS n ${waiting}`);
          process.stderr.write(`\rclustered ${N - (rows.rows[0].n as number)}/${N}`);
        }
        const rows = await db.query(`SELECT EXISTS (SELECT 1 ${waiting}) AS waiting`);
        return rows.rows[0].waiting ? null : true;
      },
      30 * 60_000,
      'the last stage',
    );
    const clusteredAt = Date.now();
    const seconds = (clusteredAt - started) / 1000;
    const cpu = children.reduce((sum, child) => sum + cpuSeconds(child.pid), 0) - cpuBefore;
    const apiCpu = cpuSeconds(api.child.pid) - apiCpuBefore;
    const postgresAfter = postgresCpuSeconds();
    const postgresCpu =
      postgresBefore === null || postgresAfter === null ? null : postgresAfter - postgresBefore;
    process.stderr.write('\n');
    // Titles trail clustering (a periodic job): every irritant titled once.
    await waitFor(
      async () => {
        const rows = await db.query(`SELECT count(*)::int AS n FROM irritant WHERE titled_count = 0`);
        return rows.rows[0].n === 0 ? true : null;
      },
      10 * 60_000,
      'every irritant titled',
    );
    const titled = (Date.now() - started) / 1000;
    const regroup = await regroupFigures(db, started, clusteredAt);
    await db.end();
    const peakRss = children.reduce((sum, child) => sum + peakRssMb(child.pid), 0);
    return { seconds, cpu, apiCpu, postgresCpu, peakRss, titled, regroup, warmup };
  } finally {
    for (const child of children) child.kill('SIGTERM');
    // `BENCH_LOGS=DIR`: what the API and each worker printed (warnings and errors), one file each.
    if (process.env.BENCH_LOGS)
      outputs.forEach((output, i) =>
        writeFileSync(
          join(process.env.BENCH_LOGS as string, i === 0 ? 'api.log' : `worker-${i}.log`),
          output(),
        ),
      );
    // Gone before the database is dropped (and their CPU profiles written).
    await Promise.race([
      Promise.all(
        children.map(
          (child) =>
            new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve))),
        ),
      ),
      new Promise((resolve) => setTimeout(resolve, 30_000).unref()),
    ]);
  }
}

/**
 * The regrouping's share, when the build has the pass (its runs are recorded in irritant_regroup):
 * the passes that ran during the run and their summed duration; with `--regroup`, the time until
 * a pass that started after the last verbatim was clustered has finished (settled).
 */
async function regroupFigures(
  db: Client,
  started: number,
  clusteredAt: number,
): Promise<PipelineFigures['regroup']> {
  const exists = await db.query(`SELECT to_regclass('irritant_regroup') IS NOT NULL AS present`);
  if (!exists.rows[0].present) return null;
  let settled: number | null = null;
  if (WAIT_FOR_REGROUP) {
    await waitFor(
      async () => {
        const rows = await db.query(
          `SELECT max(finished_at) AS at FROM irritant_regroup WHERE started_at >= $1`,
          [new Date(clusteredAt)],
        );
        return rows.rows[0].at ? true : null;
      },
      10 * 60_000,
      'the regrouping after the last clustering',
    );
    settled = (Date.now() - started) / 1000;
  }
  const rows = await db.query(
    `SELECT count(*)::int AS runs, COALESCE(sum(extract(epoch FROM finished_at - started_at)), 0)::float AS seconds
       FROM irritant_regroup WHERE started_at >= $1`,
    [new Date(started)],
  );
  return { runs: rows.rows[0].runs as number, seconds: rows.rows[0].seconds as number, settled };
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
  process.stderr.write(
    `texts: ${Object.entries(POOLS.origins)
      .map(([origin, count]) => `${origin} ${count}`)
      .join(', ')} (fr ${POOLS.fr.length}, en ${POOLS.en.length} base texts)\n`,
  );
  const { seconds, cpu, apiCpu, postgresCpu, peakRss, titled, regroup, warmup } =
    await withDatabase(benchPipeline);
  const copyRate = await withDatabase(benchCopy);
  const bullRate = await benchBullmq();
  const regroupPart = regroup
    ? ` regroup_runs=${regroup.runs} regroup_s=${regroup.seconds.toFixed(1)}` +
      (regroup.settled === null ? '' : ` settled_s=${regroup.settled.toFixed(1)}`)
    : '';
  process.stdout.write(
    `verbatims=${N} workers=${WORKERS} seconds=${seconds.toFixed(1)} per_s=${Math.round(N / seconds)} cpu_s=${cpu.toFixed(1)} ` +
      `api_cpu_s=${apiCpu.toFixed(1)}${postgresCpu === null ? '' : ` pg_cpu_s=${postgresCpu.toFixed(1)}`} ` +
      `peak_rss_mb=${Math.round(peakRss)} titled_s=${titled.toFixed(1)}${regroupPart} warmup_s=${warmup.toFixed(1)} ` +
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
