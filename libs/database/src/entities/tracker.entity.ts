import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export enum TrackerKind {
  Jira = 'jira',
  GitHub = 'github',
  Linear = 'linear',
}

/** Where a tracker is and how its statuses read (no secret here: those are sealed apart). */
export interface TrackerSettings {
  /** Jira: the site (https://acme.atlassian.net, or a Data Center base URL). */
  baseUrl?: string;
  /** Jira: Cloud (e-mail and API token) or Data Center (a personal access token). */
  deployment?: 'cloud' | 'datacenter';
  /** Jira Cloud: the account's e-mail, with the API token. */
  email?: string;
  /** Jira: the project key and the issue type of new issues. */
  projectKey?: string;
  issueType?: string;
  /** GitHub: the repository; `apiUrl` for GitHub Enterprise Server. */
  owner?: string;
  repo?: string;
  /** GitHub and Linear: another API base (Enterprise Server; tests). */
  apiUrl?: string;
  /** Linear: the team issues go to. */
  teamId?: string;
  /** A status name (Jira, Linear) or a label (GitHub) that means the fix is released: the ticket is deployed. */
  releasedPattern?: string;
}

/** A Jira, GitHub or Linear project that tickets go to, and come back from. */
@Entity('tracker')
export class Tracker {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 10 })
  kind: TrackerKind;

  @Column({ type: 'varchar', length: 120 })
  name: string;

  @Column({ type: 'jsonb' })
  settings: TrackerSettings;

  /** The API token, sealed: never returned or logged. */
  @Column({ name: 'token_sealed', type: 'text' })
  tokenSealed: string;

  /** The secret the tracker signs its webhooks with, sealed; null: status comes back by polling only. */
  @Column({ name: 'webhook_secret_sealed', type: 'text', nullable: true })
  webhookSecretSealed: string | null;

  /** Every new fix or small evolution gets its issue here, without anyone asking. */
  @Column({ name: 'auto_create', type: 'boolean', default: true })
  autoCreate: boolean;

  /** Read the linked issues' statuses every few minutes (when webhooks cannot reach LoveBoard). */
  @Column({ type: 'boolean', default: false })
  poll: boolean;

  @Column({ name: 'polled_at', type: 'timestamptz', nullable: true })
  polledAt: Date | null;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

export enum TicketLinkStatus {
  /** To be created in the tracker. */
  Pending = 'pending',
  Created = 'created',
  /** Out of attempts (a dead letter an admin can retry). */
  Failed = 'failed',
}

/** A ticket's issue in a tracker: its key, URL and status, and the status last told to it. */
@Entity('ticket_link')
@Index('uq_ticket_link', ['ticketId', 'trackerId'], { unique: true })
@Index('ix_ticket_link_external', ['trackerId', 'externalId'])
export class TicketLink {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'ticket_id', type: 'uuid' })
  ticketId: string;

  @Column({ name: 'tracker_id', type: 'uuid' })
  trackerId: string;

  @Column({ type: 'varchar', length: 10 })
  status: TicketLinkStatus;

  /** The tracker's own id (Jira's numeric id, GitHub's issue number, Linear's uuid). */
  @Column({ name: 'external_id', type: 'varchar', length: 80, nullable: true })
  externalId: string | null;

  /** What people call it: PAY-123, acme/shop#42, ENG-7. */
  @Column({ name: 'external_key', type: 'varchar', length: 120, nullable: true })
  externalKey: string | null;

  @Column({ name: 'external_url', type: 'varchar', length: 2000, nullable: true })
  externalUrl: string | null;

  /** The issue's status as the tracker names it, last seen. */
  @Column({ name: 'external_status', type: 'varchar', length: 120, nullable: true })
  externalStatus: string | null;

  /** The ticket's status the tracker was last told of (or told us): no echo back and forth. */
  @Column({ name: 'synced_status', type: 'varchar', length: 12, nullable: true })
  syncedStatus: string | null;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ name: 'last_error', type: 'varchar', length: 500, nullable: true })
  lastError: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
