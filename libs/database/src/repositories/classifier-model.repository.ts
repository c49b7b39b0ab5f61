import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ClassifierModel } from '../entities';

@Injectable()
export class ClassifierModelRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The model that classifies: the newest one stored. */
  latest(): Promise<ClassifierModel | null> {
    return this.dataSource
      .getRepository(ClassifierModel)
      .findOne({ where: {}, order: { createdAt: 'DESC' } });
  }

  /** The newest version's name only: a cheap way to see whether a process's model is stale. */
  async latestVersion(): Promise<string | null> {
    const row = await this.dataSource
      .getRepository(ClassifierModel)
      .findOne({ where: {}, select: { version: true, createdAt: true }, order: { createdAt: 'DESC' } });
    return row?.version ?? null;
  }

  /**
   * Runs the first training of an installation alone across processes (a transaction-scoped
   * advisory lock): the others wait, then find the model stored.
   */
  whileTrainingFirst<T>(work: () => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('classifier-model:first-training'))`);
      return work();
    });
  }

  /** When the newest model was trained (null: none yet). */
  async latestTrainedAt(): Promise<Date | null> {
    const row = await this.dataSource
      .getRepository(ClassifierModel)
      .findOne({ where: {}, select: { createdAt: true }, order: { createdAt: 'DESC' } });
    return row?.createdAt ?? null;
  }

  /**
   * Stores an artefact once per version: workers that trained the same model at once keep one row.
   * @returns whether this call stored it.
   */
  async saveOnce(model: {
    version: string;
    taxonomy: string;
    artefact: Buffer;
    sentimentArtefact: Buffer | null;
    trainedOn: number;
    joinThreshold: number | null;
  }): Promise<boolean> {
    const result = await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(ClassifierModel)
      .values(model)
      .orIgnore()
      .returning('id')
      .execute();
    return (result.raw as unknown[]).length > 0;
  }
}
