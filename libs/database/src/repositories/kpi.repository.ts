import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Kpi, SurveyAnswer, SurveyKind } from '../entities';

/** Weekly figures as the database groups them: the Monday (local date) each week starts on. */
export interface WeekRow {
  monday: string;
  value: number;
  n: number;
}

@Injectable()
export class KpiRepository {
  constructor(private readonly dataSource: DataSource) {}

  list(): Promise<Kpi[]> {
    return this.dataSource.getRepository(Kpi).find({ order: { key: 'ASC' } });
  }

  find(key: string): Promise<Kpi | null> {
    return this.dataSource.getRepository(Kpi).findOne({ where: { key } });
  }

  async save(kpi: Omit<Kpi, 'createdAt'>): Promise<Kpi> {
    return this.dataSource.getRepository(Kpi).save(kpi);
  }

  /** Stores points; a point at an instant already measured replaces it (a replay changes nothing). */
  async upsertPoints(key: string, points: { at: Date; value: number }[], origin: string): Promise<void> {
    for (let i = 0; i < points.length; i += 1_000) {
      const slice = points.slice(i, i + 1_000);
      await this.dataSource.query(
        `INSERT INTO kpi_point (kpi_key, at, value, origin)
         SELECT $1, p.at, p.value, $4 FROM unnest($2::timestamptz[], $3::float8[]) AS p(at, value)
         ON CONFLICT (kpi_key, at) DO UPDATE SET value = EXCLUDED.value, origin = EXCLUDED.origin`,
        [key, slice.map((p) => p.at), slice.map((p) => p.value), origin],
      );
    }
  }

  /** The first point of [start, end) on the wrong side of the target: when the KPI left it. */
  async firstOffTarget(
    key: string,
    higherIsBetter: boolean,
    target: number,
    start: Date,
    end: Date,
  ): Promise<Date | null> {
    const rows: { at: Date | null }[] = await this.dataSource.query(
      `SELECT min(at) AS at FROM kpi_point WHERE kpi_key = $1 AND at >= $2 AND at < $3
          AND CASE WHEN $4 THEN value < $5 ELSE value > $5 END`,
      [key, start, end, higherIsBetter, target],
    );
    return rows[0]?.at ?? null;
  }

  /** Mean of a KPI's points per week (weeks start on Monday in `zone`) since `from`. */
  async weeklyMeans(key: string, from: Date, zone: string): Promise<WeekRow[]> {
    const rows: { monday: string; value: number; n: number }[] = await this.dataSource.query(
      `SELECT to_char(date_trunc('week', at AT TIME ZONE $3), 'YYYY-MM-DD') AS monday,
              avg(value)::float8 AS value, count(*)::int AS n
         FROM kpi_point WHERE kpi_key = $1 AND at >= $2 GROUP BY 1 ORDER BY 1`,
      [key, from, zone],
    );
    return rows;
  }

  /**
   * Survey answers stored once per answer id, inside the caller's transaction.
   * @returns the answer ids this call stored.
   */
  async insertAnswers(answers: Omit<SurveyAnswer, 'id'>[], tx: EntityManager): Promise<string[]> {
    if (answers.length === 0) return [];
    const result = await tx
      .createQueryBuilder()
      .insert()
      .into(SurveyAnswer)
      .values(answers)
      .orIgnore()
      .returning('answer_id')
      .execute();
    return (result.raw as { answer_id: string }[]).map((row) => row.answer_id);
  }

  /** Per week: how many answers of each score (for NPS and CSAT with their intervals). */
  async weeklyScores(
    kind: SurveyKind,
    from: Date,
    zone: string,
  ): Promise<{ monday: string; score: number; n: number }[]> {
    return this.dataSource.query(
      `SELECT to_char(date_trunc('week', answered_at AT TIME ZONE $3), 'YYYY-MM-DD') AS monday,
              score::int AS score, count(*)::int AS n
         FROM survey_answer WHERE kind = $1 AND answered_at >= $2 GROUP BY 1, 2 ORDER BY 1, 2`,
      [kind, from, zone],
    );
  }

  /**
   * Survey answers of a window in classes (NPS: promoters and detractors; CSAT: satisfied), overall
   * and for the customers who mention each irritant: those with at least one answer of the window
   * whose comment is a verbatim of the irritant. A customer is their keyed hash, or the answer
   * itself when the survey did not say who answered. `irritantIds` null: every irritant mentioned.
   */
  async surveyMentions(
    kind: SurveyKind,
    from: Date,
    to: Date,
    irritantIds: readonly string[] | null,
  ): Promise<{
    overall: { n: number; good: number; bad: number };
    byIrritant: Map<string, { n: number; good: number; bad: number }>;
  }> {
    const good = kind === SurveyKind.Nps ? 'score >= 9' : 'score >= 4';
    const bad = kind === SurveyKind.Nps ? 'score <= 6' : 'false';
    const rows: { irritant_id: string | null; n: number; good: number; bad: number }[] =
      await this.dataSource.query(
        `WITH a AS (
           SELECT s.score, COALESCE(s.author_key, s.id::text) AS who, v.irritant_id
             FROM survey_answer s LEFT JOIN verbatim v ON v.id = s.verbatim_id
            WHERE s.kind = $1 AND s.answered_at >= $2 AND s.answered_at < $3
         ), m AS (
           SELECT DISTINCT irritant_id, who FROM a
            WHERE irritant_id IS NOT NULL AND ($4::uuid[] IS NULL OR irritant_id = ANY($4::uuid[]))
         )
         SELECT NULL::uuid AS irritant_id, count(*)::int AS n,
                count(*) FILTER (WHERE ${good})::int AS good, count(*) FILTER (WHERE ${bad})::int AS bad
           FROM a
         UNION ALL
         SELECT m.irritant_id, count(*)::int, count(*) FILTER (WHERE ${good})::int,
                count(*) FILTER (WHERE ${bad})::int
           FROM m JOIN a ON a.who = m.who GROUP BY m.irritant_id`,
        [kind, from, to, irritantIds === null ? null : [...irritantIds]],
      );
    const overall = rows.find((row) => row.irritant_id === null) ?? { n: 0, good: 0, bad: 0 };
    return {
      overall: { n: overall.n, good: overall.good, bad: overall.bad },
      byIrritant: new Map(
        rows
          .filter((row) => row.irritant_id !== null)
          .map((row) => [row.irritant_id as string, { n: row.n, good: row.good, bad: row.bad }]),
      ),
    };
  }
}
