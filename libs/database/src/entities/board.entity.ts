import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

export enum BoardStatus {
  /** The current week (or a past one not frozen yet): recomputed as verbatims come in. */
  Live = 'live',
  /** Snapshot taken at the freeze time: never changes again. */
  Frozen = 'frozen',
}

/** The weekly prioritisation board of one ISO week. */
@Entity('board')
export class Board {
  /** `2026-W48`. */
  @PrimaryColumn({ name: 'iso_week', type: 'varchar', length: 8 })
  isoWeek: string;

  @Column({ type: 'varchar', length: 8 })
  status: BoardStatus;

  @Column({ name: 'computed_at', type: 'timestamptz' })
  computedAt: Date;

  @Column({ name: 'frozen_at', type: 'timestamptz', nullable: true })
  frozenAt: Date | null;

  /** The scoring profile that produced it. */
  @Column({ type: 'varchar', length: 60 })
  profile: string;
}

/** A scoring reason as stored: a code, its figures and names, and its English text (libs/scoring). */
export interface StoredReason {
  code: string;
  params: Readonly<Record<string, string | number | null | readonly string[]>>;
  text: string;
}

export interface AxisView {
  score: number;
  /** The reasons' English texts (all that boards frozen before reasons had codes hold). */
  reasons: string[];
  /** The same reasons with their codes and figures, to say them in another language. */
  details?: StoredReason[];
  /** A person's score in place of the computed one, with why. */
  override?: { score: number; computed: number; reason: string; by: string; at: string };
}

export interface QuoteView {
  verbatimId: string;
  channel: string;
  receivedAt: string;
  /** Redacted. */
  text: string;
}

/**
 * One ranked irritant of a week's board. Everything shown is copied in (label, category, quotes),
 * so that a frozen board reads the same after irritants are merged, split or relabelled; hence no
 * foreign key to the irritant.
 */
@Entity('board_item')
@Index('uq_board_item_week_irritant', ['isoWeek', 'irritantId'], { unique: true })
@Index('ix_board_item_week_rank', ['isoWeek', 'rank'])
@Index('ix_board_item_irritant', ['irritantId', 'isoWeek'])
export class BoardItem {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'iso_week', type: 'varchar', length: 8 })
  isoWeek: string;

  @Column({ name: 'irritant_id', type: 'uuid' })
  irritantId: string;

  @Column({ type: 'integer' })
  rank: number;

  @Column({ type: 'varchar', length: 32 })
  category: string;

  @Column({ type: 'varchar', length: 200 })
  label: string;

  @Column({ type: 'jsonb' })
  axes: Record<'client' | 'business' | 'legal' | 'technical', AxisView>;

  @Column({ type: 'real' })
  total: number;

  /** `new`, `up`, `down` or `unchanged` vs the previous week's board. */
  @Column({ type: 'varchar', length: 10 })
  movement: string;

  /** Places gained (+) or lost (-) vs the previous week; null when new. */
  @Column({ name: 'rank_change', type: 'integer', nullable: true })
  rankChange: number | null;

  @Column({ name: 'verbatim_count', type: 'integer' })
  verbatimCount: number;

  @Column({ name: 'distinct_customers', type: 'integer' })
  distinctCustomers: number;

  @Column({ type: 'jsonb' })
  channels: string[];

  @Column({ type: 'jsonb' })
  terminals: string[];

  @Column({ type: 'jsonb' })
  quotes: QuoteView[];

  @Column({ type: 'jsonb', default: () => "'[]'" })
  monitors: { id: string; name: string; status: string }[];

  @Column({ type: 'jsonb', default: () => "'[]'" })
  kpis: { key: string; name: string; value: number | null; target: number | null }[];
}

/** A person's score for one axis of one irritant, from then on (live boards), with the reason. */
@Entity('axis_override')
@Index('ix_axis_override_irritant', ['irritantId', 'axis', 'createdAt'])
export class AxisOverride {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'irritant_id', type: 'uuid' })
  irritantId: string;

  @Column({ type: 'varchar', length: 10 })
  axis: string;

  /** Null: the override is lifted, the computed score stands again. */
  @Column({ type: 'real', nullable: true })
  score: number | null;

  @Column({ type: 'varchar', length: 500 })
  reason: string;

  @Column({ type: 'varchar', length: 80 })
  actor: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}
