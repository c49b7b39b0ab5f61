import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, IsNull, LessThan } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { ImportChunk, ImportRun, ImportStatus, RejectedRow } from '../entities';

export interface ImportSummary {
  id: string;
  status: ImportStatus;
  chunks: number;
  chunksDone: number;
  rows: number;
  imported: number;
  duplicates: number;
  rejected: RejectedRow[];
}

@Injectable()
export class ImportRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Creates the run and all its chunks in one transaction, so that a run never exists half-written. */
  async createRun(
    run: { sourceName: string; fileName: string; rowCount: number },
    chunks: ImportChunk['rows'][],
  ): Promise<{ run: ImportRun; chunkIds: string[] }> {
    return this.dataSource.transaction(async (manager) => {
      const saved = await manager
        .getRepository(ImportRun)
        .save(manager.getRepository(ImportRun).create({ ...run, chunkCount: chunks.length }));
      const chunkIds: string[] = [];
      for (const [chunkNo, rows] of chunks.entries()) {
        const result = await manager.getRepository(ImportChunk).insert({ importId: saved.id, chunkNo, rows } as QueryDeepPartialEntity<ImportChunk>);
        chunkIds.push((result.identifiers[0] as { id: string }).id);
      }
      return { run: saved, chunkIds };
    });
  }

  findChunk(id: string, manager: EntityManager = this.dataSource.manager): Promise<ImportChunk | null> {
    return manager.getRepository(ImportChunk).findOne({ where: { id }, relations: { run: true } });
  }

  /** Locks the chunk row for the duration of the caller's transaction: two workers never ingest it at once. */
  lockChunk(id: string, manager: EntityManager): Promise<ImportChunk | null> {
    return manager
      .getRepository(ImportChunk)
      .createQueryBuilder('c')
      .setLock('pessimistic_write')
      .where('c.id = :id', { id })
      .getOne();
  }

  async completeChunk(
    id: string,
    result: { imported: number; duplicates: number; rejected: RejectedRow[] },
    manager: EntityManager,
  ): Promise<void> {
    await manager.getRepository(ImportChunk).update({ id }, { ...result, doneAt: new Date() });
    // The last chunk to finish closes the run.
    await manager.query(
      `UPDATE import_run r SET status = $2
        WHERE r.id = (SELECT import_id FROM import_chunk WHERE id = $1)
          AND NOT EXISTS (SELECT 1 FROM import_chunk c WHERE c.import_id = r.id AND c.done_at IS NULL)`,
      [id, ImportStatus.Done],
    );
  }

  async summary(importId: string): Promise<ImportSummary | null> {
    const run = await this.dataSource.getRepository(ImportRun).findOne({ where: { id: importId } });
    if (!run) return null;
    const chunks = await this.dataSource.getRepository(ImportChunk).find({
      where: { importId },
      select: { id: true, chunkNo: true, imported: true, duplicates: true, rejected: true, doneAt: true },
      order: { chunkNo: 'ASC' },
    });
    const done = chunks.filter((chunk) => chunk.doneAt !== null);
    return {
      id: run.id,
      status: run.status,
      chunks: run.chunkCount,
      chunksDone: done.length,
      rows: run.rowCount,
      imported: done.reduce((sum, chunk) => sum + (chunk.imported ?? 0), 0),
      duplicates: done.reduce((sum, chunk) => sum + (chunk.duplicates ?? 0), 0),
      rejected: done.flatMap((chunk) => chunk.rejected ?? []).sort((a, b) => a.line - b.line),
    };
  }

  async findWaitingChunks(olderThan: Date, limit: number): Promise<string[]> {
    const rows = await this.dataSource.getRepository(ImportChunk).find({
      where: { doneAt: IsNull(), createdAt: LessThan(olderThan) },
      select: { id: true },
      order: { createdAt: 'ASC' },
      take: limit,
    });
    return rows.map((row) => row.id);
  }
}
