import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Reads of the exports that no other repository answers. */
@Injectable()
export class ExportRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The latest ticket of each irritant (open or not), with its status and release. */
  async latestTickets(
    irritantIds: readonly string[],
  ): Promise<Map<string, { id: string; status: string; release: string | null }>> {
    if (irritantIds.length === 0) return new Map();
    const rows: { irritant_id: string; id: string; status: string; release: string | null }[] =
      await this.dataSource.query(
        `SELECT DISTINCT ON (irritant_id) irritant_id, id, status, release FROM ticket
          WHERE irritant_id = ANY($1::uuid[]) ORDER BY irritant_id, created_at DESC`,
        [[...irritantIds]],
      );
    return new Map(
      rows.map((row) => [row.irritant_id, { id: row.id, status: row.status, release: row.release }]),
    );
  }
}
