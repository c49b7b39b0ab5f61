import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/** A category an admin added to the shipped taxonomy; the next model learns it from its examples. */
@Entity('taxonomy_category')
export class TaxonomyCategory {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  key: string;

  @Column({ name: 'label_fr', type: 'varchar', length: 80 })
  labelFr: string;

  @Column({ name: 'label_en', type: 'varchar', length: 80 })
  labelEn: string;

  /** Not about the site or the app: routed to another department rather than fixed by the team. */
  @Column({ name: 'off_site', type: 'boolean', default: false })
  offSite: boolean;

  @Column({ name: 'created_by', type: 'varchar', length: 80 })
  createdBy: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

/** A training example an admin gave a category (shipped or added), redacted. */
@Entity('category_example')
@Index('ix_category_example_key', ['categoryKey'])
export class CategoryExample {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'category_key', type: 'varchar', length: 32 })
  categoryKey: string;

  @Column({ type: 'varchar', length: 2000 })
  text: string;

  @Column({ name: 'created_by', type: 'varchar', length: 80 })
  createdBy: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
