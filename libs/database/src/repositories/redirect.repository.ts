import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { IrritantRedirect } from '../entities';

/** Where irritants that no longer exist went (merged, or emptied by moves). */
@Injectable()
export class RedirectRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * `fromId` now lives on as `toId`; earlier redirects to `fromId` follow it, so that every chain
   * is one step long. In the caller's transaction (the merge's).
   */
  async redirect(
    fromId: string,
    toId: string,
    reason: string,
    actor: string,
    at: Date,
    tx?: EntityManager,
  ): Promise<void> {
    if (!tx) return this.dataSource.transaction((own) => this.redirect(fromId, toId, reason, actor, at, own));
    await tx.query('UPDATE irritant_redirect SET to_id = $2 WHERE to_id = $1', [fromId, toId]);
    await tx.query(
      `INSERT INTO irritant_redirect (from_id, to_id, reason, actor, created_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (from_id) DO UPDATE SET to_id = EXCLUDED.to_id, reason = EXCLUDED.reason,
              actor = EXCLUDED.actor, created_at = EXCLUDED.created_at`,
      [fromId, toId, reason, actor, at],
    );
    // An irritant that exists again (never: ids are not reused) would not redirect to itself.
    await tx.query('DELETE FROM irritant_redirect WHERE from_id = to_id');
  }

  /** Where an irritant went, or null when it did not (it exists, or never did). */
  find(fromId: string): Promise<IrritantRedirect | null> {
    return this.dataSource.getRepository(IrritantRedirect).findOne({ where: { fromId } });
  }
}
