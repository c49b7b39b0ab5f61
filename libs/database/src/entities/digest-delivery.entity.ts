import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export enum DigestStatus {
  /** Claimed by a process that is sending it now. */
  Sending = 'sending',
  Sent = 'sent',
  Failed = 'failed',
}

/** The Monday digest of one ISO week for one recipient: unique, so that it is sent once. */
@Entity('digest_delivery')
@Index('uq_digest_delivery_week_recipient', ['isoWeek', 'recipient', 'sequence'], { unique: true })
export class DigestDelivery {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'iso_week', type: 'varchar', length: 8 })
  isoWeek: string;

  /** An employee's address (the CEO's), from the configuration. */
  @Column({ type: 'varchar', length: 320 })
  recipient: string;

  @Column({ type: 'varchar', length: 2 })
  lang: string;

  /** 0: the Monday send; 1, 2…: resends someone asked for explicitly. */
  @Column({ type: 'integer', default: 0 })
  sequence: number;

  /** Sent although the week's board was not frozen (`--force`). */
  @Column({ type: 'boolean', default: false })
  forced: boolean;

  @Column({ type: 'varchar', length: 8 })
  status: DigestStatus;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  /** The Message-ID it was sent with: the same across retries, so mail servers can dedupe. */
  @Column({ name: 'message_id', type: 'varchar', length: 200 })
  messageId: string;

  @Column({ name: 'last_error', type: 'varchar', length: 500, nullable: true })
  lastError: string | null;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
