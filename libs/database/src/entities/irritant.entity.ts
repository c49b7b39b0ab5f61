import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/**
 * What a group of customers complain about: near-duplicate verbatims, whatever category the
 * classifier gave each (the irritant's category is their majority, or what a person set).
 */
@Entity('irritant')
@Index('ix_irritant_category_seen', ['category', 'lastSeenAt'])
@Index('ix_irritant_seen', ['lastSeenAt'])
@Index('ix_irritant_updated', ['updatedAt'])
// ix_irritant_retitle (partial: titles out of date) is written in the migration only.
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

  /** Its most distinctive words, in the customers' own spelling: what it is called until titled. */
  @Column({ type: 'varchar', length: 200 })
  label: string;

  /** The name a triager gave it: wins over the generated title everywhere, never recomputed. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  name: string | null;

  /** A short phrase in its customers' words, recomputed as its verbatims change (`titleOf`). */
  @Column({ type: 'varchar', length: 200, nullable: true })
  title: string | null;

  @Column({ name: 'title_lang', type: 'varchar', length: 8, nullable: true })
  titleLang: string | null;

  /** The title in the other language, when some of its verbatims are in it. */
  @Column({ name: 'title_other', type: 'varchar', length: 200, nullable: true })
  titleOther: string | null;

  @Column({ name: 'title_other_lang', type: 'varchar', length: 8, nullable: true })
  titleOtherLang: string | null;

  /** Its most representative verbatim (redacted, signature off). */
  @Column({ name: 'title_quote', type: 'varchar', length: 400, nullable: true })
  titleQuote: string | null;

  /** How many verbatims it had when titled: the retitling job compares with `verbatimCount`. */
  @Column({ name: 'titled_count', type: 'integer', default: 0 })
  titledCount: number;

  @Column({ name: 'titled_at', type: 'timestamptz', nullable: true })
  titledAt: Date | null;

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

/** Between a title and the other language's, wherever an irritant is shown by one line. */
export const TITLE_LANGUAGES_SEPARATOR = ' / ';

/**
 * What an irritant is called wherever it is shown: the name a triager gave it, else its generated
 * title (the other language's beside it), else its distinctive words until it is first titled.
 */
export function irritantTitle(irritant: Pick<Irritant, 'name' | 'title' | 'titleOther' | 'label'>): string {
  if (irritant.name) return irritant.name;
  if (irritant.title)
    return irritant.titleOther
      ? `${irritant.title}${TITLE_LANGUAGES_SEPARATOR}${irritant.titleOther}`.slice(0, 200)
      : irritant.title;
  return irritant.label;
}

/** `irritantTitle` in SQL, for the irritant table under `alias`. */
export function irritantTitleSql(alias: string): string {
  return `COALESCE(${alias}.name, left(${alias}.title || COALESCE('${TITLE_LANGUAGES_SEPARATOR}' || ${alias}.title_other, ''), 200), ${alias}.label)`;
}
