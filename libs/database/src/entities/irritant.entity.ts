import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** What a group of customers complain about: near-duplicate verbatims of one category. */
@Entity('irritant')
@Index('ix_irritant_category_seen', ['category', 'lastSeenAt'])
export class Irritant {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 32 })
  category: string;

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
