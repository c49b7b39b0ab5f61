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
}
