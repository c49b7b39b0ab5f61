import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { BadRequestException, Injectable } from '@nestjs/common';
import {
  ImportRepository,
  ImportRow,
  ImportSummary,
  SourceKind,
  Transactions,
  VerbatimRepository,
  VerbatimStage,
} from '@app/database';
import { JobHandler, JobName, JobPayload, JobQueue, PoisonJobError } from '@app/jobs';
import {
  FieldMap,
  ImportFileError,
  ImportFormat,
  checkCsvHeader,
  formatOf,
  readImportRows,
} from './import-file';
import { IngestService } from './ingest.service';
import { SOURCE_NAME_PATTERN, VerbatimInput, checkVerbatim } from './verbatim-input';

/** Rows per chunk: small enough to redo quickly after a crash, big enough for few round trips. */
export const IMPORT_CHUNK_ROWS = 500;

export interface ImportProgress {
  rowsRead: number;
  chunksWritten: number;
  /** Bytes of the file read so far, of `totalBytes`: the file's size is the one total known at once. */
  bytesRead: number;
  totalBytes: number;
}

/**
 * File imports (JSONL, CSV). The file is read once into chunks stored in the database; each chunk
 * is then a job that validates and stores its rows in one transaction, together with its result,
 * so a worker killed halfway leaves no half-imported chunk and no duplicate.
 */
@Injectable()
export class ImportService {
  constructor(
    private readonly imports: ImportRepository,
    private readonly transactions: Transactions,
    private readonly ingest: IngestService,
    private readonly jobs: JobQueue,
    private readonly verbatims: VerbatimRepository,
  ) {}

  async start(
    path: string,
    sourceName: string,
    format: ImportFormat | null = formatOf(path),
    onProgress?: (progress: ImportProgress) => void,
    map: FieldMap | null = null,
  ): Promise<string> {
    if (!SOURCE_NAME_PATTERN.test(sourceName)) {
      throw new BadRequestException('source must be 1-64 characters of a-z, 0-9, ".", "_" or "-"');
    }
    if (format === null)
      throw new BadRequestException('unknown file format: name it .jsonl, .ndjson or .csv');
    const totalBytes = statSync(path).size;
    // A header that does not fit stops the import once, before any row is read.
    if (format === 'csv') {
      try {
        await checkCsvHeader(path, map);
      } catch (error) {
        if (error instanceof ImportFileError) throw new BadRequestException(error.message);
        throw error;
      }
    }
    let bytesRead = 0;
    const run = await this.imports.startRun(sourceName, basename(path));
    let rows: ImportRow[] = [];
    let rowCount = 0;
    let chunkNo = 0;
    const flush = async () => {
      const chunkId = await this.imports.addChunk(run.id, chunkNo++, rows);
      rows = [];
      await this.jobs.add(JobName.ImportChunk, { chunkId });
      onProgress?.({ rowsRead: rowCount, chunksWritten: chunkNo, bytesRead, totalBytes });
    };
    const rowsOf = readImportRows(path, format, {
      map,
      onBytes: (bytes) => {
        bytesRead = bytes;
      },
    });
    for await (const row of rowsOf) {
      rows.push(row);
      rowCount++;
      if (rows.length === IMPORT_CHUNK_ROWS) await flush();
    }
    bytesRead = totalBytes;
    if (rows.length > 0) await flush();
    else onProgress?.({ rowsRead: rowCount, chunksWritten: chunkNo, bytesRead, totalBytes });
    await this.imports.finishLoading(run.id, chunkNo, rowCount);
    return run.id;
  }

  summary(importId: string): Promise<ImportSummary | null> {
    return this.imports.summary(importId);
  }

  @JobHandler(JobName.ImportChunk)
  async ingestChunk({ chunkId }: JobPayload<JobName.ImportChunk>): Promise<void> {
    const refs = await this.transactions.run(async (tx) => {
      const chunk = await this.imports.lockChunk(chunkId, tx);
      if (!chunk) throw new PoisonJobError(`import chunk ${chunkId} does not exist`);
      // Done by a run that may have died between its commit and its hand-on: finish that part below.
      if (chunk.doneAt !== null) return null;
      const run = await this.imports.findRun(chunk.importId, tx);
      if (!run) throw new PoisonJobError(`import ${chunk.importId} does not exist`);
      const accepted: VerbatimInput[] = [];
      const rejected: { line: number; reason: string }[] = [];
      for (const row of chunk.rows) {
        if (row.error !== undefined) {
          rejected.push({ line: row.line, reason: row.error });
          continue;
        }
        const item =
          typeof row.value === 'object' && row.value !== null && !Array.isArray(row.value)
            ? { ...row.value, source: run.sourceName }
            : row.value;
        const check = checkVerbatim(item);
        if (check.ok) accepted.push(check.value);
        else rejected.push({ line: row.line, reason: check.reason });
      }
      const stored = await this.ingest.store(accepted, SourceKind.Import, tx);
      const imported = stored.filter((ref) => ref.created).length;
      await this.imports.completeChunk(
        chunk,
        {
          imported,
          duplicates: stored.length - imported,
          rejected,
          verbatimIds: stored.flatMap((ref) => (ref.id === null ? [] : [ref.id])),
        },
        tx,
      );
      return stored;
    });
    if (refs !== null) await this.ingest.handOn(refs);
    else await this.resumeHandOn(chunkId);
  }

  private async resumeHandOn(chunkId: string): Promise<void> {
    const chunk = await this.imports.findChunk(chunkId);
    await this.ingest.enqueueIngest(
      await this.verbatims.findInStage(chunk?.verbatimIds ?? [], [VerbatimStage.Received]),
    );
  }
}
