import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** An admin's outgoing webhook: events of the product POSTed, signed, to a URL of theirs. */
@Entity('webhook')
export class Webhook {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 2000 })
  url: string;

  /** Sealed with the installation's SecretBox; never returned or logged. */
  @Column({ name: 'secret_sealed', type: 'text' })
  secretSealed: string;

  /** Event names it receives. */
  @Column({ type: 'jsonb' })
  events: string[];

  /** For a department's webhook: only the items routed to that department. */
  @Column({ type: 'varchar', length: 40, nullable: true })
  department: string | null;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @Column({ type: 'varchar', length: 200, nullable: true })
  description: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

export enum DeliveryStatus {
  Pending = 'pending',
  Delivered = 'delivered',
  /** Out of attempts: also a dead letter, which an admin can retry. */
  Failed = 'failed',
}

/** One event for one webhook, with the log of its attempts. Once per (webhook, event key). */
@Entity('webhook_delivery')
@Index('uq_webhook_delivery_event', ['webhookId', 'eventKey'], { unique: true })
@Index('ix_webhook_delivery_status', ['status', 'createdAt'])
export class WebhookDelivery {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'webhook_id', type: 'uuid' })
  webhookId: string;

  @Column({ type: 'varchar', length: 40 })
  event: string;

  /** What the event is about, e.g. `decision.made:<decision id>`: the same event is sent once. */
  @Column({ name: 'event_key', type: 'varchar', length: 120 })
  eventKey: string;

  @Column({ type: 'jsonb' })
  payload: Record<string, unknown>;

  @Column({ type: 'varchar', length: 10 })
  status: DeliveryStatus;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ name: 'last_status', type: 'integer', nullable: true })
  lastStatus: number | null;

  @Column({ name: 'last_error', type: 'varchar', length: 500, nullable: true })
  lastError: string | null;

  @Column({ name: 'last_attempt_at', type: 'timestamptz', nullable: true })
  lastAttemptAt: Date | null;

  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true })
  deliveredAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
