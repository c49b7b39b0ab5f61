import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

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

/** A fresh, empty database per suite: the app's own migrations build the schema. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `lb_test_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: TEST_PG_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
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
 * Waits until every given verbatim has passed the last stage of the pipeline (clustered), polling
 * the database; throws after about 15 s.
 */
export async function waitForLastStage(url: string, ids: string[]): Promise<void> {
  for (let i = 0; i < 150; i++) {
    const [{ n }] = await query<{ n: string }>(
      url,
      `SELECT count(*) AS n FROM verbatim WHERE id = ANY($1) AND stage = 'clustered'`,
      [ids],
    );
    if (Number(n) === ids.length) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('verbatims never reached the last stage (clustered)');
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
