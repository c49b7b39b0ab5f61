import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Where an irritant that no longer exists went: merged into another, or emptied by moves. Links,
 * bookmarks and frozen boards name the old id; reads follow this to the irritant that carries its
 * verbatims now. Chains are kept flat: when the target goes too, its redirects follow it.
 */
@Entity('irritant_redirect')
@Index('ix_irritant_redirect_to', ['toId'])
export class IrritantRedirect {
  @PrimaryColumn({ name: 'from_id', type: 'uuid' })
  fromId: string;

  @Column({ name: 'to_id', type: 'uuid' })
  toId: string;

  /** `merge` or `emptied`. */
  @Column({ type: 'varchar', length: 16 })
  reason: string;

  @Column({ type: 'varchar', length: 80 })
  actor: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}
