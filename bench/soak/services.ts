/**
 * The soak's own PostgreSQL and Redis: private servers on free ports, in a temporary directory,
 * that the soak may kill at will. The machine's shared servers (5432, 6379) are never touched.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Client } from 'pg';
import Redis from 'ioredis';

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Whether a server could listen on this loopback port now. */
function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** The first port of the kernel's ephemeral range (where `listen(0)` and outgoing connections draw). */
function ephemeralLow(): number {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > 0 ? low : 32_768;
  } catch {
    return 32_768;
  }
}

/**
 * A TCP port nobody listens on now, for a server the caller starts on it later (and may restart on
 * it). Drawn at random below the kernel's ephemeral range and checked: a port the kernel picked
 * with `listen(0)` lies in that range, where an outgoing connection of another suite running
 * alongside may take it before the server binds (the soak's API once failed with EADDRINUSE on
 * 33589). Below it, only another explicit choice can collide.
 */
export async function freePort(): Promise<number> {
  const low = ephemeralLow();
  const from = low > 11_024 ? 10_000 : 1_024;
  for (let attempt = 0; attempt < 100 && low - from > 100; attempt++) {
    const port = from + Math.floor(Math.random() * (low - from));
    if (await canListen(port)) return port;
  }
  throw new Error(`no free port found between ${from} and ${low}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Pids whose parent is `ppid` (from /proc), so that a killed postmaster's backends can be waited for. */
function childrenOf(ppid: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command may hold spaces and parentheses: the fields after the last ')' are fixed.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === ppid) pids.push(Number(entry));
    } catch {
      // The process ended while /proc was read.
    }
  }
  return pids;
}

async function waitUntil(probe: () => Promise<boolean> | boolean, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** Root cannot run PostgreSQL: the server then runs as the `postgres` system user. */
const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const asPostgres = (command: string, args: string[]): [string, string[]] =>
  asRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];

function postgresBinDir(): string {
  if (process.env.SOAK_PG_BIN) return process.env.SOAK_PG_BIN;
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base)
    ? readdirSync(base)
        .filter((v) => existsSync(join(base, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0)
    throw new Error('no PostgreSQL server binaries under /usr/lib/postgresql (set SOAK_PG_BIN)');
  return join(base, versions[0], 'bin');
}

export class PrivatePostgres {
  private child: ChildProcess | null = null;
  private readonly dataDir: string;
  private readonly bin = postgresBinDir();

  constructor(
    /** A directory of the soak's own, writable by the server's user. */
    private readonly dir: string,
    readonly port: number,
  ) {
    this.dataDir = join(dir, 'pgdata');
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/soak`;
  }

  async init(): Promise<void> {
    const [command, args] = asPostgres(join(this.bin, 'initdb'), [
      '-D',
      this.dataDir,
      '-U',
      'postgres',
      '-A',
      'trust',
      '-E',
      'UTF8',
      '--locale=C',
      '--no-sync',
    ]);
    execFileSync(command, args, { stdio: 'pipe' });
    await this.start();
    const admin = new Client({ connectionString: this.url.replace(/\/soak$/, '/postgres') });
    await admin.connect();
    await admin.query('CREATE DATABASE soak');
    await admin.end();
  }

  /** Starts the server (after a crash, PostgreSQL replays its WAL first) and waits until it answers. */
  async start(): Promise<void> {
    const [command, args] = asPostgres(join(this.bin, 'postgres'), [
      '-D',
      this.dataDir,
      '-p',
      String(this.port),
      '-k',
      this.dir,
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'max_connections=200',
      '-c',
      'logging_collector=off',
    ]);
    const log = createWriteStream(join(this.dir, 'postgres.log'), { flags: 'a' });
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    this.child = child;
    await waitUntil(
      async () => {
        if (child.exitCode !== null) throw new Error(`postgres exited (${child.exitCode}); see ${this.dir}`);
        const client = new Client({ connectionString: this.url.replace(/\/soak$/, '/postgres') });
        client.on('error', () => undefined);
        try {
          await client.connect();
          await client.query('SELECT 1');
          return true;
        } catch {
          return false;
        } finally {
          await client.end().catch(() => undefined);
        }
      },
      60_000,
      'PostgreSQL to accept connections',
    );
  }

  private postmasterPid(): number | null {
    try {
      return Number(readFileSync(join(this.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]) || null;
    } catch {
      return null;
    }
  }

  /**
   * `kill -9` of the postmaster, as a crash would. Its backends notice their parent's death and
   * exit; the server is started again only once they are gone (PostgreSQL refuses to start while
   * they still hold its shared memory), as a service manager would restart it.
   */
  async crash(): Promise<void> {
    const pid = this.postmasterPid();
    if (!pid) throw new Error('PostgreSQL is not running');
    const backends = childrenOf(pid);
    process.kill(pid, 'SIGKILL');
    await waitUntil(() => !isAlive(pid), 10_000, 'the postmaster to die');
    try {
      await waitUntil(() => backends.every((b) => !isAlive(b)), 10_000, 'the orphaned backends to exit');
    } catch {
      for (const backend of backends.filter(isAlive)) process.kill(backend, 'SIGKILL');
    }
  }

  /** A fast shutdown (SIGINT), then SIGKILL if it lingers. */
  async stop(): Promise<void> {
    const pid = this.postmasterPid();
    if (pid && isAlive(pid)) {
      process.kill(pid, 'SIGINT');
      try {
        await waitUntil(() => !isAlive(pid), 15_000, 'PostgreSQL to stop');
      } catch {
        for (const child of childrenOf(pid)) process.kill(child, 'SIGKILL');
        process.kill(pid, 'SIGKILL');
      }
    }
    this.child = null;
  }

  /** Last resort on exit (synchronous): every server process of ours, killed. */
  killNow(): void {
    const pid = this.postmasterPid();
    if (pid && isAlive(pid)) {
      for (const child of childrenOf(pid)) process.kill(child, 'SIGKILL');
      process.kill(pid, 'SIGKILL');
    }
    if (this.child?.pid && isAlive(this.child.pid)) this.child.kill('SIGKILL');
  }
}

export class PrivateRedis {
  private child: ChildProcess | null = null;

  constructor(
    private readonly dir: string,
    readonly port: number,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /**
   * No persistence (`--save ""`, no AOF): a restart comes back empty, the harshest case, which the
   * product must survive (jobs are hints; the sweeper re-enqueues what waits in the database).
   */
  async start(): Promise<void> {
    const log = createWriteStream(join(this.dir, 'redis.log'), { flags: 'a' });
    const child = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        this.dir,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    this.child = child;
    await waitUntil(
      async () => {
        if (child.exitCode !== null) throw new Error(`redis-server exited (${child.exitCode})`);
        const client = new Redis(this.port, '127.0.0.1', {
          lazyConnect: true,
          maxRetriesPerRequest: 0,
          retryStrategy: () => null,
        });
        client.on('error', () => undefined);
        try {
          await client.connect();
          return (await client.ping()) === 'PONG';
        } catch {
          return false;
        } finally {
          client.disconnect();
        }
      },
      30_000,
      'Redis to answer',
    );
  }

  /** SIGKILL: whatever Redis held is gone. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  killNow(): void {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null)
      this.child.kill('SIGKILL');
  }
}

/** The soak's temporary directory, owned by the `postgres` user when running as root. */
export function makeWorkDir(path: string): void {
  mkdirSync(path, { recursive: true, mode: 0o700 });
  if (asRoot) execFileSync('chown', ['postgres:postgres', path]);
}

export function removeWorkDir(path: string): void {
  rmSync(path, { recursive: true, force: true });
}
