import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions, runMigrationsOnce } from '@app/database';
import { until } from './wait';

/** The PostgreSQL the tests run against (CI and the dev machine: local, trust auth). */
export const TEST_PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

const MIGRATIONS_DIR = join(__dirname, '..', '..', 'libs', 'database', 'src', 'migrations');

/**
 * The name of the template database for the migrations of this tree: a hash of their sources, so
 * that worktrees and branches with other migrations (on the same PostgreSQL) never share one, and
 * a changed migration makes a new template.
 */
function templateName(): string {
  const hash = createHash('sha256');
  for (const file of readdirSync(MIGRATIONS_DIR).sort()) {
    hash.update(file);
    hash.update(readFileSync(join(MIGRATIONS_DIR, file)));
  }
  return `lb_template_${hash.digest('hex').slice(0, 16)}`;
}

let template: Promise<string> | undefined;

/**
 * A database with every migration applied, made once per set of migrations and kept: each suite's
 * database is a copy of it (`CREATE DATABASE … TEMPLATE`, a file copy), instead of each suite
 * running the migrations again. Jest workers and concurrent runs take turns through an advisory lock;
 * the template is closed to connections, which a copy requires.
 */
function migratedTemplate(): Promise<string> {
  template ??= (async () => {
    const name = templateName();
    const admin = new Client({ connectionString: TEST_PG_URL });
    await admin.connect();
    try {
      await admin.query('SELECT pg_advisory_lock(hashtext($1))', [name]);
      const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (found.rowCount === 0) {
        const building = `${name}_${randomBytes(3).toString('hex')}`;
        await admin.query(`CREATE DATABASE ${building}`);
        try {
          const dataSource = new DataSource(dataSourceOptions(withDatabase(TEST_PG_URL, building), 1));
          await dataSource.initialize();
          try {
            await runMigrationsOnce(dataSource, { lock: false });
          } finally {
            await dataSource.destroy();
          }
          await admin.query(`ALTER DATABASE ${building} RENAME TO ${name}`);
        } catch (error) {
          await admin.query(`DROP DATABASE IF EXISTS ${building} WITH (FORCE)`);
          throw error;
        }
        await admin.query(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS false IS_TEMPLATE true`);
      }
      return name;
    } finally {
      await admin.query('SELECT pg_advisory_unlock(hashtext($1))', [name]).catch(() => undefined);
      await admin.end();
    }
  })();
  const pending = template;
  // A failed attempt (PostgreSQL down) must not poison the next suite of this worker.
  void pending.catch(() => {
    if (template === pending) template = undefined;
  });
  return pending;
}

/**
 * A fresh database per suite, with the real migrations applied (a copy of the migrated template);
 * `{ empty: true }` for a suite that runs the migrations itself.
 */
export async function createTestDatabase(options: { empty?: boolean } = {}): Promise<TestDatabase> {
  const name = `lb_test_${randomBytes(6).toString('hex')}`;
  const source = options.empty ? null : await migratedTemplate();
  const admin = new Client({ connectionString: TEST_PG_URL });
  await admin.connect();
  try {
    await admin.query(
      source === null ? `CREATE DATABASE ${name}` : `CREATE DATABASE ${name} TEMPLATE ${source}`,
    );
  } finally {
    await admin.end();
  }
  return {
    url: withDatabase(TEST_PG_URL, name),
    name,
    async drop() {
      const client = new Client({ connectionString: TEST_PG_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/** A direct connection for assertions on what is stored. */
export async function query<T>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/**
 * Waits until every given verbatim has passed the last stage of the pipeline (clustered), whichever
 * process runs the jobs, polling the database.
 */
export async function waitForLastStage(url: string, ids: string[]): Promise<void> {
  await until(
    async () =>
      Number(
        (
          await query<{ n: string }>(
            url,
            `SELECT count(*) AS n FROM verbatim WHERE id = ANY($1) AND stage = 'clustered'`,
            [ids],
          )
        )[0].n,
      ),
    (n) => n === ids.length,
    { what: `${ids.length} verbatims through the last stage (clustered)`, timeoutMs: 120_000 },
  );
}

export interface StoredVerbatimRow {
  external_id: string;
  raw_text: string;
  author_key: string;
  channel: string;
  received_at: Date;
  lang: string | null;
  metadata: Record<string, unknown>;
}

/** The verbatims a source stored, by external id: what a connector test checks. */
export function verbatimsOfSource(url: string, source: string): Promise<StoredVerbatimRow[]> {
  return query<StoredVerbatimRow>(
    url,
    `SELECT v.external_id, v.raw_text, v.author_key, v.channel, v.received_at, v.lang, v.metadata
       FROM verbatim v JOIN source s ON s.id = v.source_id WHERE s.name = $1 ORDER BY v.external_id`,
    [source],
  );
}
