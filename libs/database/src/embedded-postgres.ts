import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/**
 * Embedded PostgreSQL: PGlite (PostgreSQL compiled to WASM) persisted under DATA_DIR, served on a
 * loopback port so that TypeORM talks to it through the ordinary `pg` driver, exactly as in
 * server mode. One process owns the directory (a lock file names it); a second one is refused
 * rather than let open the same files.
 *
 * One connection only: pglite-socket multiplexes its connections onto PGlite's single session, one
 * protocol message at a time, so the Parse/Bind/Execute messages of two concurrent connections
 * interleave and a query can run another's statement (seen here: an API-key lookup answered with
 * the rows of a clustering query). The pool of the owning process is therefore one connection.
 */
export interface EmbeddedPostgres {
  readonly url: string;
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
      `${dataDir} is in use by process ${pid} (the embedded database allows one process): stop it first, or send verbatims through its API (POST /api/v1/verbatims)`,
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

/** Opens the embedded database, or refuses with `DataDirInUseError` while another process has it. */
export async function openEmbeddedPostgres(dataDir: string): Promise<EmbeddedPostgres> {
  mkdirSync(dataDir, { recursive: true });
  const lockPath = embeddedLockPath(dataDir);
  const existing = readLock(lockPath);
  if (existing && existing.pid !== process.pid && isAlive(existing.pid))
    throw new DataDirInUseError(dataDir, existing.pid);
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
    server = new SocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 1 });
    await server.start();
    const port = Number(/:(\d+)$/.exec(server.getServerConn())?.[1]);
    if (!Number.isInteger(port) || port <= 0)
      throw new Error(`embedded database gave no port (${server.getServerConn()})`);
    const lock: LockFile = { pid: process.pid, port, startedAt: new Date().toISOString() };
    writeFileSync(lockPath, JSON.stringify(lock));
    const opened = { db, server };
    return {
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
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
