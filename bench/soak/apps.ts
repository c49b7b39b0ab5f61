/**
 * The product as real processes (the built API and workers from dist/), and a small supervisor:
 * it replaces a worker the soak kills, and restarts any process that dies on its own, as a
 * service manager would, counting those deaths.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, existsSync, WriteStream } from 'node:fs';
import { dirname, join } from 'node:path';
import { sleep } from './services';

/** The checkout: this file runs from bench/soak (jest) or dist/bench/soak (npm run test:soak). */
function repositoryRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}
const ROOT = repositoryRoot();
const TAIL_CHARS = 20_000;

export class AppProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  /** Set before the soak kills it, so that the supervisor tells a fault from a crash. */
  killedOnPurpose = false;
  private tail = '';
  private readonly listeners = new Set<() => void>();

  constructor(
    readonly name: string,
    app: 'api' | 'worker',
    env: Record<string, string>,
    log: WriteStream,
  ) {
    // Only the variables the soak chooses: the developer's own must not change the run mode.
    this.child = spawn(process.execPath, [join(ROOT, 'dist', 'apps', app, 'src', 'main.js')], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const append = (chunk: Buffer) => {
      log.write(chunk);
      this.tail = (this.tail + chunk.toString('utf8')).slice(-TAIL_CHARS);
      for (const listener of this.listeners) listener();
    };
    this.child.stdout?.on('data', append);
    this.child.stderr?.on('data', append);
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  output(): string {
    return this.tail;
  }

  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      const done = (error: Error | null, match?: RegExpMatchArray) => {
        this.listeners.delete(check);
        clearTimeout(timer);
        if (error) reject(error);
        else resolve(match as RegExpMatchArray);
      };
      const check = () => {
        const match = pattern.exec(this.tail);
        if (match) done(null, match);
      };
      const timer = setTimeout(
        () =>
          done(
            new Error(`${this.name}: no ${String(pattern)} in ${timeoutMs} ms:\n${this.tail.slice(-2000)}`),
          ),
        timeoutMs,
      );
      this.listeners.add(check);
      void this.exited.then((code) => {
        if (this.listeners.has(check))
          done(
            new Error(`${this.name} exited (${code}) before ${String(pattern)}:\n${this.tail.slice(-2000)}`),
          );
      });
      check();
    });
  }

  async kill(signal: NodeJS.Signals): Promise<void> {
    this.killedOnPurpose = true;
    if (this.alive) this.child.kill(signal);
    await this.exited;
  }
}

export interface ClusterEvents {
  /** A process that died without the soak killing it (restarted by the supervisor). */
  onUnexpectedExit(name: string, code: number | null, tail: string): void;
}

/** One API and N workers, supervised. */
export class Cluster {
  api: AppProcess;
  apiUrl = '';
  adminKey = '';
  readonly workers: AppProcess[] = [];
  private started = 0;
  private stopping = false;
  readonly log: WriteStream;

  constructor(
    private readonly env: Record<string, string>,
    private readonly apiPort: number,
    logDir: string,
    private readonly events: ClusterEvents,
  ) {
    this.log = createWriteStream(join(logDir, 'apps.log'), { flags: 'a' });
  }

  async start(workers: number): Promise<void> {
    this.api = this.spawnApi();
    const [, url] = await this.api.waitFor(/running at (http:\/\/\S+)/, 120_000);
    this.apiUrl = url;
    const [, key] = await this.api.waitFor(/^\s+(lb_\S+)$/m, 10_000);
    this.adminKey = key;
    for (let i = 0; i < workers; i++) {
      const worker = this.spawnWorker();
      await worker.waitFor(/consuming/, 120_000);
    }
  }

  private spawnApi(): AppProcess {
    const api = new AppProcess('api', 'api', { ...this.env, PORT: String(this.apiPort) }, this.log);
    this.supervise(api, () => {
      this.api = this.spawnApi();
    });
    return api;
  }

  private spawnWorker(): AppProcess {
    const worker = new AppProcess(`worker-${++this.started}`, 'worker', this.env, this.log);
    this.workers.push(worker);
    this.supervise(worker, () => {
      this.workers.splice(this.workers.indexOf(worker), 1);
      this.spawnWorker();
    });
    return worker;
  }

  /** Restarts a process that died on its own (a worker that cannot boot while PostgreSQL is down, say). */
  private supervise(process: AppProcess, restart: () => void): void {
    void process.exited.then(async (code) => {
      if (process.killedOnPurpose || this.stopping) return;
      this.events.onUnexpectedExit(process.name, code, process.output());
      await sleep(1_000);
      if (!this.stopping) restart();
    });
  }

  /** Waits until every worker has finished booting (and so has set the recurring jobs in Redis). */
  async booted(timeoutMs: number): Promise<void> {
    await Promise.all(this.workers.map((w) => w.waitFor(/consuming/, timeoutMs)));
  }

  /** SIGKILL of a random worker, and its replacement started at once. @returns the victim's name. */
  async killRandomWorker(): Promise<string> {
    const alive = this.workers.filter((w) => w.alive);
    const victim = alive[Math.floor(Math.random() * alive.length)];
    await victim.kill('SIGKILL');
    this.workers.splice(this.workers.indexOf(victim), 1);
    this.spawnWorker();
    return victim.name;
  }

  /** SIGTERM everything (the product's graceful stop), SIGKILL what lingers. */
  async stop(): Promise<void> {
    this.stopping = true;
    const all = [this.api, ...this.workers].filter((p): p is AppProcess => Boolean(p));
    await Promise.all(
      all.map(async (p) => {
        p.killedOnPurpose = true;
        if (!p.alive) return;
        p.child.kill('SIGTERM');
        const timer = setTimeout(() => p.child.kill('SIGKILL'), 15_000);
        await p.exited;
        clearTimeout(timer);
      }),
    );
    await new Promise<void>((resolve) => this.log.end(resolve));
  }

  /** Last resort on exit (synchronous). */
  killNow(): void {
    this.stopping = true;
    for (const p of [this.api, ...this.workers]) if (p?.alive) p.child.kill('SIGKILL');
  }
}
