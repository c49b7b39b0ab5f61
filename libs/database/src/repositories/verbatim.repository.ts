import { Injectable } from '@nestjs/common';
import { Brackets, DataSource, EntityManager } from 'typeorm';
import { changedRows } from '../returning';
import { Channel, Verbatim, VerbatimStage } from '../entities';

export interface NewVerbatim {
  sourceId: string;
  externalId: string;
  authorKey: string;
  channel: Channel;
  receivedAt: Date;
  rawText: string;
  lang: string | null;
  metadata: Record<string, unknown>;
}

export interface StoredVerbatimRef {
  /** null when the verbatim was skipped (`suppressed`). */
  id: string | null;
  sourceId: string;
  externalId: string;
  created: boolean;
  /**
   * Still waiting for the ingest stage: new, or stored by an earlier call that died before it
   * handed the verbatim on. A replay hands these on again, so no crash window loses one.
   */
  pending: boolean;
  /** Its author was erased: skipped, not stored (see `erased_person`). */
  suppressed?: boolean;
}

export interface AnalyzedVerbatim {
  id: string;
  lang: string;
  category: string;
  categoryConfidence: number;
  needsTriage: boolean;
  sentiment: number;
  sentimentLabel: string;
  intent: string;
  terminal: string;
  modelVersion: string;
}

export interface VerbatimFilter {
  sourceId?: string;
  channel?: Channel;
  from?: Date;
  to?: Date;
  query?: string;
  category?: string;
  needsTriage?: boolean;
  /** Only the verbatims of this irritant (its detail page searches inside them). */
  irritantId?: string;
  /** Language detected (fr, en…). */
  lang?: string;
  after?: { receivedAt: Date; id: string };
  limit: number;
}

@Injectable()
export class VerbatimRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Stores the verbatims not seen before and answers, in input order, the id of every one: new or
   * already there. Safe under concurrent replays: the unique index on (source, externalId) decides.
   */
  async insertIfAbsent(
    rows: NewVerbatim[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<StoredVerbatimRef[]> {
    if (rows.length === 0) return [];
    const key = (sourceId: string, externalId: string) => `${sourceId}\u0000${externalId}`;
    const unique = new Map<string, NewVerbatim>();
    for (const row of rows)
      if (!unique.has(key(row.sourceId, row.externalId))) unique.set(key(row.sourceId, row.externalId), row);

    // One statement with one array per column: a thousand rows bind nine parameters, not nine
    // thousand (the query builder's per-parameter work was most of the API's time at ingestion).
    const fresh = [...unique.values()];
    const column = <T>(read: (row: NewVerbatim) => T) => fresh.map(read);
    const inserted: { id: string; source_id: string; external_id: string }[] = await manager.query(
      `INSERT INTO verbatim (source_id, external_id, author_key, channel, received_at, raw_text, lang, metadata, stage)
       SELECT r.source_id, r.external_id, r.author_key, r.channel, r.received_at, r.raw_text, r.lang, r.metadata, $9
         FROM unnest($1::uuid[], $2::varchar[], $3::varchar[], $4::varchar[], $5::timestamptz[], $6::text[],
                     $7::varchar[], $8::jsonb[])
              AS r(source_id, external_id, author_key, channel, received_at, raw_text, lang, metadata)
       ON CONFLICT DO NOTHING
       RETURNING id, source_id, external_id`,
      [
        column((row) => row.sourceId),
        column((row) => row.externalId),
        column((row) => row.authorKey),
        column((row) => row.channel),
        column((row) => row.receivedAt),
        column((row) => row.rawText),
        column((row) => row.lang),
        column((row) => JSON.stringify(row.metadata)),
        VerbatimStage.Received,
      ],
    );

    const ids = new Map<string, { id: string; created: boolean; pending: boolean }>();
    for (const row of inserted)
      ids.set(key(row.source_id, row.external_id), { id: row.id, created: true, pending: true });
    const missing = [...unique.values()].filter((row) => !ids.has(key(row.sourceId, row.externalId)));
    if (missing.length > 0) {
      const existing: { id: string; source_id: string; external_id: string; stage: string }[] =
        await manager.query(
          `SELECT v.id, v.source_id, v.external_id, v.stage
           FROM verbatim v
           JOIN unnest($1::uuid[], $2::varchar[]) AS k(source_id, external_id)
             ON v.source_id = k.source_id AND v.external_id = k.external_id`,
          [missing.map((row) => row.sourceId), missing.map((row) => row.externalId)],
        );
      for (const row of existing) {
        ids.set(key(row.source_id, row.external_id), {
          id: row.id,
          created: false,
          pending: row.stage === (VerbatimStage.Received as string),
        });
      }
    }
    const seen = new Set<string>();
    return rows.map((row) => {
      const k = key(row.sourceId, row.externalId);
      const found = ids.get(k);
      if (!found) throw new Error(`verbatim ${row.externalId} was neither inserted nor found`);
      // A second copy inside the same batch is a duplicate too.
      const created = found.created && !seen.has(k);
      seen.add(k);
      return {
        id: found.id,
        sourceId: row.sourceId,
        externalId: row.externalId,
        created,
        pending: found.pending,
      };
    });
  }

  /** What a source stored under its own id (a conversation's verbatim), or null. */
  findByExternalId(sourceName: string, externalId: string): Promise<Verbatim | null> {
    return this.dataSource
      .getRepository(Verbatim)
      .createQueryBuilder('v')
      .innerJoin('v.source', 's')
      .where('s.name = :sourceName AND v.external_id = :externalId', { sourceName, externalId })
      .getOne();
  }

  /** Source ids stored in clear, a batch of them, for `IngestService` to hash those naming a person. */
  clearExternalIds(after: string, limit: number): Promise<{ id: string; external_id: string }[]> {
    return this.dataSource.query(
      `SELECT id, external_id FROM verbatim WHERE external_id !~ '^h:[0-9a-f]{64}$' AND id > $1 ORDER BY id LIMIT $2`,
      [after, limit],
    );
  }

  /**
   * Runs `task` once per installation (a `maintenance_task` row a migration added): the process that
   * claims the row runs it, those booting beside it skip it. A failure gives the task back.
   * @returns whether this call ran it.
   */
  async runMaintenanceOnce(name: string, task: () => Promise<void>): Promise<boolean> {
    const claimed = await changedRows<unknown>(
      this.dataSource.manager,
      `UPDATE maintenance_task SET done_at = now() WHERE name = $1 AND done_at IS NULL RETURNING name`,
      [name],
    );
    if (claimed.length === 0) return false;
    try {
      await task();
      return true;
    } catch (error) {
      await this.dataSource.query(`UPDATE maintenance_task SET done_at = NULL WHERE name = $1`, [name]);
      throw error;
    }
  }

  async replaceExternalIds(changes: { id: string; externalId: string }[]): Promise<void> {
    if (changes.length === 0) return;
    await this.dataSource.query(
      `UPDATE verbatim v SET external_id = k.external_id
         FROM unnest($1::uuid[], $2::varchar[]) AS k(id, external_id) WHERE v.id = k.id`,
      [changes.map((change) => change.id), changes.map((change) => change.externalId)],
    );
  }

  /**
   * A verbatim whose text grew (a chat conversation's new messages): its new text, metadata and
   * channel, and back to `received`, so that it is redacted, analysed and clustered again. The caller
   * has taken it out of its irritant first, in the same transaction.
   */
  async regrow(
    id: string,
    change: { rawText: string; metadata: Record<string, unknown>; channel: Channel },
    tx: EntityManager,
  ): Promise<void> {
    await tx.query(
      `UPDATE verbatim
          SET raw_text = $2, metadata = $3, channel = $4, redacted_text = NULL, stage = $5,
              ingested_at = NULL, analyzed_at = NULL
        WHERE id = $1`,
      [id, change.rawText, change.metadata, change.channel, VerbatimStage.Received],
    );
  }

  /** Metadata and channel only (a chatbot's failure noted on the conversation): nothing to re-read. */
  async updateMetadata(
    id: string,
    change: { metadata: Record<string, unknown>; channel: Channel },
    tx: EntityManager,
  ): Promise<void> {
    await tx.query(`UPDATE verbatim SET metadata = $2, channel = $3 WHERE id = $1`, [
      id,
      change.metadata,
      change.channel,
    ]);
  }

  findById(id: string): Promise<Verbatim | null> {
    return this.dataSource.getRepository(Verbatim).findOne({ where: { id }, relations: { source: true } });
  }

  /** Newest first, keyset-paginated on (receivedAt, id) so that pages stay stable while verbatims arrive. */
  async findPage(filter: VerbatimFilter): Promise<Verbatim[]> {
    const qb = this.dataSource
      .getRepository(Verbatim)
      .createQueryBuilder('v')
      .leftJoinAndSelect('v.source', 's')
      .orderBy('v.received_at', 'DESC')
      .addOrderBy('v.id', 'DESC')
      .take(filter.limit);
    if (filter.sourceId) qb.andWhere('v.source_id = :sourceId', { sourceId: filter.sourceId });
    if (filter.channel) qb.andWhere('v.channel = :channel', { channel: filter.channel });
    if (filter.category) qb.andWhere('v.category = :category', { category: filter.category });
    if (filter.irritantId) qb.andWhere('v.irritant_id = :irritantId', { irritantId: filter.irritantId });
    if (filter.lang) qb.andWhere('v.lang = :lang', { lang: filter.lang });
    if (filter.needsTriage !== undefined)
      qb.andWhere('v.needs_triage = :needsTriage', { needsTriage: filter.needsTriage });
    if (filter.from) qb.andWhere('v.received_at >= :from', { from: filter.from });
    if (filter.to) qb.andWhere('v.received_at < :to', { to: filter.to });
    if (filter.query) {
      qb.andWhere(
        "v.search_vector @@ (websearch_to_tsquery('english', :query) || websearch_to_tsquery('french', :query))",
        { query: filter.query },
      );
    }
    const after = filter.after;
    if (after) {
      qb.andWhere(
        new Brackets((w) =>
          w
            .where('v.received_at < :afterAt', { afterAt: after.receivedAt })
            .orWhere('(v.received_at = :afterAt AND v.id < :afterId)', { afterId: after.id }),
        ),
      );
    }
    return qb.getMany();
  }

  findByIds(ids: string[], manager: EntityManager = this.dataSource.manager): Promise<Verbatim[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return manager
      .getRepository(Verbatim)
      .createQueryBuilder('v')
      .where('v.id IN (:...ids)', { ids })
      .getMany();
  }

  /**
   * Records the analysis of verbatims and moves them on: to `analyzed`, or straight to `clustered`
   * for the rows given an irritant (the ingest job redacts, analyses and places in one pass: one
   * row read and one write instead of three; measured on the ingestion benchmark). From `received`
   * with their redacted text, or from `ingested` (redacted by an older release). Rows that have
   * moved on are left alone (a replayed job changes nothing).
   * @returns the ids that moved.
   */
  async markAnalyzed(
    rows: (AnalyzedVerbatim & { redactedText?: string; irritantId?: string })[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<string[]> {
    if (rows.length === 0) return [];
    const column = <K extends keyof AnalyzedVerbatim>(key: K) => rows.map((row) => row[key]);
    const moved = await changedRows<{ id: string }>(
      manager,
      `UPDATE verbatim v
          SET lang = coalesce(v.lang, r.lang), category = r.category, category_confidence = r.confidence,
              needs_triage = r.needs_triage, sentiment = r.sentiment, sentiment_label = r.sentiment_label,
              intent = r.intent, terminal = r.terminal, model_version = r.model_version,
              redacted_text = coalesce(r.redacted_text, v.redacted_text),
              ingested_at = coalesce(v.ingested_at, now()),
              irritant_id = coalesce(r.irritant_id, v.irritant_id),
              stage = CASE WHEN r.irritant_id IS NULL THEN $12 ELSE $14 END, analyzed_at = now()
         FROM unnest($1::uuid[], $2::varchar[], $3::varchar[], $4::real[], $5::boolean[], $6::real[],
                     $7::varchar[], $8::varchar[], $9::varchar[], $10::varchar[], $11::text[], $15::uuid[])
              AS r(id, lang, category, confidence, needs_triage, sentiment, sentiment_label, intent, terminal,
                   model_version, redacted_text, irritant_id)
        WHERE v.id = r.id AND v.stage = ANY($13::varchar[])
    RETURNING v.id`,
      [
        column('id'),
        column('lang'),
        column('category'),
        column('categoryConfidence'),
        column('needsTriage'),
        column('sentiment'),
        column('sentimentLabel'),
        column('intent'),
        column('terminal'),
        column('modelVersion'),
        rows.map((row) => row.redactedText ?? null),
        VerbatimStage.Analyzed,
        [VerbatimStage.Received, VerbatimStage.Ingested],
        VerbatimStage.Clustered,
        rows.map((row) => row.irritantId ?? null),
      ],
    );
    return moved.map((row) => row.id);
  }

  /**
   * A person's category for a verbatim: it replaces the classifier's, clears the "needs triage"
   * flag, and is kept as a training example for the next model.
   * @returns the category before, or undefined when the verbatim does not exist.
   */
  async correctCategory(
    id: string,
    category: string,
    actor: string,
  ): Promise<{ before: string | null } | undefined> {
    return this.dataSource.transaction(async (manager) => {
      const rows: { category: string | null }[] = await manager.query(
        'SELECT category FROM verbatim WHERE id = $1 FOR UPDATE',
        [id],
      );
      if (rows.length === 0) return undefined;
      await manager.query(
        `UPDATE verbatim SET category = $2, needs_triage = false, category_corrected_by = $3,
                category_corrected_at = now() WHERE id = $1`,
        [id, category, actor],
      );
      return { before: rows[0].category };
    });
  }

  /** When a person last corrected a category (null: never). */
  async lastCorrectionAt(): Promise<Date | null> {
    const rows: { at: Date | null }[] = await this.dataSource.query(
      'SELECT max(category_corrected_at) AS at FROM verbatim',
    );
    return rows[0]?.at ?? null;
  }

  /** Corrected verbatims as training examples (redacted text: models never learn personal data). */
  async findCorrections(limit: number): Promise<{ text: string; label: string }[]> {
    const rows: { text: string; label: string }[] = await this.dataSource.query(
      `SELECT redacted_text AS text, category AS label FROM verbatim
        WHERE category_corrected_at IS NOT NULL AND redacted_text IS NOT NULL AND category IS NOT NULL
        ORDER BY category_corrected_at DESC LIMIT $1`,
      [limit],
    );
    return rows;
  }

  /**
   * A person's sentiment for a verbatim: it replaces the analysis's and is kept as a training
   * example for the next sentiment model.
   * @returns the label before, or undefined when the verbatim does not exist.
   */
  async correctSentiment(
    id: string,
    label: 'negative' | 'neutral' | 'positive',
    actor: string,
  ): Promise<{ before: string | null } | undefined> {
    return this.dataSource.transaction(async (manager) => {
      const rows: { label: string | null }[] = await manager.query(
        'SELECT sentiment_label AS label FROM verbatim WHERE id = $1 FOR UPDATE',
        [id],
      );
      if (rows.length === 0) return undefined;
      // The score of a corrected verbatim is the label's: what the board's client axis reads.
      const score = label === 'negative' ? -0.7 : label === 'positive' ? 0.7 : 0;
      await manager.query(
        `UPDATE verbatim SET sentiment_label = $2, sentiment = $3, sentiment_corrected_by = $4,
                sentiment_corrected_at = now() WHERE id = $1`,
        [id, label, score, actor],
      );
      return { before: rows[0].label };
    });
  }

  /**
   * When the sentiment model last had something new to learn: a person's sentiment correction or
   * a survey comment with its score (null: never).
   */
  async lastSentimentLessonAt(): Promise<Date | null> {
    const rows: { at: Date | null }[] = await this.dataSource.query(
      `SELECT greatest(
         (SELECT max(sentiment_corrected_at) FROM verbatim),
         (SELECT max(created_at) FROM verbatim WHERE channel = 'survey')) AS at`,
    );
    return rows[0]?.at ?? null;
  }

  /**
   * What the installation teaches the sentiment model (redacted text only): triagers' corrections,
   * and survey comments with their NPS or CSAT score, the most recent first.
   */
  async findSentimentLessons(
    limit: number,
  ): Promise<{ text: string; label: string | null; surveyKind: string | null; score: number | null }[]> {
    return this.dataSource.query(
      `(SELECT redacted_text AS text, sentiment_label AS label, NULL::text AS "surveyKind", NULL::real AS score,
               sentiment_corrected_at AS at
          FROM verbatim WHERE sentiment_corrected_at IS NOT NULL AND redacted_text IS NOT NULL
          ORDER BY sentiment_corrected_at DESC LIMIT $1)
       UNION ALL
       (SELECT redacted_text, NULL, metadata->>'surveyKind',
               coalesce((metadata->>'npsScore')::real, (metadata->>'csatScore')::real), created_at
          FROM verbatim WHERE channel = 'survey' AND redacted_text IS NOT NULL AND sentiment_corrected_at IS NULL
           AND metadata->>'surveyKind' IN ('nps', 'csat')
           AND coalesce(metadata->>'npsScore', metadata->>'csatScore') ~ '^[0-9]+$'
          ORDER BY created_at DESC LIMIT $1)`,
      [limit],
    );
  }

  /** Those of the given verbatims that stand in one of the given stages (waiting for the next one). */
  async findInStage(ids: string[], stages: VerbatimStage[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows: { id: string }[] = await this.dataSource.query(
      'SELECT id FROM verbatim WHERE id = ANY($1::uuid[]) AND stage = ANY($2::varchar[])',
      [ids, stages],
    );
    return rows.map((row) => row.id);
  }

  /** Verbatims that have waited in a stage for longer than they should: their job was lost. */
  async findWaiting(stage: VerbatimStage, olderThan: Date, limit: number): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM verbatim WHERE stage = $1 AND created_at < $2 ORDER BY created_at LIMIT $3`,
      [stage, olderThan, limit],
    );
    return rows.map((row) => row.id);
  }

  async countByStage(): Promise<Record<string, number>> {
    const rows: { stage: string; count: string }[] = await this.dataSource.query(
      'SELECT stage, count(*)::text AS count FROM verbatim GROUP BY stage',
    );
    return Object.fromEntries(rows.map((row) => [row.stage, Number(row.count)]));
  }
}
