import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

/** A transaction handle that repositories accept, so that libs above never import TypeORM. */
export type Tx = EntityManager;

@Injectable()
export class Transactions {
  constructor(private readonly dataSource: DataSource) {}

  run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** Liveness of the database for health checks. */
  async ping(): Promise<void> {
    await this.dataSource.query('SELECT 1');
  }
}
