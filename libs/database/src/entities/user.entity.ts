import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export enum Role {
  Viewer = 'viewer',
  Triager = 'triager',
  Admin = 'admin',
  /** Pulls prioritised tickets; reads, never decides. */
  Developer = 'developer',
}

/** A person of the triage team (local account in embedded mode, or signed in through the company's SSO). */
@Entity('app_user')
@Index('uq_app_user_email', ['email'], { unique: true })
export class User {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 320 })
  email: string;

  @Column({ name: 'display_name', type: 'varchar', length: 120 })
  displayName: string;

  @Column({ type: 'varchar', length: 16 })
  role: Role;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'disabled_at', type: 'timestamptz', nullable: true })
  disabledAt: Date | null;
}
