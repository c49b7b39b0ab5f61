import type { DataSource } from 'typeorm';

// Any constant will do, as long as every process of the product uses the same one.
const MIGRATION_LOCK_KEY = 72_410_001;

/**
 * Applies pending migrations once, even when an API and several workers boot at the same instant:
 * the first to take the advisory lock migrates, the others wait for it and then find nothing to do.
 * @returns the names of the migrations this call applied.
 */
export async function runMigrationsOnce(dataSource: DataSource, options = { lock: true }): Promise<string[]> {
  if (!options.lock)
    return (await dataSource.runMigrations({ transaction: 'each' })).map((migration) => migration.name);
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((migration) => migration.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await runner.release();
  }
}
