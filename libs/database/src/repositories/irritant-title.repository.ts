import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Irritant } from '../entities';

/** Irritants titled with fewer verbatims than this are retitled at every change… */
const RETITLE_EVERY_CHANGE_BELOW = 20;
/** …but not more often than this (seconds): a burst into one irritant costs one recomputation. */
const RETITLE_AT_MOST_EVERY = 30;
/**
 * Larger ones (a title made from 100 recent verbatims) when they grew by a tenth, and not more
 * often than this (seconds). It was 30 s for every size: on the ingestion benchmark the retitling
 * read 751,726 sample verbatims to title 100,000 new ones (16,661 titles for 4,000 irritants, the
 * largest retitled every 30 s of the burst), and cost the workers more CPU than the analysis. A
 * large topic's title changes little in two minutes; the board is read once a week.
 */
const RETITLE_LARGE_AT_MOST_EVERY = 120;

export interface StoredTitle {
  id: string;
  /** The verbatim count the title was made from. */
  count: number;
  title: string | null;
  lang: string | null;
  other: string | null;
  otherLang: string | null;
  quote: string | null;
}

/**
 * Irritants' generated titles and the names triagers give them. Titles are written here only, and
 * never touch `name`: a person's name outlives every recomputation and regrouping.
 */
@Injectable()
export class IrritantTitleRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Irritants whose verbatims changed since they were titled, the most recently active first.
   * A new irritant at once; then debounced by time and size: a small one at its changes, at most
   * every RETITLE_AT_MOST_EVERY seconds, a large one when it grew (or shrank) by a tenth, at most
   * every RETITLE_LARGE_AT_MOST_EVERY seconds, and any whose title is an hour old, so that a burst
   * of verbatims costs few recomputations.
   */
  async stale(limit: number): Promise<{ id: string; count: number }[]> {
    const rows: { id: string; verbatim_count: number }[] = await this.dataSource.query(
      `SELECT id, verbatim_count FROM irritant
        WHERE titled_count <> verbatim_count
          AND (titled_count = 0 OR titled_at IS NULL OR titled_at < now() - interval '1 hour'
               OR (titled_count < $2 AND titled_at < now() - make_interval(secs => $3))
               OR (titled_count >= $2 AND titled_at < now() - make_interval(secs => $4)
                   AND abs(verbatim_count - titled_count) * 10 >= titled_count))
        ORDER BY titled_count = 0 DESC, last_seen_at DESC
        LIMIT $1`,
      [limit, RETITLE_EVERY_CHANGE_BELOW, RETITLE_AT_MOST_EVERY, RETITLE_LARGE_AT_MOST_EVERY],
    );
    return rows.map((row) => ({ id: row.id, count: row.verbatim_count }));
  }

  /** The redacted texts a title is made from: each irritant's most recent verbatims. */
  async samples(
    ids: string[],
    perIrritant: number,
  ): Promise<Map<string, { text: string; lang: string | null }[]>> {
    const rows: { irritant_id: string; text: string; lang: string | null }[] = await this.dataSource.query(
      // Each irritant's most recent verbatims read from the end of its index range (irritant,
      // received): numbering all the verbatims of 200 irritants to keep 100 of each read every
      // verbatim of the largest topics at every retitling (its cost grew with the topics).
      `SELECT i.id AS irritant_id, s.redacted_text AS text, s.lang
         FROM unnest($1::uuid[]) WITH ORDINALITY AS i(id, k)
         CROSS JOIN LATERAL (
           SELECT v.redacted_text, v.lang, v.received_at, v.id FROM verbatim v
            WHERE v.irritant_id = i.id AND v.redacted_text IS NOT NULL
            ORDER BY v.received_at DESC, v.id LIMIT $2) s
        ORDER BY i.k, s.received_at DESC, s.id`,
      [ids, perIrritant],
    );
    const samples = new Map<string, { text: string; lang: string | null }[]>();
    for (const row of rows) {
      const list = samples.get(row.irritant_id) ?? [];
      list.push({ text: row.text, lang: row.lang });
      samples.set(row.irritant_id, list);
    }
    return samples;
  }

  /** The installation's most recent redacted texts: which words are common here. */
  async recentTexts(limit: number): Promise<{ text: string; lang: string | null }[]> {
    return this.dataSource.query(
      `SELECT redacted_text AS text, lang FROM verbatim
        WHERE redacted_text IS NOT NULL ORDER BY received_at DESC LIMIT $1`,
      [limit],
    );
  }

  /** Stores computed titles in one statement; an irritant gone meanwhile is skipped. */
  async store(titles: StoredTitle[]): Promise<void> {
    if (titles.length === 0) return;
    const column = <K extends keyof StoredTitle>(key: K) => titles.map((title) => title[key]);
    // Only the rows no one else holds, taken without waiting: the cluster stage and the regrouping
    // lock irritants in their own order, and a title waiting on them could close a deadlock (seen
    // in the soak). A row skipped keeps its old count and is titled at the next run.
    await this.dataSource.query(
      `WITH t AS (
         SELECT * FROM unnest($1::uuid[], $2::int[], $3::varchar[], $4::varchar[], $5::varchar[], $6::varchar[], $7::varchar[])
                AS t(id, count, title, lang, other, other_lang, quote)
       ), free AS (
         SELECT x.id FROM irritant x JOIN t ON t.id = x.id ORDER BY x.id FOR UPDATE OF x SKIP LOCKED
       )
       UPDATE irritant i
          SET title = t.title, title_lang = t.lang, title_other = t.other, title_other_lang = t.other_lang,
              title_quote = t.quote, titled_count = t.count, titled_at = now()
         FROM t
        WHERE i.id = t.id AND i.id IN (SELECT id FROM free)`,
      [
        column('id'),
        column('count'),
        titles.map((t) => t.title?.slice(0, 200) ?? null),
        column('lang'),
        titles.map((t) => t.other?.slice(0, 200) ?? null),
        column('otherLang'),
        titles.map((t) => t.quote?.slice(0, 400) ?? null),
      ],
    );
  }

  /**
   * Gives an irritant a person's name (null gives it back its generated title), under a row lock
   * so that two renames are audited in the order they happened.
   * @returns the name it had, or undefined when the irritant does not exist.
   */
  rename(
    id: string,
    name: string | null,
    audit: (before: string | null, tx: EntityManager) => Promise<void>,
  ): Promise<{ before: string | null } | undefined> {
    return this.dataSource.transaction(async (tx) => {
      const rows: { name: string | null }[] = await tx.query(
        'SELECT name FROM irritant WHERE id = $1 FOR UPDATE',
        [id],
      );
      if (rows.length === 0) return undefined;
      await tx.getRepository(Irritant).update({ id }, { name });
      await audit(rows[0].name, tx);
      return { before: rows[0].name };
    });
  }
}
