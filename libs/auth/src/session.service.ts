import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/config';
import { SessionRepository } from '@app/database';
import type { Principal } from './principal';

export interface NewSessionCookie {
  /** The cookie's value: only its SHA-256 is stored. */
  token: string;
  csrfToken: string;
  expiresAt: Date;
}

export interface ActiveSession {
  principal: Principal;
  csrfToken: string;
}

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
// The expiry slides at most once a minute per session: a write per browser request would be waste.
const SLIDE_EVERY_MS = 60_000;

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/**
 * Cookie sessions of people. No cache: a disabled person or a signed-out browser is refused at
 * the very next request, in every API process.
 */
@Injectable()
export class SessionService {
  constructor(
    private readonly sessions: SessionRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private get lifetimeMs(): number {
    return this.config.sessionHours * 3_600_000;
  }

  async create(userId: string, now = new Date()): Promise<NewSessionCookie> {
    // Expired sessions are purged here, where sessions are born: the table stays the size of the
    // sessions in use, with no scheduled job (an indexed range delete, usually of nothing).
    await this.sessions.purgeExpired(now);
    const token = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + this.lifetimeMs);
    await this.sessions.create({ id: sha256(token), userId, csrfToken, expiresAt }, now);
    return { token, csrfToken, expiresAt };
  }

  /** The person behind a cookie, or null when it is malformed, unknown, expired, or its person disabled. */
  async resolve(token: string, now = new Date()): Promise<ActiveSession | null> {
    if (!TOKEN_PATTERN.test(token)) return null;
    const id = sha256(token);
    const found = await this.sessions.findWithUser(id);
    if (!found) return null;
    const { session, user } = found;
    if (session.expiresAt.getTime() <= now.getTime() || user.disabledAt !== null) {
      await this.sessions.delete(id);
      return null;
    }
    if (now.getTime() - session.lastSeenAt.getTime() >= SLIDE_EVERY_MS) {
      const slid = await this.sessions.slide(id, now, new Date(now.getTime() + this.lifetimeMs));
      if (!slid) return null;
    }
    return {
      principal: { kind: 'user', id: user.id, name: user.displayName, role: user.role, email: user.email },
      csrfToken: session.csrfToken,
    };
  }

  async end(token: string): Promise<void> {
    if (TOKEN_PATTERN.test(token)) await this.sessions.delete(sha256(token));
  }

  endAllOf(userId: string): Promise<number> {
    return this.sessions.deleteForUser(userId);
  }
}
