import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DeadLetter, DeadLetterStatus } from '../entities';
import { mapStrings, wellFormed } from '../well-formed';

export interface NewDeadLetter {
  jobName: string;
  jobId: string | null;
  payload: Record<string, unknown>;
  input?: unknown;
  cause: string;
  attempts: number;
}

/**
 * What PostgreSQL can store of a hostile input: lone UTF-16 surrogates (which jsonb refuses as
 * escapes) become U+FFFD, and so does NUL (refused by text and jsonb alike), in keys and values at
 * any depth. A dead letter keeps the evidence of what was refused; it must never fail to be written.
 */
export function storable(value: unknown): unknown {
  return mapStrings(value, (text) => wellFormed(text).replaceAll('\u0000', '\uFFFD'));
}

@Injectable()
export class DeadLetterRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** One open entry per job id: a job that fails again after a retry updates its entry. */
  async record(hostile: NewDeadLetter): Promise<DeadLetter> {
    const entry = {
      ...hostile,
      jobId: hostile.jobId === null ? null : (storable(hostile.jobId) as string),
      payload: storable(hostile.payload) as Record<string, unknown>,
      input: storable(hostile.input),
      cause: storable(hostile.cause) as string,
    };
    const repository = this.dataSource.getRepository(DeadLetter);
    if (entry.jobId !== null) {
      const open = await repository.findOne({ where: { jobId: entry.jobId, status: DeadLetterStatus.Open } });
      if (open) {
        open.cause = entry.cause;
        open.attempts += entry.attempts;
        open.input = entry.input ?? open.input;
        return repository.save(open);
      }
    }
    return repository.save(
      repository.create({ ...entry, input: entry.input ?? null, status: DeadLetterStatus.Open }),
    );
  }

  list(status: DeadLetterStatus | undefined, limit: number): Promise<DeadLetter[]> {
    return this.dataSource.getRepository(DeadLetter).find({
      where: status ? { status } : {},
      order: { createdAt: 'DESC' },
      take: limit,
    });
  }

  findById(id: string): Promise<DeadLetter | null> {
    return this.dataSource.getRepository(DeadLetter).findOne({ where: { id } });
  }

  async markRetried(id: string): Promise<boolean> {
    const result = await this.dataSource
      .getRepository(DeadLetter)
      .update(
        { id, status: DeadLetterStatus.Open },
        { status: DeadLetterStatus.Retried, retriedAt: new Date() },
      );
    return (result.affected ?? 0) > 0;
  }
}
