import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { changedRows } from '../returning';

export interface Erasure {
  verbatims: number;
  surveyAnswers: number;
  identityLinks: number;
  irritants: string[];
}

@Injectable()
export class PrivacyRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Erases a person (GDPR): their verbatims (raw and redacted), their survey answers, their
   * identity links, their words quoted on boards (frozen ones included) and pinned for the digest.
   * In one transaction.
   */
  async erase(authorKey: string): Promise<Erasure> {
    return this.dataSource.transaction(async (tx) => {
      const gone = await changedRows<{ id: string; irritant_id: string | null }>(
        tx,
        'DELETE FROM verbatim WHERE author_key = $1 RETURNING id, irritant_id',
        [authorKey],
      );
      const ids = gone.map((row) => row.id);
      if (ids.length > 0) {
        await tx.query('DELETE FROM pinned_quote WHERE verbatim_id = ANY($1::uuid[])', [ids]);
        await tx.query(
          `UPDATE board_item SET quotes = COALESCE((
              SELECT jsonb_agg(q) FROM jsonb_array_elements(quotes) q WHERE NOT (q->>'verbatimId' = ANY($1::text[]))
            ), '[]'::jsonb)
            WHERE EXISTS (SELECT 1 FROM jsonb_array_elements(quotes) q WHERE q->>'verbatimId' = ANY($1::text[]))`,
          [ids],
        );
      }
      const answers = await changedRows<unknown>(
        tx,
        'DELETE FROM survey_answer WHERE author_key = $1 RETURNING id',
        [authorKey],
      );
      const links = await changedRows<{ author_key: string }>(
        tx,
        'DELETE FROM identity_link WHERE author_key = $1 OR canonical_key = $1 RETURNING author_key',
        [authorKey],
      );
      // Remembered, with the identities linked to them, so that a replay of their messages is skipped.
      await tx.query(
        `INSERT INTO erased_person (author_key) SELECT DISTINCT unnest($1::varchar[]) ON CONFLICT DO NOTHING`,
        [[authorKey, ...links.map((link) => link.author_key)]],
      );
      return {
        verbatims: ids.length,
        surveyAnswers: answers.length,
        identityLinks: links.length,
        irritants: [...new Set(gone.map((row) => row.irritant_id).filter((id): id is string => id !== null))],
      };
    });
  }

  /**
   * Metadata of the verbatims whose raw text is past retention and not purged yet: what the retention
   * redacts with them (rows stored before metadata was redacted at ingest).
   */
  metadataPastRetention(
    olderThan: Date,
    after: string,
    limit: number,
  ): Promise<{ id: string; metadata: unknown }[]> {
    return this.dataSource.query(
      `SELECT id, metadata FROM verbatim WHERE received_at < $1 AND redacted_text IS NOT NULL
          AND raw_text IS DISTINCT FROM redacted_text AND metadata <> '{}'::jsonb AND id > $2
        ORDER BY id LIMIT $3`,
      [olderThan, after, limit],
    );
  }

  async replaceMetadata(changes: { id: string; metadata: unknown }[]): Promise<void> {
    if (changes.length === 0) return;
    await this.dataSource.query(
      `UPDATE verbatim v SET metadata = k.metadata
         FROM unnest($1::uuid[], $2::jsonb[]) AS k(id, metadata) WHERE v.id = k.id`,
      [changes.map((change) => change.id), changes.map((change) => JSON.stringify(change.metadata))],
    );
  }

  /** Which of these author keys belong to erased people. */
  async erasedAmong(keys: string[], manager: EntityManager = this.dataSource.manager): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const rows: { author_key: string }[] = await manager.query(
      'SELECT author_key FROM erased_person WHERE author_key = ANY($1::varchar[])',
      [[...new Set(keys)]],
    );
    return new Set(rows.map((row) => row.author_key));
  }

  /** A person's traces, for an admin who looks them up by e-mail or phone (before an erasure). */
  async traces(authorKeys: string[]): Promise<{ authorKey: string; verbatims: number; erased: boolean }[]> {
    return this.dataSource.query(
      `SELECT k.author_key AS "authorKey",
              (SELECT count(*)::int FROM verbatim v WHERE v.author_key = k.author_key) AS verbatims,
              EXISTS (SELECT 1 FROM erased_person e WHERE e.author_key = k.author_key) AS erased
         FROM unnest($1::varchar[]) AS k(author_key)`,
      [[...new Set(authorKeys)]],
    );
  }

  /** Raw text older than the cut replaced by its redacted form (retention). @returns how many. */
  async purgeRawText(olderThan: Date, limit: number): Promise<number> {
    const rows = await changedRows<unknown>(
      this.dataSource.manager,
      `UPDATE verbatim SET raw_text = redacted_text
        WHERE id IN (SELECT id FROM verbatim WHERE received_at < $1 AND redacted_text IS NOT NULL
                       AND raw_text IS DISTINCT FROM redacted_text LIMIT $2)
        RETURNING id`,
      [olderThan, limit],
    );
    return rows.length;
  }
}
