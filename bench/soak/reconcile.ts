/**
 * What the database says: progress while the soak runs, and at the end every id sent reconciled
 * against what was stored, clustered, or dead-lettered with a cause.
 */
import { Pool } from 'pg';

/** A small pool that survives the soak killing PostgreSQL: a failed probe just answers null. */
export class Probe {
  private readonly pool: Pool;

  constructor(url: string) {
    this.pool = new Pool({
      connectionString: url,
      max: 3,
      connectionTimeoutMillis: 3_000,
      idleTimeoutMillis: 5_000,
      statement_timeout: 30_000,
    });
    // An idle connection broken by the PostgreSQL kill: the next query opens a new one.
    this.pool.on('error', () => undefined);
  }

  async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.pool.query(sql, params)).rows as T[];
  }

  async tryQuery<T>(sql: string, params: unknown[] = []): Promise<T[] | null> {
    try {
      return await this.query<T>(sql, params);
    } catch {
      return null;
    }
  }

  /** Has a verbatim stored after `since` passed the last stage? (the pipeline works end to end) */
  async clusteredSince(since: Date): Promise<boolean | null> {
    const rows = await this.tryQuery<{ ok: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM verbatim WHERE stage = 'clustered' AND created_at > $1) AS ok`,
      [since],
    );
    return rows ? rows[0].ok : null;
  }

  async stages(): Promise<{ total: number; clustered: number } | null> {
    const rows = await this.tryQuery<{ total: number; clustered: number }>(
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE stage = 'clustered')::int AS clustered FROM verbatim`,
    );
    return rows ? rows[0] : null;
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

export interface Reconciliation {
  sent: number;
  stored: number;
  lost: number;
  /** Extra rows per (source, external id), plus verbatims counted twice in irritant counts. */
  duplicated: number;
  deadLetters: number;
  /** Dead letters that are not for a poison input (each one fails the soak). */
  unexpectedDeadLetters: string[];
  /** Poison inputs stored as verbatims, or without a dead letter: they were not refused. */
  poisonNotRefused: string[];
  /** Sent ids stored but never through the last stage. */
  unfinished: number;
  /** Rows no one sent (none expected). */
  unknown: number;
  irritantCounts: { counted: number; attached: number };
  lostSample: string[];
}

/**
 * @param sent the ids sent, per source name
 * @param poison the ids that must end as dead letters, per source name
 */
export async function reconcile(
  probe: Probe,
  sent: Map<string, string[]>,
  poison: Map<string, string[]>,
): Promise<Reconciliation> {
  const rows = await probe.query<{ source: string; external_id: string; n: number; done: boolean }>(
    `SELECT s.name AS source, v.external_id, count(*)::int AS n, bool_and(v.stage = 'clustered') AS done
       FROM verbatim v JOIN source s ON s.id = v.source_id GROUP BY s.name, v.external_id`,
  );
  const stored = new Map(rows.map((row) => [`${row.source}\u0000${row.external_id}`, row]));
  const letters = await probe.query<{ job_name: string; cause: string; payload: Record<string, unknown> }>(
    `SELECT d.job_name, d.cause, d.payload, s.name AS source
       FROM dead_letter d LEFT JOIN source s ON s.id::text = d.payload->>'sourceId'`,
  );
  const poisonKeys = new Set([...poison].flatMap(([source, ids]) => ids.map((id) => `${source}\u0000${id}`)));
  const deadLettered = new Set<string>();
  const unexpectedDeadLetters: string[] = [];
  for (const letter of letters as ((typeof letters)[number] & { source: string | null })[]) {
    const key = `${letter.source ?? ''}\u0000${typeof letter.payload.externalId === 'string' ? letter.payload.externalId : ''}`;
    if (poisonKeys.has(key) && letter.cause.trim() !== '') deadLettered.add(key);
    else unexpectedDeadLetters.push(`${letter.job_name}: ${letter.cause.slice(0, 200)}`);
  }

  let sentCount = 0;
  let storedCount = 0;
  let unfinished = 0;
  const lost: string[] = [];
  const poisonNotRefused: string[] = [];
  const sentKeys = new Set<string>();
  for (const [source, ids] of [...sent, ...poison]) {
    for (const id of ids) {
      const key = `${source}\u0000${id}`;
      if (sentKeys.has(key)) continue;
      sentKeys.add(key);
      sentCount++;
      const row = stored.get(key);
      if (poisonKeys.has(key) && (row || !deadLettered.has(key))) poisonNotRefused.push(`${source}/${id}`);
      if (row) {
        storedCount++;
        if (!row.done) unfinished++;
      } else if (!deadLettered.has(key)) lost.push(`${source}/${id}`);
    }
  }
  const duplicateRows = rows.reduce((sum, row) => sum + row.n - 1, 0);
  const [irritantCounts] = await probe.query<{ counted: number; attached: number }>(
    `SELECT (SELECT coalesce(sum(verbatim_count), 0)::int FROM irritant) AS counted,
            (SELECT count(*)::int FROM verbatim WHERE irritant_id IS NOT NULL) AS attached`,
  );
  return {
    sent: sentCount,
    stored: storedCount,
    lost: lost.length,
    duplicated: duplicateRows + Math.max(0, irritantCounts.counted - irritantCounts.attached),
    deadLetters: letters.length,
    unexpectedDeadLetters,
    poisonNotRefused,
    unfinished,
    unknown: rows.filter((row) => !sentKeys.has(`${row.source}\u0000${row.external_id}`)).length,
    irritantCounts,
    lostSample: lost.slice(0, 10),
  };
}
