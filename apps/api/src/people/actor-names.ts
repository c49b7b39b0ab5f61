import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Histories store who acted as `user:<id>` or `apikey:<id>` (the id outlives a rename); people
 * read names. A user reads as their display name, a key as its name (and its owner's, when it has
 * one); an actor that no longer exists (or the system) reads as it was stored.
 */
@Injectable()
export class ActorNames {
  constructor(private readonly dataSource: DataSource) {}

  async resolve(actors: Iterable<string>): Promise<Map<string, string>> {
    const userIds = new Set<string>();
    const keyIds = new Set<string>();
    for (const actor of actors) {
      const [kind, id] = actor.split(':', 2);
      if (!id || !ID.test(id)) continue;
      if (kind === 'user') userIds.add(id);
      if (kind === 'apikey') keyIds.add(id);
    }
    const names = new Map<string, string>();
    if (userIds.size > 0) {
      const rows: { id: string; display_name: string }[] = await this.dataSource.query(
        'SELECT id, display_name FROM app_user WHERE id = ANY($1::uuid[])',
        [[...userIds]],
      );
      for (const row of rows) names.set(`user:${row.id}`, row.display_name);
    }
    if (keyIds.size > 0) {
      const rows: { id: string; name: string; owner: string | null }[] = await this.dataSource.query(
        `SELECT k.id, k.name, u.display_name AS owner
           FROM api_key k LEFT JOIN app_user u ON u.id = k.user_id
          WHERE k.id = ANY($1::uuid[])`,
        [[...keyIds]],
      );
      for (const row of rows)
        names.set(`apikey:${row.id}`, row.owner ? `${row.owner} (${row.name})` : row.name);
    }
    return names;
  }

  /** Adds `byName` next to each row's `by`. */
  async name<T extends { by: string }>(rows: T[]): Promise<(T & { byName: string })[]> {
    const names = await this.resolve(rows.map((row) => row.by));
    return rows.map((row) => ({ ...row, byName: names.get(row.by) ?? row.by }));
  }
}
