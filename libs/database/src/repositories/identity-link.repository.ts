import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { changedRows } from '../returning';
import { IdentityLink } from '../entities';

@Injectable()
export class IdentityLinkRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** For each of these author keys that is linked, the key it counts as. */
  async canonical(keys: string[], manager?: EntityManager): Promise<Map<string, string>> {
    if (keys.length === 0) return new Map();
    const rows = await (manager ?? this.dataSource.manager)
      .getRepository(IdentityLink)
      .find({ where: { authorKey: In([...new Set(keys)]) } });
    return new Map(rows.map((row) => [row.authorKey, row.canonicalKey]));
  }

  /**
   * Links `authorKey` to `canonicalKey` (following a chain to its end, so links never nest) and
   * re-keys the verbatims already stored under it.
   * @returns the irritants whose counts must be recomputed.
   */
  async link(authorKey: string, canonicalKey: string, actor: string): Promise<string[]> {
    return this.dataSource.transaction(async (tx) => {
      const [{ canonical_key: root } = { canonical_key: canonicalKey }] = await tx.query(
        'SELECT canonical_key FROM identity_link WHERE author_key = $1',
        [canonicalKey],
      );
      if (root === authorKey) return [];
      await tx.query(
        `INSERT INTO identity_link (author_key, canonical_key, actor) VALUES ($1, $2, $3)
         ON CONFLICT (author_key) DO UPDATE SET canonical_key = EXCLUDED.canonical_key, actor = EXCLUDED.actor`,
        [authorKey, root, actor],
      );
      // Identities linked to this one follow it.
      await tx.query('UPDATE identity_link SET canonical_key = $2 WHERE canonical_key = $1', [
        authorKey,
        root,
      ]);
      const rows = await changedRows<{ irritant_id: string | null }>(
        tx,
        `UPDATE verbatim SET author_key = $2 WHERE author_key = $1 OR author_key IN
           (SELECT author_key FROM identity_link WHERE canonical_key = $2) RETURNING irritant_id`,
        [authorKey, root],
      );
      return [...new Set(rows.map((row) => row.irritant_id).filter((id): id is string => id !== null))];
    });
  }
}
