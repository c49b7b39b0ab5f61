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
@Index('uq_app_user_oidc', ['oidcIssuer', 'oidcSubject'], { unique: true })
export class User {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Stored lower-cased: one person, one account, whatever the capitals they type. */
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

  /** `scrypt$N$r$p$salt$hash` (base64url): a local account; null for people who sign in through SSO only. */
  @Column({ name: 'password_hash', type: 'varchar', length: 255, nullable: true })
  passwordHash: string | null;

  /** The provider identity this person is (issuer + subject): e-mail addresses change, subjects do not. */
  @Column({ name: 'oidc_issuer', type: 'varchar', length: 500, nullable: true })
  oidcIssuer: string | null;

  @Column({ name: 'oidc_subject', type: 'varchar', length: 255, nullable: true })
  oidcSubject: string | null;

  @Column({ name: 'last_sign_in_at', type: 'timestamptz', nullable: true })
  lastSignInAt: Date | null;
}
