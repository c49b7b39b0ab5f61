import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/**
 * Embedded PostgreSQL: PGlite (PostgreSQL compiled to WASM) persisted under DATA_DIR, served on a
 * loopback port so that TypeORM talks to it through the ordinary `pg` driver, exactly as in
 * server mode. One process owns the directory; it advertises its port in a lock file so that the
 * CLI can go through it instead of opening (and corrupting) the same files a second time.
 */
export interface EmbeddedPostgres {
  readonly url: string;
  /** True when this process opened the database; false when it goes through another process. */
  readonly owner: boolean;
  close(): Promise<void>;
}

interface LockFile {
  pid: number;
  port: number;
  startedAt: string;
}

export class DataDirInUseError extends Error {
  constructor(dataDir: string, pid: number) {
    super(
      `${dataDir} is in use by process ${pid} (embedded database); stop it, or run this command through it`,
    );
    this.name = 'DataDirInUseError';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLock(path: string): LockFile | null {
  try {
    const lock = JSON.parse(readFileSync(path, 'utf8')) as LockFile;
    return Number.isInteger(lock.pid) && Number.isInteger(lock.port) ? lock : null;
  } catch {
    return null;
  }
}

export function embeddedLockPath(dataDir: string): string {
  return join(dataDir, 'postgres.lock.json');
}

/**
 * Opens the embedded database, or joins the process that already has it open when `join` is set.
 * @param maxConnections the pool size of this process plus room for a CLI joining it.
 */
export async function openEmbeddedPostgres(
  dataDir: string,
  options: { maxConnections: number; join: boolean },
): Promise<EmbeddedPostgres> {
  mkdirSync(dataDir, { recursive: true });
  const lockPath = embeddedLockPath(dataDir);
  const existing = readLock(lockPath);
  if (existing && existing.pid !== process.pid && isAlive(existing.pid)) {
    if (!options.join) throw new DataDirInUseError(dataDir, existing.pid);
    return {
      url: `postgres://postgres@127.0.0.1:${existing.port}/postgres`,
      owner: false,
      close: () => Promise.resolve(),
    };
  }
  // Claim the directory before opening it: a second process started at the same instant finds the
  // lock held (O_EXCL), rather than both opening the files.
  rmSync(lockPath, { force: true });
  writeFileSync(
    lockPath,
    JSON.stringify({ pid: process.pid, port: 0, startedAt: new Date().toISOString() }),
    {
      flag: 'wx',
    },
  );

  // Both packages ship ESM and CJS builds; loaded lazily so that server mode never pays for the WASM.
  const { PGlite: PGliteClass } = await import('@electric-sql/pglite');
  const { PGLiteSocketServer: SocketServer } = await import('@electric-sql/pglite-socket');
  let db: PGlite | undefined;
  let server: PGLiteSocketServer | undefined;
  try {
    db = await PGliteClass.create({ dataDir: join(dataDir, 'pglite') });
    server = new SocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: options.maxConnections });
    await server.start();
    const port = Number(/:(\d+)$/.exec(server.getServerConn())?.[1]);
    if (!Number.isInteger(port) || port <= 0)
      throw new Error(`embedded database gave no port (${server.getServerConn()})`);
    const lock: LockFile = { pid: process.pid, port, startedAt: new Date().toISOString() };
    writeFileSync(lockPath, JSON.stringify(lock));
    const opened = { db, server };
    return {
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      owner: true,
      async close() {
        await opened.server.stop();
        await opened.db.close();
        rmSync(lockPath, { force: true });
      },
    };
  } catch (error) {
    await server?.stop().catch(() => undefined);
    await db?.close().catch(() => undefined);
    rmSync(lockPath, { force: true });
    throw error;
  }
}
