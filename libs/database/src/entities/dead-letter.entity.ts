import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export enum DeadLetterStatus {
  Open = 'open',
  Retried = 'retried',
}

/** A job that could not succeed, kept with its input and its cause until someone reprocesses it. */
@Entity('dead_letter')
@Index('ix_dead_letter_status', ['status', 'createdAt'])
export class DeadLetter {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'job_name', type: 'varchar', length: 64 })
  jobName: string;

  @Column({ name: 'job_id', type: 'varchar', length: 256, nullable: true })
  jobId: string | null;

  @Column({ type: 'jsonb' })
  payload: Record<string, unknown>;

  /** The poison input itself when the job carried one (a raw row, a message), for inspection. */
  @Column({ type: 'jsonb', nullable: true })
  input: unknown;

  @Column({ type: 'text' })
  cause: string;

  @Column({ type: 'integer', default: 1 })
  attempts: number;

  @Column({ type: 'varchar', length: 16, default: DeadLetterStatus.Open })
  status: DeadLetterStatus;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'retried_at', type: 'timestamptz', nullable: true })
  retriedAt: Date | null;
}
