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

  /** Stores an artefact once per version: workers that trained the same model at once keep one row. */
  async saveOnce(model: {
    version: string;
    taxonomy: string;
    artefact: Buffer;
    trainedOn: number;
  }): Promise<void> {
    await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(ClassifierModel)
      .values(model)
      .orIgnore()
      .execute();
  }
}
