import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { User } from './user.entity';

/**
 * A person's signed-in browser. The id is the SHA-256 of the cookie's random token: a copy of the
 * table signs no one in.
 */
@Entity('user_session')
@Index('idx_user_session_expires', ['expiresAt'])
@Index('idx_user_session_user', ['userId'])
export class UserSession {
  @PrimaryColumn({ type: 'char', length: 64 })
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_user_session_user' })
  user?: User;

  /** Sent back by the UI in X-CSRF-Token on every state-changing request: the cookie alone never acts. */
  @Column({ name: 'csrf_token', type: 'varchar', length: 64 })
  csrfToken: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  /** Slides forward (SESSION_HOURS) as the session is used. */
  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'last_seen_at', type: 'timestamptz' })
  lastSeenAt: Date;
}
