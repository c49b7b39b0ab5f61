/**
 * The soak with faults: the product in server mode (its own PostgreSQL and Redis, one API, several
 * workers, all real processes) fed at a steady rate through the ingest API, the signed chat webhook
 * and a forum's RSS feed, while workers are SIGKILLed, Redis restarts empty and PostgreSQL is
 * killed with `kill -9`. At the end every id sent is reconciled against the database.
 * Used by `npm run test:soak` (bench/soak.ts) and by test/soak.e2e-spec.ts.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cluster } from './apps';
import { progress } from './progress';
import { Probe, Reconciliation, reconcile } from './reconcile';
import { Sender, SenderStats } from './sender';
import { PrivatePostgres, PrivateRedis, freePort, makeWorkDir, removeWorkDir, sleep } from './services';
import { FeedPeer } from './traffic';

export interface SoakOptions {
  minutes: number;
  /** Verbatims per second, all paths together. */
  rate: number;
  workers: number;
  /** A random worker is SIGKILLed (and replaced) this often. */
  workerKillEveryS: number;
  /** When Redis is killed and started again (seconds into the load; default: after the last worker kill). */
  redisRestartAtS?: number;
  /** When the postmaster gets `kill -9` (seconds into the load; default: 45% of the run). */
  postgresKillAtS?: number;
  /** Forum posts without a date: each must end as a dead letter with its cause. */
  poison: number;
  /** Forum posts per second (part of `rate`). */
  forumPerSecond: number;
  /** One verbatim in this many goes through the chat webhook (the rest through the ingest API). */
  chatEvery: number;
  /** How long the pipeline may take to drain once the load stops. */
  drainTimeoutS: number;
  /** The recovery goal: longer fails the soak. */
  maxRecoveryS: number;
  /** Extra product settings (e.g. SWEEP_AFTER_SECONDS), on top of the product's defaults. */
  env: Record<string, string>;
  log: (line: string) => void;
  /** A progress bar (on a terminal). */
  progressBar: boolean;
  /** Keep the temporary directory (database, logs) for a post-mortem. */
  keep: boolean;
}

export const DEFAULTS: SoakOptions = {
  minutes: 10,
  rate: 280,
  workers: 3,
  workerKillEveryS: 120,
  poison: 5,
  forumPerSecond: 1,
  chatEvery: 25,
  drainTimeoutS: 420,
  maxRecoveryS: 60,
  env: {},
  log: (line) => process.stderr.write(`${line}\n`),
  progressBar: false,
  keep: false,
};

export interface Fault {
  kind: 'worker' | 'redis' | 'postgres';
  /** Seconds into the load. */
  atS: number;
  detail: string;
  startedAt?: number;
  /** When a request sent after the fault was accepted. */
  apiBackAt?: number;
  /** When a verbatim stored after the fault had passed the last stage. */
  pipelineBackAt?: number;
  recoveryS?: number;
}

export interface SoakResult extends Reconciliation {
  maxRecoveryS: number;
  /** Most verbatims stored but not yet through the last stage, seen during the run. */
  peakLag: number;
  faults: Fault[];
  sender: SenderStats;
  unexpectedExits: string[];
  failures: string[];
  ok: boolean;
  /** `sent=N stored=N lost=N duplicated=N dead_letters=N max_recovery_s=N` */
  line: string;
  seconds: { load: number; drain: number };
}

/** The fault timeline: worker kills at a period, one Redis restart, one PostgreSQL kill. */
export function planFaults(options: SoakOptions): Fault[] {
  const duration = options.minutes * 60;
  const faults: Fault[] = [];
  for (let at = options.workerKillEveryS; at < duration - 5; at += options.workerKillEveryS)
    faults.push({ kind: 'worker', atS: at, detail: '' });
  const lastKill = faults.length > 0 ? faults[faults.length - 1].atS : 0;
  // After the last worker replacement by default: a process starting after the Redis restart would
  // set the recurring jobs again at its boot and hide whether the running ones recover them.
  const redisAt =
    options.redisRestartAtS ?? (duration - lastKill >= 30 ? (lastKill + duration) / 2 : duration * 0.8);
  faults.push({ kind: 'redis', atS: Math.round(redisAt), detail: '' });
  faults.push({ kind: 'postgres', atS: Math.round(options.postgresKillAtS ?? duration * 0.45), detail: '' });
  return faults.sort((a, b) => a.atS - b.atS);
}

/** Every resource of a running soak, released on any exit path (also on Ctrl-C, see abortSoaks). */
const running = new Set<() => void>();

/** Synchronous last resort (process exit, signals): kills every process the soaks started. */
export function abortSoaks(): void {
  for (const kill of running) kill();
}

export async function runSoak(partial: Partial<SoakOptions> = {}): Promise<SoakResult> {
  const options: SoakOptions = { ...DEFAULTS, ...partial };
  const log = options.log;
  const dir = mkdtempSync(join(tmpdir(), 'lb-soak-'));
  makeWorkDir(dir);
  const [pgPort, redisPort, apiPort] = [await freePort(), await freePort(), await freePort()];
  const postgres = new PrivatePostgres(dir, pgPort);
  const redis = new PrivateRedis(dir, redisPort);
  const feed = new FeedPeer();
  const unexpectedExits: string[] = [];
  let cluster: Cluster | null = null;
  let probe: Probe | null = null;
  const killAll = () => {
    cluster?.killNow();
    redis.killNow();
    postgres.killNow();
    if (!options.keep) removeWorkDir(dir);
  };
  running.add(killAll);
  try {
    log(`soak: ${options.minutes} min at ${options.rate}/s, ${options.workers} workers, in ${dir}`);
    await postgres.init();
    await redis.start();
    await feed.start();
    const env: Record<string, string> = {
      NODE_ENV: 'production',
      DATABASE_URL: postgres.url,
      REDIS_URL: redis.url,
      QUEUE_PREFIX: 'soak',
      AUTHOR_KEY_SECRET: 'soak-author-key-secret-0123456789',
      SECRETS_KEY: 'soak-secrets-key-0123456789abcdef0123456789',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      ...options.env,
    };
    cluster = new Cluster(env, apiPort, dir, {
      onUnexpectedExit: (name, code, tail) => {
        const lines = tail.trim().split('\n');
        const why = lines.find((l) => /cannot start/i.test(l)) ?? lines[lines.length - 1] ?? '';
        unexpectedExits.push(`${name} exited (${code}): ${why.slice(0, 200)}`);
        log(`soak: ${name} exited by itself (${code}); restarted`);
      },
    });
    await cluster.start(options.workers);
    probe = new Probe(postgres.url);
    const result = await load(options, { cluster, postgres, redis, feed, probe, unexpectedExits });
    return result;
  } finally {
    await cluster?.stop().catch(() => undefined);
    await probe?.close().catch(() => undefined);
    await feed.close();
    await redis.kill();
    await postgres.stop().catch(() => postgres.killNow());
    running.delete(killAll);
    if (options.keep) log(`soak: kept ${dir}`);
    else removeWorkDir(dir);
  }
}

interface Parts {
  cluster: Cluster;
  postgres: PrivatePostgres;
  redis: PrivateRedis;
  feed: FeedPeer;
  probe: Probe;
  unexpectedExits: string[];
}

async function api(cluster: Cluster, path: string, body: unknown): Promise<{ id: string }> {
  const response = await fetch(`${cluster.apiUrl}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${cluster.adminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as { id: string };
}

async function load(options: SoakOptions, parts: Parts): Promise<SoakResult> {
  const { cluster, postgres, redis, feed, probe } = parts;
  const log = options.log;
  const duration = options.minutes * 60;
  const chatSecret = 'soak-chat-signing-secret-0123456789';
  const chat = await api(cluster, '/api/v1/sources', {
    name: 'soak-chat',
    kind: 'chat',
    secrets: { signingSecret: chatSecret },
  });
  await api(cluster, '/api/v1/sources', {
    name: 'soak-forum',
    kind: 'forum',
    settings: { type: 'rss', feedUrl: feed.url },
    pollEverySeconds: 15,
  });
  const sender = new Sender(
    {
      apiUrl: cluster.apiUrl,
      apiKey: cluster.adminKey,
      apiSource: 'soak-api',
      chatSourceId: chat.id,
      chatSecret,
      rate: Math.max(1, options.rate - options.forumPerSecond),
      chatEvery: options.chatEvery,
    },
    'soak-chat',
  );

  const faults = planFaults(options);
  const bar = progress(duration, log, options.progressBar);
  const started = Date.now();
  const elapsed = () => (Date.now() - started) / 1000;
  sender.start();

  // Forum posts: a steady trickle, with the poison ones spread over the run.
  const poisonAt = Array.from({ length: options.poison }, (_, k) => ((k + 0.5) * duration) / options.poison);
  let posts = 0;
  const forumTimer = setInterval(() => {
    const due = Math.floor(elapsed() * options.forumPerSecond);
    for (; posts < due; posts++) feed.add(posts, false);
    while (poisonAt.length > 0 && poisonAt[0] <= elapsed()) {
      poisonAt.shift();
      feed.add(posts++, true);
    }
  }, 250);

  // Recovery: for each fault, the first accepted request sent after it, and the first verbatim
  // stored after it that passed the last stage. Probed every second.
  let stopMonitor = false;
  let snapshot = { total: 0, clustered: 0 };
  let peakLag = 0;
  const monitor = (async () => {
    for (let tick = 0; !stopMonitor; tick++) {
      const now = Date.now();
      for (const fault of faults) {
        if (fault.startedAt === undefined || fault.recoveryS !== undefined) continue;
        if (fault.apiBackAt === undefined && sender.lastAcceptedStart > fault.startedAt)
          fault.apiBackAt = now;
        if (fault.pipelineBackAt === undefined && (await probe.clusteredSince(new Date(fault.startedAt))))
          fault.pipelineBackAt = now;
        if (fault.apiBackAt !== undefined && fault.pipelineBackAt !== undefined) {
          fault.recoveryS = (Math.max(fault.apiBackAt, fault.pipelineBackAt) - fault.startedAt) / 1000;
          bar.log(`soak: ${fault.kind} fault at ${fault.atS}s: recovered in ${fault.recoveryS.toFixed(1)} s`);
        }
      }
      if (tick % 2 === 0) {
        snapshot = (await probe.stages()) ?? snapshot;
        peakLag = Math.max(peakLag, snapshot.total - snapshot.clustered);
      }
      // A line a minute: how far the pipeline lags behind what was accepted.
      if (tick > 0 && tick % 60 === 0)
        bar.log(
          `soak: ${Math.round(elapsed())}s sent=${sender.total + feed.ids.length + feed.poisonIds.length} ` +
            `stored=${snapshot.total} clustered=${snapshot.clustered} lag=${snapshot.total - snapshot.clustered}`,
        );
      bar.update(elapsed(), {
        sent: sender.total + feed.ids.length + feed.poisonIds.length,
        clustered: snapshot.clustered,
        faults: faults.filter((f) => f.startedAt !== undefined).length,
        phase: elapsed() < duration ? 'load ' : 'drain',
      });
      await sleep(Math.max(0, 1_000 - (Date.now() - now)));
    }
  })();

  // The faults, one after the other, at their time.
  for (const fault of faults) {
    await sleep(Math.max(0, fault.atS * 1000 - (Date.now() - started)));
    fault.startedAt = Date.now();
    if (fault.kind === 'worker') {
      fault.detail = `SIGKILL ${await cluster.killRandomWorker()}, replaced`;
    } else if (fault.kind === 'redis') {
      // A worker still booting would set the recurring jobs again once Redis is back, and hide
      // whether the running processes notice that Redis forgot them: restart Redis once all are up.
      await cluster.booted(120_000).catch(() => undefined);
      fault.startedAt = Date.now();
      await redis.kill();
      await sleep(3_000);
      await redis.start();
      fault.detail = 'Redis SIGKILLed, started again empty after 3 s';
    } else {
      await postgres.crash();
      await sleep(2_000);
      await postgres.start();
      fault.detail = `postmaster kill -9, restarted after ${((Date.now() - fault.startedAt) / 1000).toFixed(1)} s`;
    }
    bar.log(`soak: ${fault.atS}s ${fault.kind}: ${fault.detail}`);
  }
  await sleep(Math.max(0, duration * 1000 - (Date.now() - started)));
  clearInterval(forumTimer);
  const loadSeconds = elapsed();
  bar.log(`soak: load stopped after ${loadSeconds.toFixed(0)} s; draining`);

  // Drain: everything sent accepted, every stored verbatim through the last stage, every forum post
  // stored or refused, within the drain timeout.
  const deadline = Date.now() + options.drainTimeoutS * 1000;
  await sender.finish(deadline);
  const forumIds = [...feed.ids];
  const poisonIds = [...feed.poisonIds];
  let drainChecks = 0;
  for (;;) {
    const [row] =
      (await probe.tryQuery<{ waiting: number; forum: number; refused: number }>(
        `SELECT (SELECT count(*)::int FROM verbatim WHERE stage <> 'clustered') AS waiting,
                (SELECT count(*)::int FROM verbatim v JOIN source s ON s.id = v.source_id
                  WHERE s.name = 'soak-forum') AS forum,
                (SELECT count(DISTINCT payload->>'externalId')::int FROM dead_letter
                  WHERE payload->>'externalId' = ANY($1)) AS refused`,
        [poisonIds],
      )) ?? [];
    const recovered = faults.every((f) => f.recoveryS !== undefined);
    if (
      row &&
      row.waiting === 0 &&
      row.forum >= forumIds.length &&
      row.refused >= poisonIds.length &&
      recovered
    )
      break;
    if (++drainChecks % 8 === 0) bar.log(`soak: draining: ${JSON.stringify(row ?? 'database unreachable')}`);
    if (Date.now() > deadline) {
      log(`soak: drain timed out: ${JSON.stringify(row ?? 'database unreachable')}`);
      break;
    }
    await sleep(2_000);
  }
  stopMonitor = true;
  await monitor;
  const drainSeconds = elapsed() - loadSeconds;
  bar.stop();

  const reconciliation = await reconcile(
    probe,
    new Map([...sender.sent, ['soak-forum', forumIds]]),
    new Map([['soak-forum', poisonIds]]),
  );
  // A fault never recovered from counts as long as it lasted, up to the end of the drain.
  const end = Date.now();
  const recoveries = faults.map((f) => f.recoveryS ?? (end - (f.startedAt ?? end)) / 1000);
  const maxRecoveryS = Math.max(0, ...recoveries);
  const failures: string[] = [];
  if (reconciliation.lost > 0)
    failures.push(`lost ${reconciliation.lost}: ${reconciliation.lostSample.join(', ')}`);
  if (reconciliation.duplicated > 0) failures.push(`duplicated ${reconciliation.duplicated}`);
  if (reconciliation.unfinished > 0) failures.push(`${reconciliation.unfinished} stored but never clustered`);
  if (reconciliation.unexpectedDeadLetters.length > 0)
    failures.push(`dead letters not poison: ${reconciliation.unexpectedDeadLetters.slice(0, 5).join(' | ')}`);
  if (reconciliation.poisonNotRefused.length > 0)
    failures.push(`poison not dead-lettered: ${reconciliation.poisonNotRefused.join(', ')}`);
  if (reconciliation.irritantCounts.counted !== reconciliation.irritantCounts.attached)
    failures.push(`irritant counts ${JSON.stringify(reconciliation.irritantCounts)}`);
  if (maxRecoveryS > options.maxRecoveryS || faults.some((f) => f.recoveryS === undefined))
    failures.push(
      `recovery over ${options.maxRecoveryS} s: ${faults
        .filter((f) => (f.recoveryS ?? Infinity) > options.maxRecoveryS)
        .map(
          (f) => `${f.kind}@${f.atS}s ${f.recoveryS === undefined ? 'never' : `${f.recoveryS.toFixed(1)} s`}`,
        )
        .join(', ')}`,
    );
  if (sender.stats.refused.length > 0)
    failures.push(`requests refused: ${sender.stats.refused.slice(0, 3).join(' | ')}`);
  const line =
    `sent=${reconciliation.sent} stored=${reconciliation.stored} lost=${reconciliation.lost} ` +
    `duplicated=${reconciliation.duplicated} dead_letters=${reconciliation.deadLetters} ` +
    `max_recovery_s=${Math.ceil(maxRecoveryS)}`;
  return {
    ...reconciliation,
    maxRecoveryS,
    peakLag,
    faults,
    sender: sender.stats,
    unexpectedExits: parts.unexpectedExits,
    failures,
    ok: failures.length === 0,
    line,
    seconds: { load: loadSeconds, drain: drainSeconds },
  };
}
