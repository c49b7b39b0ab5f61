/** What the benchmarks share: built processes to start, a fresh database, waiting, memory. */
import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';

export const PG_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const ROOT = join(__dirname, '..', '..');

/**
 * The V8 flags the apps run with in production (package.json's start scripts, the Dockerfile's
 * NODE_OPTIONS): the benchmarks measure what ships.
 */
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=32'];

/** Starts a built app (api, worker) with the given environment, collecting what it prints. */
export function start(
  app: string,
  env: Record<string, string>,
  nodeArgs: string[] = [],
): { child: ChildProcess; output: () => string } {
  const script = join(ROOT, 'dist', 'apps', app, 'src', 'main.js');
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, ...nodeArgs, script], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

/** Peak resident memory of a process so far (VmHWM), in MB. */
export function peakRssMb(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** CPU time a process has used so far (user + system), in seconds; 0 once it is gone. */
export function cpuSeconds(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/**
 * CPU time of the PostgreSQL server's processes on this machine (user + system, with the
 * backends that exited, which the postmaster waited for): null when none runs here (a remote
 * server). Backends of other databases count too: a quiet server is assumed.
 */
export function postgresCpuSeconds(): number | null {
  let total = 0;
  let found = false;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (!stat.includes('(postgres)')) continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
      found = true;
    } catch {
      // The process ended meanwhile.
    }
  }
  return found ? total / 100 : null;
}

export async function waitFor<T>(
  probe: () => Promise<T | null> | T | null,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A fresh database for `work`, dropped after it (kept, and named on stderr, with BENCH_KEEP_DATABASE=1). */
export async function withDatabase<T>(work: (url: string) => Promise<T>): Promise<T> {
  const name = `lb_bench_${Date.now()}`;
  const admin = new Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  try {
    return await work(url.toString());
  } finally {
    if (process.env.BENCH_KEEP_DATABASE === '1') process.stderr.write(`\nkept database ${name}\n`);
    else await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}
