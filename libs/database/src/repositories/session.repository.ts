import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, LessThan } from 'typeorm';
import { User, UserSession } from '../entities';
import { changedRows } from '../returning';

export interface NewSession {
  id: string;
  userId: string;
  csrfToken: string;
  expiresAt: Date;
}

@Injectable()
export class SessionRepository {
  constructor(private readonly dataSource: DataSource) {}

  async create(session: NewSession, now: Date): Promise<void> {
    await this.dataSource.getRepository(UserSession).insert({ ...session, createdAt: now, lastSeenAt: now });
  }

  /** The session and its person, in one query (it runs on every request a browser makes). */
  async findWithUser(id: string): Promise<{ session: UserSession; user: User } | null> {
    const session = await this.dataSource
      .getRepository(UserSession)
      .findOne({ where: { id }, relations: { user: true } });
    if (!session?.user) return null;
    const { user, ...rest } = session;
    return { session: rest, user };
  }

  /** Moves the expiry forward; a session already expired (or deleted meanwhile) stays so. */
  async slide(id: string, now: Date, expiresAt: Date): Promise<boolean> {
    const rows = await changedRows<{ id: string }>(
      this.dataSource.manager,
      `UPDATE user_session SET last_seen_at = $2, expires_at = $3 WHERE id = $1 AND expires_at > $2 RETURNING id`,
      [id, now, expiresAt],
    );
    return rows.length > 0;
  }

  async delete(id: string): Promise<void> {
    await this.dataSource.getRepository(UserSession).delete({ id });
  }

  async deleteForUser(userId: string, manager: EntityManager = this.dataSource.manager): Promise<number> {
    return (await manager.getRepository(UserSession).delete({ userId })).affected ?? 0;
  }

  async purgeExpired(now: Date): Promise<number> {
    return (
      (await this.dataSource.getRepository(UserSession).delete({ expiresAt: LessThan(now) })).affected ?? 0
    );
  }
}
