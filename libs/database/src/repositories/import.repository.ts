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

export type ImportRow = ImportChunk['rows'][number];

@Injectable()
export class ImportRepository {
  constructor(private readonly dataSource: DataSource) {}

  startRun(sourceName: string, fileName: string): Promise<ImportRun> {
    const repository = this.dataSource.getRepository(ImportRun);
    return repository.save(
      repository.create({ sourceName, fileName: fileName.slice(-512), status: ImportStatus.Loading }),
    );
  }

  async addChunk(importId: string, chunkNo: number, rows: ImportRow[]): Promise<string> {
    const result = await this.dataSource
      .getRepository(ImportChunk)
      .insert({ importId, chunkNo, rows } as QueryDeepPartialEntity<ImportChunk>);
    return (result.identifiers[0] as { id: string }).id;
  }

  /** Every chunk is written: from now on the last chunk to finish closes the run. */
  async finishLoading(importId: string, chunkCount: number, rowCount: number): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager
        .getRepository(ImportRun)
        .update({ id: importId }, { chunkCount, rowCount, status: ImportStatus.Running });
      await this.closeIfComplete(importId, manager);
    });
  }

  /** Locks the chunk row for the caller's transaction: two workers never ingest the same chunk at once. */
  lockChunk(id: string, manager: EntityManager): Promise<ImportChunk | null> {
    return manager
      .getRepository(ImportChunk)
      .createQueryBuilder('c')
      .setLock('pessimistic_write')
      .where('c.id = :id', { id })
      .getOne();
  }

  findChunk(id: string): Promise<ImportChunk | null> {
    return this.dataSource.getRepository(ImportChunk).findOne({ where: { id } });
  }

  findRun(id: string, manager: EntityManager = this.dataSource.manager): Promise<ImportRun | null> {
    return manager.getRepository(ImportRun).findOne({ where: { id } });
  }

  async completeChunk(
    chunk: ImportChunk,
    result: { imported: number; duplicates: number; rejected: RejectedRow[]; verbatimIds: string[] },
    manager: EntityManager,
  ): Promise<void> {
    await manager.getRepository(ImportChunk).update({ id: chunk.id }, { ...result, doneAt: new Date() });
    await this.closeIfComplete(chunk.importId, manager);
  }

  private async closeIfComplete(importId: string, manager: EntityManager): Promise<void> {
    // Lock the run first, unconditionally: otherwise the last chunk and the end of loading can each
    // decide, before the other commits, that it is not their job to close the run (write skew).
    await manager.query('SELECT id FROM import_run WHERE id = $1 FOR UPDATE', [importId]);
    await manager.query(
      `UPDATE import_run r SET status = $2
        WHERE r.id = $1 AND r.status = $3
          AND NOT EXISTS (SELECT 1 FROM import_chunk c WHERE c.import_id = r.id AND c.done_at IS NULL)`,
      [importId, ImportStatus.Done, ImportStatus.Running],
    );
  }

  async summary(importId: string): Promise<ImportSummary | null> {
    const run = await this.findRun(importId);
    if (!run) return null;
    const totals: { done: string; imported: string; duplicates: string }[] = await this.dataSource.query(
      `SELECT count(done_at)::text AS done, coalesce(sum(imported), 0)::text AS imported,
              coalesce(sum(duplicates), 0)::text AS duplicates
         FROM import_chunk WHERE import_id = $1`,
      [importId],
    );
    const rejected: { line: number; reason: string }[] = await this.dataSource.query(
      `SELECT (r->>'line')::int AS line, r->>'reason' AS reason
         FROM import_chunk c, jsonb_array_elements(coalesce(c.rejected, '[]'::jsonb)) r
        WHERE c.import_id = $1 ORDER BY 1`,
      [importId],
    );
    return {
      id: run.id,
      status: run.status,
      chunks: run.chunkCount,
      chunksDone: Number(totals[0].done),
      rows: run.rowCount,
      imported: Number(totals[0].imported),
      duplicates: Number(totals[0].duplicates),
      rejected,
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
