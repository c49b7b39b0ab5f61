import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/**
 * What a group of customers complain about: near-duplicate verbatims, whatever category the
 * classifier gave each (the irritant's category is their majority, or what a person set).
 */
@Entity('irritant')
@Index('ix_irritant_category_seen', ['category', 'lastSeenAt'])
@Index('ix_irritant_seen', ['lastSeenAt'])
@Index('ix_irritant_updated', ['updatedAt'])
export class Irritant {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 32 })
  category: string;

  /** Who set the category by hand (null: it follows the majority of its verbatims). */
  @Column({ name: 'category_set_by', type: 'varchar', length: 80, nullable: true })
  categorySetBy: string | null;

  @Column({ name: 'category_set_at', type: 'timestamptz', nullable: true })
  categorySetAt: Date | null;

  /** The main language of its verbatims: French and English meet only on distinctive concepts. */
  @Column({ type: 'varchar', length: 8, nullable: true })
  lang: string | null;

  /**
   * Set when a person decided on it (merged into it, split it, moved a verbatim in or out): the
   * regrouping never moves its verbatims nor merges it with another held irritant.
   */
  @Column({ name: 'held_by', type: 'varchar', length: 80, nullable: true })
  heldBy: string | null;

  @Column({ name: 'held_at', type: 'timestamptz', nullable: true })
  heldAt: Date | null;

  /** Its most distinctive words, in the customers' own spelling. */
  @Column({ type: 'varchar', length: 200 })
  label: string;

  /** Summed term weights of its verbatims (the strongest kept), and a readable word per term. */
  @Column({ type: 'jsonb' })
  centroid: { terms: Record<string, number>; surfaces: Record<string, string>; size: number };

  @Column({ name: 'verbatim_count', type: 'integer', default: 0 })
  verbatimCount: number;

  /** Distinct hashed authors across channels: how many customers it hurts. */
  @Column({ name: 'distinct_customers', type: 'integer', default: 0 })
  distinctCustomers: number;

  @Column({ name: 'first_seen_at', type: 'timestamptz' })
  firstSeenAt: Date;

  @Column({ name: 'last_seen_at', type: 'timestamptz' })
  lastSeenAt: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
