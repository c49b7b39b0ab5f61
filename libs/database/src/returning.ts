import type { EntityManager } from 'typeorm';

/**
 * The rows an `UPDATE … RETURNING` or `DELETE … RETURNING` gives back. TypeORM answers those two
 * commands as `[rows, count]` (an INSERT or a SELECT as the rows alone): read as rows, the pair
 * looked like two results whatever happened.
 */
export async function changedRows<T>(manager: EntityManager, sql: string, params: unknown[]): Promise<T[]> {
  const [rows] = await manager.query<[T[], number]>(sql, params);
  return rows;
}
