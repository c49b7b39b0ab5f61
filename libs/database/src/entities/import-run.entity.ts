import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';

export enum ImportStatus {
  /** Its file is still being read and cut into chunks. */
  Loading = 'loading',
  Running = 'running',
  Done = 'done',
}

/** One file import (CLI or API): its rows are cut into chunks that workers ingest independently. */
@Entity('import_run')
export class ImportRun {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'source_name', type: 'varchar', length: 64 })
  sourceName: string;

  @Column({ name: 'file_name', type: 'varchar', length: 512 })
  fileName: string;

  @Column({ name: 'chunk_count', type: 'integer', default: 0 })
  chunkCount: number;

  @Column({ name: 'row_count', type: 'integer', default: 0 })
  rowCount: number;

  @Column({ type: 'varchar', length: 16, default: ImportStatus.Loading })
  status: ImportStatus;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

export interface RejectedRow {
  line: number;
  reason: string;
}

/**
 * Rows of an import waiting to be ingested. A chunk is ingested in one transaction together with
 * its result, so a worker killed midway leaves it untouched and the next one redoes it whole.
 */
@Entity('import_chunk')
@Index('uq_import_chunk_run_no', ['importId', 'chunkNo'], { unique: true })
@Index('ix_import_chunk_pending', ['doneAt', 'createdAt'])
export class ImportChunk {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'import_id', type: 'uuid' })
  importId: string;

  @ManyToOne(() => ImportRun, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'import_id', foreignKeyConstraintName: 'fk_import_chunk_run' })
  run?: ImportRun;

  @Column({ name: 'chunk_no', type: 'integer' })
  chunkNo: number;

  /** `{line, value}` pairs: each parsed row (or its parse error) with its line number in the file. */
  @Column({ type: 'jsonb' })
  rows: { line: number; value?: unknown; error?: string }[];

  @Column({ type: 'integer', nullable: true })
  imported: number | null;

  @Column({ type: 'integer', nullable: true })
  duplicates: number | null;

  @Column({ type: 'jsonb', nullable: true })
  rejected: RejectedRow[] | null;

  /** The verbatims the chunk's rows became: a replayed job hands on those its first run could not. */
  @Column({ name: 'verbatim_ids', type: 'uuid', array: true, nullable: true })
  verbatimIds: string[] | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'done_at', type: 'timestamptz', nullable: true })
  doneAt: Date | null;
}
