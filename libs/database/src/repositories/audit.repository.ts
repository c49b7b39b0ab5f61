import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { AuditEvent } from '../entities';

export interface NewAuditEvent {
  actor: string;
  action: string;
  subjectType: string;
  subjectId: string | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

@Injectable()
export class AuditRepository {
  constructor(private readonly dataSource: DataSource) {}

  async record(event: NewAuditEvent, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.getRepository(AuditEvent).insert({
      ...event,
      before: event.before ?? null,
      after: event.after ?? null,
    } as QueryDeepPartialEntity<AuditEvent>);
  }

  forSubject(subjectType: string, subjectId: string): Promise<AuditEvent[]> {
    return this.dataSource
      .getRepository(AuditEvent)
      .find({ where: { subjectType, subjectId }, order: { at: 'ASC' } });
  }
}
