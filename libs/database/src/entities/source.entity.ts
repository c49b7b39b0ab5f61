import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export enum SourceKind {
  Api = 'api',
  Import = 'import',
  Email = 'email',
  Chat = 'chat',
  Twitter = 'twitter',
  Forum = 'forum',
  Facebook = 'facebook',
}

/** A configured connector (or an API client) that verbatims come from. */
@Entity('source')
@Index('uq_source_name', ['name'], { unique: true })
export class Source {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 64 })
  name: string;

  @Column({ type: 'varchar', length: 16 })
  kind: SourceKind;

  @Column({ type: 'boolean', default: true })
  enabled: boolean;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  settings: Record<string, unknown>;

  /**
   * The source's secrets (tokens, passwords, signing secrets) as one JSON object sealed with the
   * installation's SecretBox: never returned by the API, never logged.
   */
  @Column({ name: 'secrets_sealed', type: 'text', nullable: true })
  secretsSealed: string | null;

  /** How often a pull connector polls (seconds). */
  @Column({ name: 'poll_every_seconds', type: 'integer', default: 300 })
  pollEverySeconds: number;

  @Column({ name: 'last_poll_at', type: 'timestamptz', nullable: true })
  lastPollAt: Date | null;

  /** No poll before this: the provider's rate limit, or backoff after failures. */
  @Column({ name: 'backoff_until', type: 'timestamptz', nullable: true })
  backoffUntil: Date | null;

  @Column({ name: 'consecutive_failures', type: 'integer', default: 0 })
  consecutiveFailures: number;

  /** Where a pull connector resumes after a restart. */
  @Column({ type: 'jsonb', nullable: true })
  cursor: Record<string, unknown> | null;

  @Column({ name: 'last_success_at', type: 'timestamptz', nullable: true })
  lastSuccessAt: Date | null;

  @Column({ name: 'last_error_at', type: 'timestamptz', nullable: true })
  lastErrorAt: Date | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
