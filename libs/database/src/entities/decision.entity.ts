import {
  Column,
  CreateDateColumn,
  Entity,
  Generated,
  Index,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

export enum DecisionKind {
  Fix = 'fix',
  SmallEvolution = 'small_evolution',
  Route = 'route',
  Watch = 'watch',
  Reject = 'reject',
}

/**
 * What the Monday meeting decided for an irritant of a week's board. Every decision is kept (the
 * history); the latest for a week and an irritant is the one in force.
 */
@Entity('decision')
@Index('ix_decision_week_irritant', ['isoWeek', 'irritantId', 'createdAt'])
@Index('ix_decision_routed', ['department', 'answeredAt'])
export class Decision {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'iso_week', type: 'varchar', length: 8 })
  isoWeek: string;

  @Column({ name: 'irritant_id', type: 'uuid' })
  irritantId: string;

  @Column({ type: 'varchar', length: 16 })
  kind: DecisionKind;

  /** For `route`: the department it goes to. */
  @Column({ type: 'varchar', length: 40, nullable: true })
  department: string | null;

  @Column({ type: 'varchar', length: 120, nullable: true })
  owner: string | null;

  @Column({ name: 'target_release', type: 'varchar', length: 60, nullable: true })
  targetRelease: string | null;

  @Column({ type: 'varchar', length: 2000, nullable: true })
  comment: string | null;

  @Column({ type: 'varchar', length: 80 })
  actor: string;

  /** For `route`: when and what the department answered. */
  @Column({ name: 'answered_at', type: 'timestamptz', nullable: true })
  answeredAt: Date | null;

  /** The department's latest answer; every answer is kept in `decision_answer`. */
  @Column({ type: 'varchar', length: 2000, nullable: true })
  answer: string | null;

  /** For `route`: when it was flagged as waiting too long for its department's answer. */
  @Column({ name: 'overdue_at', type: 'timestamptz', nullable: true })
  overdueAt: Date | null;

  /** Taken after every decision of a lower number: orders decisions taken at one instant. */
  @Column({ type: 'bigint', insert: false, update: false, select: false })
  @Generated('increment')
  seq?: string;

  /** The product's clock when it was taken (its age and "the latest" are read from it). */
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}

/** One answer of a department to a routed decision: a second answer adds to the history. */
@Entity('decision_answer')
@Index('ix_decision_answer_decision', ['decisionId', 'createdAt'])
export class DecisionAnswer {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'decision_id', type: 'uuid' })
  decisionId: string;

  @Column({ type: 'varchar', length: 2000 })
  answer: string;

  @Column({ type: 'varchar', length: 80 })
  actor: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  /** Orders answers given at one instant. */
  @Column({ type: 'bigint', insert: false, update: false, select: false })
  @Generated('increment')
  seq?: string;
}

export enum TicketStatus {
  Todo = 'todo',
  InProgress = 'in_progress',
  Fixed = 'fixed',
  Deployed = 'deployed',
  /** The meeting changed its mind (the decision is no longer fix or small evolution). */
  Dropped = 'dropped',
}

/**
 * Accepted work (a fix or a small evolution) that developers pull by priority. One per irritant
 * while it is open: deciding again on the same irritant updates it.
 */
@Entity('ticket')
@Index('ix_ticket_status_priority', ['status', 'priority'])
@Index('uq_ticket_open_irritant', ['irritantId'], {
  unique: true,
  where: `status <> 'deployed' AND status <> 'dropped'`,
})
export class Ticket {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'irritant_id', type: 'uuid' })
  irritantId: string;

  @Column({ name: 'decision_id', type: 'uuid' })
  decisionId: string;

  /** The week of the board it was decided on. */
  @Column({ name: 'iso_week', type: 'varchar', length: 8 })
  isoWeek: string;

  @Column({ type: 'varchar', length: 16 })
  kind: DecisionKind;

  @Column({ type: 'varchar', length: 12 })
  status: TicketStatus;

  /** The board total when decided: what developers sort by. */
  @Column({ type: 'real' })
  priority: number;

  @Column({ type: 'varchar', length: 120, nullable: true })
  team: string | null;

  @Column({ name: 'claimed_by', type: 'varchar', length: 80, nullable: true })
  claimedBy: string | null;

  @Column({ type: 'varchar', length: 60, nullable: true })
  release: string | null;

  /** The irritant's first verbatim: time-to-fix runs from here to `deployedAt`. */
  @Column({ name: 'first_seen_at', type: 'timestamptz' })
  firstSeenAt: Date;

  @Column({ name: 'deployed_at', type: 'timestamptz', nullable: true })
  deployedAt: Date | null;

  /** When it was flagged as past TIME_TO_FIX_TARGET_DAYS while still open (`ticket.overdue`). */
  @Column({ name: 'overdue_at', type: 'timestamptz', nullable: true })
  overdueAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/** The quote the team pinned for an irritant of a week's board: the digest shows it. */
@Entity('pinned_quote')
export class PinnedQuote {
  @PrimaryColumn({ name: 'iso_week', type: 'varchar', length: 8 })
  isoWeek: string;

  @PrimaryColumn({ name: 'irritant_id', type: 'uuid' })
  irritantId: string;

  @Column({ name: 'verbatim_id', type: 'uuid' })
  verbatimId: string;

  @Column({ type: 'varchar', length: 80 })
  actor: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
