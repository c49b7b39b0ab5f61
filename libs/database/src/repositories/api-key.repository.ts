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
  }): Promise<ApiKey> {
    const repository = this.dataSource.getRepository(ApiKey);
    return repository.save(repository.create({ ...key, userId: key.userId ?? null }));
  }

  findActiveByPrefix(prefix: string): Promise<ApiKey | null> {
    return this.dataSource.getRepository(ApiKey).findOne({ where: { prefix, revokedAt: IsNull() } });
  }

  async touch(id: string): Promise<void> {
    await this.dataSource.getRepository(ApiKey).update({ id }, { lastUsedAt: new Date() });
  }

  count(): Promise<number> {
    return this.dataSource.getRepository(ApiKey).count();
  }
}
