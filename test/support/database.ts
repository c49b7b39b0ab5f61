import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { ConsoleLogger, Logger } from '@nestjs/common';
import { ModelStore } from '@app/analysis';
import { loadConfig } from '@app/config';
import {
  ClassifierModelRepository,
  IrritantRepository,
  TaxonomyRepository,
  VerbatimRepository,
  dataSourceOptions,
  runMigrationsOnce,
} from '@app/database';
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

const ROOT = join(__dirname, '..', '..');
/**
 * What the template is made from: the migrations, and what the default model is trained from and
 * by (the shipped training sets, the text processing, the model store).
 */
const TEMPLATE_SOURCES = [
  join(ROOT, 'libs', 'database', 'src', 'migrations'),
  join(ROOT, 'libs', 'nlp', 'src'),
  join(ROOT, 'libs', 'analysis', 'src', 'model-store.ts'),
];

function filesUnder(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((entry) => (entry.endsWith('.spec.ts') ? [] : filesUnder(join(path, entry))));
}

/**
 * The name of the template database for this tree: a hash of its sources, so that worktrees and
 * branches with other migrations or another default model (on the same PostgreSQL) never share
 * one, and a changed migration or training set makes a new template.
 */
function templateName(): string {
  const hash = createHash('sha256');
  for (const file of TEMPLATE_SOURCES.flatMap(filesUnder)) {
    hash.update(relative(ROOT, file));
    hash.update(readFileSync(file));
  }
  return `lb_template_${hash.digest('hex').slice(0, 16)}`;
}

let template: Promise<string> | undefined;

/**
 * A database with every migration applied and the default model stored, made once per set of
 * migrations and model sources and kept: each suite's database is a copy of it (`CREATE DATABASE …
 * TEMPLATE`, a file copy), instead of each suite running the migrations again and training the
 * shipped models at its first analysis (seconds of CPU each). Jest workers and concurrent runs take
 * turns through an advisory lock; the template is closed to connections, which a copy requires.
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
            // The model a fresh installation trains at its first analysis, by the same code
            // (ModelStore.current on an empty store): seeded, so the artefact and its version are
            // the ones each suite would have trained. `{ untrained: true }` keeps that path tested.
            // Its "classifier trained" line would be the run's only console output: quiet.
            Logger.overrideLogger(false);
            await new ModelStore(
              loadConfig({}),
              new ClassifierModelRepository(dataSource),
              new VerbatimRepository(dataSource),
              new IrritantRepository(dataSource),
              new TaxonomyRepository(dataSource),
            ).current();
            Logger.overrideLogger(new ConsoleLogger());
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
 * A fresh database per suite, with the real migrations applied and the default model trained (a
 * copy of the template); `{ untrained: true }` without the model, for a suite that proves what a
 * fresh installation does at its first analysis; `{ empty: true }` for a suite that runs the
 * migrations itself.
 */
export async function createTestDatabase(
  options: { empty?: boolean; untrained?: boolean } = {},
): Promise<TestDatabase> {
  const name = `lb_test_${randomBytes(6).toString('hex')}`;
  const source = options.empty ? null : await migratedTemplate();
  const admin = new Client({ connectionString: TEST_PG_URL });
  await admin.connect();
  try {
    await admin.query(
      source === null ? `CREATE DATABASE ${name}` : `CREATE DATABASE ${name} TEMPLATE ${source}`,
    );
    // A test database is thrown away after its suite and never outlives a crash: a commit need not
    // wait for its WAL to reach the disk (most of a write's time on a busy machine). What a commit
    // makes visible, and when, is unchanged.
    await admin.query(`ALTER DATABASE ${name} SET synchronous_commit = off`);
  } finally {
    await admin.end();
  }
  if (options.untrained && source !== null)
    await query(withDatabase(TEST_PG_URL, name), 'DELETE FROM classifier_model');
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
