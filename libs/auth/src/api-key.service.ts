import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { ApiKey, ApiKeyRepository, AuditRepository, Role } from '@app/database';
import type { Principal } from './principal';

export interface CreatedApiKey {
  /** The only time the key exists in clear: print it, hand it over, forget it. */
  key: string;
  apiKey: ApiKey;
}

const KEY_PATTERN = /^lb_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/;
// lastUsedAt is for humans ("is this key still in use?"): minute precision is plenty and spares a write per call.
const TOUCH_EVERY_MS = 60_000;
/**
 * A verified key is trusted again for this long without a database round trip: under load, the
 * lookup was one query in four of a board read. A key revoked in the database stops working in
 * every process within this delay.
 */
export const VERIFIED_KEY_TTL_MS = 10_000;
const MAX_CACHED_KEYS = 10_000;

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

@Injectable()
export class ApiKeyService {
  private readonly touchedAt = new Map<string, number>();
  private readonly verified = new Map<string, { principal: Principal; until: number }>();

  constructor(
    private readonly apiKeys: ApiKeyRepository,
    private readonly audit: AuditRepository,
  ) {}

  /**
   * Keys carry 256 bits of randomness, so a plain SHA-256 is as good as a slow hash here and keeps
   * every authenticated request cheap.
   */
  async create(
    name: string,
    role: Role,
    actor: string,
    options: { expiresAt?: Date | null } = {},
  ): Promise<CreatedApiKey> {
    const prefix = randomBytes(9)
      .toString('base64url')
      .toLowerCase()
      .replace(/[^a-z0-9]/g, '0')
      .slice(0, 12);
    const secret = randomBytes(32).toString('base64url');
    const key = `lb_${prefix}_${secret}`;
    const expiresAt = options.expiresAt ?? null;
    const apiKey = await this.apiKeys.create({ name, prefix, hash: sha256(key), role, expiresAt });
    await this.audit.record({
      actor,
      action: 'apikey.create',
      subjectType: 'api_key',
      subjectId: apiKey.id,
      after: { name, role, prefix, expiresAt: expiresAt?.toISOString() ?? null },
    });
    return { key, apiKey };
  }

  /** Every key, newest first: name, role, prefix, creation, last use, expiry, revocation. */
  list(): Promise<ApiKey[]> {
    return this.apiKeys.list();
  }

  /**
   * Revokes a key at once in this process; another process may accept it for up to
   * VERIFIED_KEY_TTL_MS more (its cache of verified keys).
   */
  async revoke(id: string, actor: string): Promise<ApiKey> {
    const found = await this.apiKeys.findById(id);
    if (!found) throw new NotFoundException(`API key ${id} does not exist`);
    if (!(await this.apiKeys.revoke(id, new Date())))
      throw new ConflictException(`API key ${id} is already revoked`);
    this.verified.clear();
    await this.audit.record({ actor, action: 'apikey.revoke', subjectType: 'api_key', subjectId: id });
    return (await this.apiKeys.findById(id)) as ApiKey;
  }

  /**
   * Replaces a key by a new one with the same name, role and lifetime (counted from now), and
   * revokes the old one: the new key is shown this once.
   */
  async rotate(id: string, actor: string): Promise<CreatedApiKey> {
    const old = await this.apiKeys.findById(id);
    if (!old || old.revokedAt !== null) throw new NotFoundException(`active API key ${id} does not exist`);
    const lifetime = old.expiresAt === null ? null : old.expiresAt.getTime() - old.createdAt.getTime();
    const created = await this.create(old.name, old.role, actor, {
      expiresAt: lifetime === null ? null : new Date(Date.now() + Math.max(lifetime, 0)),
    });
    await this.revoke(id, actor);
    return created;
  }

  /** The principal a bearer key stands for, or null when it is malformed, unknown or revoked. */
  async verify(key: string): Promise<Principal | null> {
    const match = KEY_PATTERN.exec(key);
    if (!match) return null;
    const hash = sha256(key);
    const now = Date.now();
    const cached = this.verified.get(hash);
    if (cached && cached.until > now) return cached.principal;
    const apiKey = await this.apiKeys.findActiveByPrefix(match[1]);
    if (!apiKey) return null;
    const expected = Buffer.from(apiKey.hash, 'hex');
    const actual = Buffer.from(hash, 'hex');
    if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return null;
    if (now - (this.touchedAt.get(apiKey.id) ?? 0) > TOUCH_EVERY_MS) {
      this.touchedAt.set(apiKey.id, now);
      await this.apiKeys.touch(apiKey.id);
    }
    const principal: Principal = { kind: 'apikey', id: apiKey.id, name: apiKey.name, role: apiKey.role };
    if (this.verified.size >= MAX_CACHED_KEYS) this.verified.clear();
    this.verified.set(hash, { principal, until: now + VERIFIED_KEY_TTL_MS });
    return principal;
  }

  hasAnyKey(): Promise<boolean> {
    return this.apiKeys.count().then((count) => count > 0);
  }
}
