import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CategoryExample, TaxonomyCategory } from '../entities';

@Injectable()
export class TaxonomyRepository {
  constructor(private readonly dataSource: DataSource) {}

  categories(): Promise<TaxonomyCategory[]> {
    return this.dataSource.getRepository(TaxonomyCategory).find({ order: { createdAt: 'ASC' } });
  }

  /**
   * Adds a category with its examples, once: a second category of the same key is refused.
   * @returns false when the key exists already.
   */
  async addCategory(
    category: Pick<TaxonomyCategory, 'key' | 'labelFr' | 'labelEn' | 'offSite' | 'createdBy'>,
    examples: readonly string[],
  ): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const inserted = await manager
        .createQueryBuilder()
        .insert()
        .into(TaxonomyCategory)
        .values(category)
        .orIgnore()
        .returning('key')
        .execute();
      if ((inserted.raw as unknown[]).length === 0) return false;
      if (examples.length > 0)
        await manager
          .getRepository(CategoryExample)
          .insert(
            examples.map((text) => ({ categoryKey: category.key, text, createdBy: category.createdBy })),
          );
      return true;
    });
  }

  async addExamples(key: string, examples: readonly string[], actor: string): Promise<void> {
    await this.dataSource
      .getRepository(CategoryExample)
      .insert(examples.map((text) => ({ categoryKey: key, text, createdBy: actor })));
  }

  /** Every example admins gave, as training examples. */
  async examples(): Promise<{ text: string; label: string }[]> {
    return this.dataSource.query(
      'SELECT text, category_key AS label FROM category_example ORDER BY created_at, id',
    );
  }

  /** How many examples each category has been given. */
  async exampleCounts(): Promise<Map<string, number>> {
    const rows: { key: string; n: number }[] = await this.dataSource.query(
      'SELECT category_key AS key, count(*)::int AS n FROM category_example GROUP BY category_key',
    );
    return new Map(rows.map((row) => [row.key, row.n]));
  }

  /** When an admin last added a category or examples (null: never). */
  async lastChangeAt(): Promise<Date | null> {
    const rows: { at: Date | null }[] = await this.dataSource.query(
      'SELECT max(created_at) AS at FROM category_example',
    );
    return rows[0]?.at ?? null;
  }
}
