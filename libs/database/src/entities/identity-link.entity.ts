import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * "These two identities are one customer" (an e-mail address and a customer id, a Twitter handle
 * and an e-mail), kept as the keyed hashes of both: the same person counts once across channels,
 * and no identity is stored in the clear.
 */
@Entity('identity_link')
export class IdentityLink {
  /** The author key of the identity that is linked. */
  @PrimaryColumn({ name: 'author_key', type: 'varchar', length: 64 })
  authorKey: string;

  /** The author key it counts as. */
  @Column({ name: 'canonical_key', type: 'varchar', length: 64 })
  canonicalKey: string;

  @Column({ type: 'varchar', length: 80 })
  actor: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
