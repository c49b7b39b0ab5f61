import { Injectable } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';
import { ApiKey, Role } from '../entities';

@Injectable()
export class ApiKeyRepository {
  constructor(private readonly dataSource: DataSource) {}

  create(key: {
    name: string;
    prefix: string;
    hash: string;
    role: Role;
    userId?: string | null;
    expiresAt?: Date | null;
  }): Promise<ApiKey> {
    const repository = this.dataSource.getRepository(ApiKey);
    return repository.save(
      repository.create({ ...key, userId: key.userId ?? null, expiresAt: key.expiresAt ?? null }),
    );
  }

  /** A key neither revoked nor expired at `now`. */
  findActiveByPrefix(prefix: string, now = new Date()): Promise<ApiKey | null> {
    return this.dataSource
      .getRepository(ApiKey)
      .createQueryBuilder('k')
      .where('k.prefix = :prefix AND k.revoked_at IS NULL', { prefix })
      .andWhere('(k.expires_at IS NULL OR k.expires_at > :now)', { now })
      .getOne();
  }

  findById(id: string): Promise<ApiKey | null> {
    return this.dataSource.getRepository(ApiKey).findOne({ where: { id } });
  }

  /** Every key of programs (people's own keys included), newest first; never their hashes. */
  list(): Promise<ApiKey[]> {
    return this.dataSource.getRepository(ApiKey).find({ order: { createdAt: 'DESC' } });
  }

  /** @returns whether a key still active was revoked. */
  async revoke(id: string, at: Date): Promise<boolean> {
    const result = await this.dataSource
      .getRepository(ApiKey)
      .update({ id, revokedAt: IsNull() }, { revokedAt: at });
    return (result.affected ?? 0) > 0;
  }

  async touch(id: string): Promise<void> {
    await this.dataSource.getRepository(ApiKey).update({ id }, { lastUsedAt: new Date() });
  }

  count(): Promise<number> {
    return this.dataSource.getRepository(ApiKey).count();
  }
}
