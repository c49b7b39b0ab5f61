import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Source, SourceKind } from '../entities';

@Injectable()
export class SourceRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Ids of the named sources, creating the ones that do not exist yet with the given kind. */
  async ensure(
    names: string[],
    kind: SourceKind,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Map<string, string>> {
    const unique = [...new Set(names)];
    if (unique.length === 0) return new Map();
    await manager
      .createQueryBuilder()
      .insert()
      .into(Source)
      .values(unique.map((name) => ({ name, kind })))
      .orIgnore()
      .execute();
    const rows = await manager
      .getRepository(Source)
      .createQueryBuilder('s')
      .select(['s.id', 's.name'])
      .where('s.name IN (:...names)', { names: unique })
      .getMany();
    return new Map(rows.map((row) => [row.name, row.id]));
  }

  findByName(name: string): Promise<Source | null> {
    return this.dataSource.getRepository(Source).findOne({ where: { name } });
  }
}
