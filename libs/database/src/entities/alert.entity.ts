import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export enum AlertWindow {
  Hour = 'hour',
  Day = 'day',
}

export enum AlertStatus {
  /** Announced (chat, webhooks). */
  Raised = 'raised',
  /** Over ALERT_MAX_PER_DAY: kept and listed, not announced (no storm). */
  Suppressed = 'suppressed',
}

/** Counts and the test that made an irritant's jump an alert: what the announcement shows. */
export interface AlertEvidence {
  /** Distinct customers in the window, and what the baseline expected. */
  observed: number;
  expected: number;
  /** Poisson upper tail P(X >= observed | expected). */
  pValue: number;
  ratio: number;
  /** The baseline: distinct customers per day over `baselineDays` before the last 24 hours. */
  baselinePerDay: number;
  baselineDays: number;
  /** Distinct customers in each of the last 24 hours, oldest first. */
  hourly: number[];
  /** Both windows' figures, for the record. */
  hour: { observed: number; expected: number; pValue: number };
  day: { observed: number; expected: number; pValue: number };
  thresholds: { minCustomers: number; pValue: number; minRatio: number };
  /** Up to three of the window's verbatims, redacted. */
  quotes: { verbatimId: string; channel: string; receivedAt: string; text: string }[];
}

/**
 * An episode of an irritant's customers jumping above its own baseline: opened (and announced)
 * once, kept open while the jump goes on, closed after ALERT_QUIET_HOURS without one. One open
 * episode per irritant (a partial unique index): a scan run twice, or by two workers, alerts once.
 */
@Entity('irritant_alert')
@Index('uq_irritant_alert_open', ['irritantId'], { unique: true, where: 'closed_at IS NULL' })
@Index('ix_irritant_alert_opened', ['openedAt'])
export class IrritantAlert {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'irritant_id', type: 'uuid' })
  irritantId: string;

  /** Copied in: the alert reads the same after the irritant is merged or renamed. */
  @Column({ type: 'varchar', length: 200 })
  label: string;

  @Column({ type: 'varchar', length: 32 })
  category: string;

  /** The window whose jump was the more improbable. */
  @Column({ type: 'varchar', length: 4 })
  window: AlertWindow;

  @Column({ name: 'window_start', type: 'timestamptz' })
  windowStart: Date;

  @Column({ name: 'window_end', type: 'timestamptz' })
  windowEnd: Date;

  @Column({ type: 'integer' })
  observed: number;

  @Column({ type: 'real' })
  expected: number;

  @Column({ name: 'p_value', type: 'double precision' })
  pValue: number;

  @Column({ type: 'jsonb' })
  evidence: AlertEvidence;

  @Column({ type: 'varchar', length: 10 })
  status: AlertStatus;

  @Column({ name: 'opened_at', type: 'timestamptz' })
  openedAt: Date;

  /** The last scan that still found the jump. */
  @Column({ name: 'last_jump_at', type: 'timestamptz' })
  lastJumpAt: Date;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
