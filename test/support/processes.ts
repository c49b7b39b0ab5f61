import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');
const DIST = join(ROOT, 'dist', 'apps');

export interface Spawned {
  child: ChildProcess;
  output(): string;
  /** Resolves with the first match of `pattern` in stdout+stderr. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Runs one of the built apps (`npm test` builds first) as a real process, with an environment of
 * the test's choosing only (the developer's own variables must not leak into the run mode).
 */
export function spawnApp(
  app: 'api' | 'worker' | 'cli',
  args: string[],
  env: Record<string, string>,
  /** Another installation's root (its dist/ and shipped files), e.g. the Docker image's layout. */
  root = ROOT,
): Spawned {
  const dist = root === ROOT ? DIST : join(root, 'dist', 'apps');
  const child = spawn(process.execPath, [join(dist, app, 'src', 'main.js'), ...args], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      DOTENV_CONFIG_QUIET: 'true',
      // The run's log directory, scanned at the end of the run (test/global-teardown.ts).
      ...(process.env.LOG_DIR === undefined ? {} : { LOG_DIR: process.env.LOG_DIR, LOG_DIR_LEVEL: 'debug' }),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const listeners = new Set<() => void>();
  const append = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    for (const listener of listeners) listener();
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    output: () => output,
    exited,
    waitFor(pattern, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(output);
          if (match) {
            listeners.delete(check);
            clearTimeout(timer);
            resolve(match);
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(
            new Error(`timed out waiting for ${String(pattern)}; output so far:\n${output.slice(-3000)}`),
          );
        }, timeoutMs);
        listeners.add(check);
        void exited.then((code) => {
          if (listeners.has(check)) {
            listeners.delete(check);
            clearTimeout(timer);
            if (!pattern.exec(output))
              reject(
                new Error(`process exited (${code}) before ${String(pattern)}:\n${output.slice(-3000)}`),
              );
            else check();
          }
        });
        check();
      });
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
