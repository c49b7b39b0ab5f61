/**
 * The soak with faults: `npm run test:soak -- --minutes 10 --rate 280 [--workers 3]
 * [--worker-kill-every 120] [--redis-restart-at S] [--postgres-kill-at S] [--poison 5] [--keep]`.
 *
 * Runs the built API and workers on a private PostgreSQL and Redis, feeds verbatims through the
 * ingest API, the signed chat webhook and a forum's RSS feed, kills workers, Redis and PostgreSQL
 * along the way, then reconciles every id sent against the database (see docs/RELIABILITY.md).
 * Its last line: `sent=N stored=N lost=N duplicated=N dead_letters=N max_recovery_s=N`; the exit
 * code is 1 when anything was lost or duplicated, a dead letter is not a poison input, or a
 * recovery took longer than 60 s.
 */
import { DEFAULTS, SoakOptions, abortSoaks, runSoak } from './soak/runner';
import { latencies } from './soak/sender';

function parse(argv: string[]): Partial<SoakOptions> {
  const options: Partial<SoakOptions> = {};
  const numbers: Record<string, keyof SoakOptions> = {
    '--minutes': 'minutes',
    '--rate': 'rate',
    '--workers': 'workers',
    '--worker-kill-every': 'workerKillEveryS',
    '--redis-restart-at': 'redisRestartAtS',
    '--postgres-kill-at': 'postgresKillAtS',
    '--poison': 'poison',
    '--forum-rate': 'forumPerSecond',
    '--drain-timeout': 'drainTimeoutS',
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--keep') options.keep = true;
    else if (arg in numbers) {
      const value = Number(argv[++i]);
      if (!Number.isFinite(value) || value < 0) throw new Error(`${arg} expects a number, got ${argv[i]}`);
      (options as Record<string, number>)[numbers[arg]] = value;
    } else throw new Error(`unknown option ${arg}`);
  }
  return options;
}

async function main(): Promise<number> {
  const options = parse(process.argv.slice(2));
  const result = await runSoak({ ...options, progressBar: Boolean(process.stderr.isTTY), log: DEFAULTS.log });
  const out = (line: string) => process.stdout.write(`${line}\n`);
  for (const fault of result.faults)
    out(
      `fault ${fault.kind} at ${fault.atS}s (${fault.detail}): recovered in ` +
        `${fault.recoveryS === undefined ? 'never' : `${fault.recoveryS.toFixed(1)} s`}`,
    );
  const latency = latencies(result.sender);
  out(
    `accepted requests: p50=${latency.p50} ms p95=${latency.p95} ms max=${latency.max} ms; ` +
      `peak lag (stored, not yet clustered)=${result.peakLag}`,
  );
  const slowest = (durations: number[]) =>
    `${durations.length} requests, slowest ${durations.length === 0 ? '-' : `${Math.max(...durations)} ms`}`;
  out(
    `answered 503: Redis away ${slowest(result.sender.unavailableMs.redis)}; ` +
      `database away ${slowest(result.sender.unavailableMs.database)}`,
  );
  out(
    `requests=${result.sender.requests} retried=${result.sender.retried} failures=${JSON.stringify(result.sender.failures)} ` +
      `load_s=${result.seconds.load.toFixed(0)} drain_s=${result.seconds.drain.toFixed(0)} ` +
      `irritant_counts=${result.irritantCounts.counted}/${result.irritantCounts.attached} unfinished=${result.unfinished}`,
  );
  for (const exit of result.unexpectedExits) out(`process restarted by the supervisor: ${exit}`);
  for (const failure of result.failures) out(`FAILED: ${failure}`);
  out(result.line);
  return result.ok ? 0 : 1;
}

// Ctrl-C or a kill: the private servers and the product's processes must not outlive the soak.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
  process.once(signal, () => {
    process.stderr.write(`\nsoak: ${signal}, stopping everything\n`);
    abortSoaks();
    process.exit(130);
  });
process.once('exit', abortSoaks);

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `soak failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    abortSoaks();
    process.exit(1);
  },
);
