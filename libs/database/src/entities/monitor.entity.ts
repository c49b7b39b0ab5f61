import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export enum MonitorKind {
  /** Multi-step HTTP journey: requests, captured variables, assertions on status, body, time. */
  Http = 'http',
  /** Scripted steps in headless Chromium, with a screenshot of a failed step. */
  Browser = 'browser',
}

export enum RunStatus {
  Ok = 'ok',
  /** Every assertion held but the journey took longer than its `slowMs`. */
  Slow = 'slow',
  Failed = 'failed',
  /**
   * The runner could not measure the journey (no browser to start, the worker out of resources):
   * an infrastructure error, not a customer failure. Left out of availability, the axes and
   * correlation.
   */
  Error = 'error',
}

/** A synthetic customer journey the product replays on a schedule. */
@Entity('monitor')
export class Monitor {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 120 })
  name: string;

  @Column({ type: 'varchar', length: 8 })
  kind: MonitorKind;

  /** The steps (see docs/MONITORS.md), validated when the monitor is saved. */
  @Column({ type: 'jsonb' })
  steps: Record<string, unknown>[];

  @Column({ name: 'every_seconds', type: 'integer', default: 300 })
  everySeconds: number;

  /** A run still going after this is cut and counted as failed. */
  @Column({ name: 'timeout_ms', type: 'integer', default: 60_000 })
  timeoutMs: number;

  /** A journey longer than this is slow. */
  @Column({ name: 'slow_ms', type: 'integer', nullable: true })
  slowMs: number | null;

  /** The KPI its journey time feeds (e.g. `booking_journey_time`), in seconds. */
  @Column({ name: 'kpi_key', type: 'varchar', length: 40, nullable: true })
  kpiKey: string | null;

  /** Irritants of these categories are linked to it by rule. */
  @Column({ type: 'jsonb', default: () => "'[]'" })
  categories: string[];

  @Column({ type: 'boolean', default: true })
  enabled: boolean;

  @Column({ name: 'last_run_at', type: 'timestamptz', nullable: true })
  lastRunAt: Date | null;

  @Column({ name: 'last_status', type: 'varchar', length: 8, nullable: true })
  lastStatus: RunStatus | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

export interface StepResult {
  name: string;
  status: 'ok' | 'failed' | 'skipped';
  ms: number;
  error?: string;
}

/** One run of a monitor, step by step. Once per monitor and schedule slot. */
@Entity('monitor_run')
@Index('uq_monitor_run_slot', ['monitorId', 'slot'], { unique: true })
@Index('ix_monitor_run_started', ['monitorId', 'startedAt'])
export class MonitorRun {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'monitor_id', type: 'uuid' })
  monitorId: string;

  /** The schedule slot that asked for it: a replayed job runs nothing twice. */
  @Column({ type: 'bigint' })
  slot: string;

  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt: Date;

  @Column({ name: 'duration_ms', type: 'integer' })
  durationMs: number;

  @Column({ type: 'varchar', length: 8 })
  status: RunStatus;

  @Column({ type: 'jsonb' })
  steps: StepResult[];

  /** PNG of the page when a browser step failed. */
  @Column({ type: 'bytea', nullable: true })
  screenshot: Buffer | null;
}

/** An irritant linked by hand to a monitor or a KPI (rules link by category, see Monitor). */
@Entity('irritant_link')
@Index('uq_irritant_link', ['irritantId', 'monitorId', 'kpiKey'], { unique: true })
export class IrritantLink {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'irritant_id', type: 'uuid' })
  irritantId: string;

  @Column({ name: 'monitor_id', type: 'uuid', nullable: true })
  monitorId: string | null;

  @Column({ name: 'kpi_key', type: 'varchar', length: 40, nullable: true })
  kpiKey: string | null;

  @Column({ type: 'varchar', length: 80 })
  actor: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

export enum ProposalStatus {
  Proposed = 'proposed',
  Accepted = 'accepted',
  Dismissed = 'dismissed',
}

/**
 * A link the product suggests between an irritant and a monitor or a KPI: the irritant's volume
 * jumped in a week when the monitor failed or the KPI left its target. A person accepts it (it
 * becomes a link) or dismisses it; it is proposed once per week.
 */
@Entity('link_proposal')
@Index('uq_link_proposal', ['irritantId', 'isoWeek', 'monitorId', 'kpiKey'], { unique: true })
export class LinkProposal {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'irritant_id', type: 'uuid' })
  irritantId: string;

  @Column({ name: 'iso_week', type: 'varchar', length: 8 })
  isoWeek: string;

  @Column({ name: 'monitor_id', type: 'uuid', nullable: true })
  monitorId: string | null;

  @Column({ name: 'kpi_key', type: 'varchar', length: 40, nullable: true })
  kpiKey: string | null;

  /** Times and values that make the case, in words and figures. */
  @Column({ type: 'jsonb' })
  evidence: Record<string, unknown>;

  @Column({ type: 'varchar', length: 10 })
  status: ProposalStatus;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
