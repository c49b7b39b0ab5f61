import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Role, User } from '../entities';

export interface NewUser {
  email: string;
  displayName: string;
  role: Role;
  passwordHash?: string | null;
  oidcIssuer?: string | null;
  oidcSubject?: string | null;
}

export type UserChanges = Partial<
  Pick<
    User,
    'displayName' | 'role' | 'disabledAt' | 'passwordHash' | 'oidcIssuer' | 'oidcSubject' | 'lastSignInAt'
  >
>;

/** Thrown when an e-mail address or a provider identity already belongs to another account. */
export class UserConflictError extends Error {
  constructor(readonly field: 'email' | 'oidc') {
    super(
      field === 'email'
        ? 'an account with this e-mail address exists'
        : 'this identity is linked to another account',
    );
    this.name = 'UserConflictError';
  }
}

const UNIQUE_VIOLATION = '23505';

@Injectable()
export class UserRepository {
  constructor(private readonly dataSource: DataSource) {}

  async create(user: NewUser, manager: EntityManager = this.dataSource.manager): Promise<User> {
    const repository = manager.getRepository(User);
    try {
      return await repository.save(
        repository.create({
          ...user,
          email: user.email.toLowerCase(),
          passwordHash: user.passwordHash ?? null,
          oidcIssuer: user.oidcIssuer ?? null,
          oidcSubject: user.oidcSubject ?? null,
          disabledAt: null,
          lastSignInAt: null,
        }),
      );
    } catch (error) {
      throw conflictOr(error);
    }
  }

  findById(id: string, manager: EntityManager = this.dataSource.manager): Promise<User | null> {
    return manager.getRepository(User).findOne({ where: { id } });
  }

  findByEmail(email: string, manager: EntityManager = this.dataSource.manager): Promise<User | null> {
    return manager.getRepository(User).findOne({ where: { email: email.toLowerCase() } });
  }

  findByOidc(
    issuer: string,
    subject: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<User | null> {
    return manager.getRepository(User).findOne({ where: { oidcIssuer: issuer, oidcSubject: subject } });
  }

  list(): Promise<User[]> {
    return this.dataSource.getRepository(User).find({ order: { email: 'ASC' } });
  }

  async update(
    id: string,
    changes: UserChanges,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    try {
      await manager.getRepository(User).update({ id }, changes);
    } catch (error) {
      throw conflictOr(error);
    }
  }
}

function conflictOr(error: unknown): unknown {
  const driverError = (error as { driverError?: { code?: string; constraint?: string } }).driverError;
  if (driverError?.code !== UNIQUE_VIOLATION) return error;
  return new UserConflictError(driverError.constraint === 'uq_app_user_oidc' ? 'oidc' : 'email');
}
