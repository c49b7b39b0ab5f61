import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig, PERSON_ROLES } from '@app/config';
import {
  AuditRepository,
  Role,
  SessionRepository,
  Transactions,
  User,
  UserConflictError,
  UserRepository,
} from '@app/database';
import { generatePassword, hashPassword, verifyPassword } from './password';

export interface NewPerson {
  email: string;
  role: Role;
  displayName?: string;
}

export interface CreatedUser {
  user: User;
  /** The generated password, the only time it exists in clear; null when local accounts are off. */
  password: string | null;
}

/** A refusal with a reason the caller can show (a 4xx, never a 5xx). */
export class UserError extends Error {
  constructor(
    readonly kind: 'invalid' | 'not_found' | 'conflict',
    message: string,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

const EMAIL = /^[^\s@<>()",;:]{1,64}@[^\s@<>()",;:]+\.[^\s@<>()",;:]+$/;

export function normaliseEmail(email: string): string | null {
  const trimmed = email.trim().toLowerCase();
  return trimmed.length <= 320 && EMAIL.test(trimmed) ? trimmed : null;
}

export function isPersonRole(role: string): role is Role {
  return (PERSON_ROLES as readonly string[]).includes(role);
}

/** The people of the triage team: local accounts, their roles, their disabling. */
@Injectable()
export class UserService {
  private dummyHash: Promise<string> | null = null;

  constructor(
    private readonly users: UserRepository,
    private readonly sessions: SessionRepository,
    private readonly audit: AuditRepository,
    private readonly transactions: Transactions,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  list(): Promise<User[]> {
    return this.users.list();
  }

  findByEmail(email: string): Promise<User | null> {
    const normalised = normaliseEmail(email);
    return normalised === null ? Promise.resolve(null) : this.users.findByEmail(normalised);
  }

  /**
   * A new account. With local accounts on it gets a generated password (people do not choose
   * one: nothing to reuse, nothing to guess); otherwise the person signs in through SSO, linked
   * by their verified e-mail address at the first sign-in.
   */
  async create(person: NewPerson, actor: string): Promise<CreatedUser> {
    const email = normaliseEmail(person.email);
    if (email === null) throw new UserError('invalid', 'email must be an e-mail address');
    if (!isPersonRole(person.role))
      throw new UserError('invalid', `role must be one of ${PERSON_ROLES.join(', ')}`);
    const displayName = (person.displayName ?? '').trim() || email.split('@')[0];
    if (displayName.length > 120) throw new UserError('invalid', 'name must be at most 120 characters');
    const password = this.config.localAccounts ? generatePassword() : null;
    const passwordHash = password === null ? null : await hashPassword(password);
    try {
      const user = await this.transactions.run(async (tx) => {
        const created = await this.users.create({ email, displayName, role: person.role, passwordHash }, tx);
        await this.audit.record(
          {
            actor,
            action: 'user.create',
            subjectType: 'app_user',
            subjectId: created.id,
            after: { role: created.role, local: password !== null },
          },
          tx,
        );
        return created;
      });
      return { user, password };
    } catch (error) {
      if (error instanceof UserConflictError)
        throw new UserError('conflict', 'an account with this e-mail address exists');
      throw error;
    }
  }

  /**
   * Role and disabled state. Disabling ends the person's sessions at once (the session check
   * also refuses a disabled person, whatever is left).
   */
  async update(id: string, changes: { role?: Role; disabled?: boolean }, actor: string): Promise<User> {
    if (changes.role !== undefined && !isPersonRole(changes.role))
      throw new UserError('invalid', `role must be one of ${PERSON_ROLES.join(', ')}`);
    return this.transactions.run(async (tx) => {
      const user = await this.users.findById(id, tx);
      if (!user) throw new UserError('not_found', `no user ${id}`);
      const before = { role: user.role, disabled: user.disabledAt !== null };
      const disabledAt =
        changes.disabled === undefined
          ? user.disabledAt
          : changes.disabled
            ? (user.disabledAt ?? new Date())
            : null;
      const role = changes.role ?? user.role;
      await this.users.update(id, { role, disabledAt }, tx);
      if (disabledAt !== null) await this.sessions.deleteForUser(id, tx);
      const after = { role, disabled: disabledAt !== null };
      if (before.role !== after.role || before.disabled !== after.disabled) {
        await this.audit.record(
          { actor, action: 'user.update', subjectType: 'app_user', subjectId: id, before, after },
          tx,
        );
      }
      return { ...user, role, disabledAt };
    });
  }

  /** A new generated password (the old one stops working, the person's sessions end). */
  async resetPassword(id: string, actor: string): Promise<string> {
    if (!this.config.localAccounts) throw new UserError('invalid', 'local accounts are off (LOCAL_ACCOUNTS)');
    const password = generatePassword();
    const passwordHash = await hashPassword(password);
    await this.transactions.run(async (tx) => {
      const user = await this.users.findById(id, tx);
      if (!user) throw new UserError('not_found', `no user ${id}`);
      await this.users.update(id, { passwordHash }, tx);
      await this.sessions.deleteForUser(id, tx);
      await this.audit.record(
        { actor, action: 'user.reset-password', subjectType: 'app_user', subjectId: id },
        tx,
      );
    });
    return password;
  }

  /**
   * The account an e-mail and password sign in, or null. Unknown address, SSO-only account,
   * disabled account, wrong password: one answer, and the same scrypt work for each, so that
   * neither the message nor the time tells which addresses have accounts.
   */
  async authenticate(email: string, password: string): Promise<User | null> {
    const normalised = normaliseEmail(email);
    const user = normalised === null ? null : await this.users.findByEmail(normalised);
    const stored = user?.passwordHash ?? (await this.dummy());
    const matches = await verifyPassword(password, stored);
    if (!user || !user.passwordHash || !matches || user.disabledAt !== null) return null;
    await this.users.update(user.id, { lastSignInAt: new Date() });
    return user;
  }

  private dummy(): Promise<string> {
    this.dummyHash ??= hashPassword(generatePassword());
    return this.dummyHash;
  }
}
