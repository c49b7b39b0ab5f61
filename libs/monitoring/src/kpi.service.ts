import { BadRequestException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { parse as parseCsv } from 'csv-parse/sync';
import { DateTime } from 'luxon';
import { APP_CONFIG, AppConfig, Clock } from '@app/config';
import {
  Channel,
  Kpi,
  KpiDirection,
  KpiRepository,
  SourceKind,
  SurveyKind,
  Transactions,
} from '@app/database';
import { AuthorKeys, IngestService, VerbatimInput } from '@app/ingest';
import { IsoWeek, isoWeekOf } from '@app/scoring';
import { SurveyImpact, customerSatisfaction, netPromoterScore, surveyImpact } from './survey-stats';

export interface KpiWeek {
  isoWeek: IsoWeek;
  value: number | null;
  n: number;
  ci95: number | null;
}

export interface KpiSummary {
  kpi: Kpi;
  /** The last complete week's figure, and the week before: what the Monday meeting compares. */
  week: KpiWeek;
  previous: KpiWeek;
  onTarget: boolean | null;
}

/** What each irritant costs the NPS and the CSAT over a window of survey answers. */
export interface IrritantSurveyImpact {
  from: Date;
  to: Date;
  nps: SurveyImpact | null;
  csat: SurveyImpact | null;
}

export interface SurveyAnswerInput {
  answerId: string;
  kind: SurveyKind;
  score: number;
  answeredAt: string;
  comment?: string;
  customer?: string;
  lang?: string;
}

/** The survey's verbatims come in as one source. */
const SURVEY_SOURCE = 'surveys';
const MAX_POINTS = 10_000;

/**
 * An instant the database can store and a KPI can mean. A strict ISO 8601 check also passes week
 * dates ("2026-W47") and years PostgreSQL or Date cannot hold; those were 500s, now a reason.
 */
function instantOf(value: string, what: string): Date {
  const at = new Date(value);
  const year = at.getUTCFullYear();
  if (Number.isNaN(at.getTime()) || year < 1900 || year > 9999)
    throw new BadRequestException(
      `${what}: ${JSON.stringify(value).slice(0, 60)} is not a date-time from 1900 to 9999`,
    );
  return at;
}

/** One point per instant: a batch naming an instant twice keeps the last (the upsert could not). */
function lastPerInstant(points: { at: Date; value: number }[]): { at: Date; value: number }[] {
  return [...new Map(points.map((point) => [point.at.getTime(), point])).values()];
}

/** PostgreSQL refuses NUL in text: a reason here rather than a 500 from the database. */
function refuseNul(fields: Record<string, unknown>, what: string): void {
  for (const [name, value] of Object.entries(fields))
    if (typeof value === 'string' && value.includes('\u0000'))
      throw new BadRequestException(`${what}${name} must not contain NUL (U+0000) characters`);
}

/** The target column is a PostgreSQL `real`: values it cannot hold were 500s, now a reason. */
function checkedTarget(target: number | null): number | null {
  if (target === null || target === 0) return target;
  const single = Math.fround(target);
  if (!Number.isFinite(single) || Math.abs(single) < 1.1754943508222875e-38)
    throw new BadRequestException('target must be 0 or of a magnitude from 1.2e-38 to 3.4e38');
  return target;
}

const mondayToWeek = (monday: string): IsoWeek => {
  const date = DateTime.fromISO(monday);
  return `${date.weekYear}-W${String(date.weekNumber).padStart(2, '0')}`;
};

/**
 * KPIs: series with a unit, a direction and a target. Points arrive by the push API (and CSV,
 * monitors); NPS and CSAT are computed from survey answers, per ISO week with a 95% interval.
 * A survey comment is also a verbatim (channel `survey`, its NPS score in the metadata), so that
 * a detractor's words join the irritant they complain about.
 */
@Injectable()
export class KpiService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly kpis: KpiRepository,
    private readonly ingest: IngestService,
    private readonly authorKeys: AuthorKeys,
    private readonly transactions: Transactions,
  ) {}

  list(): Promise<Kpi[]> {
    return this.kpis.list();
  }

  async get(key: string): Promise<Kpi> {
    const kpi = await this.kpis.find(key);
    if (!kpi) throw new NotFoundException(`KPI ${key} does not exist`);
    return kpi;
  }

  define(kpi: {
    key: string;
    name: string;
    unit: string;
    direction: KpiDirection;
    target: number | null;
  }): Promise<Kpi> {
    refuseNul({ name: kpi.name, unit: kpi.unit }, '');
    return this.kpis.save({
      ...kpi,
      target: checkedTarget(kpi.target),
      fromSurveys: kpi.key === 'nps' || kpi.key === 'csat',
    });
  }

  async addPoints(key: string, points: { at: string; value: number }[]): Promise<number> {
    const kpi = await this.get(key);
    if (kpi.fromSurveys)
      throw new BadRequestException(
        `${key} is computed from survey answers: post them to /api/v1/surveys/answers`,
      );
    if (points.length > MAX_POINTS) throw new BadRequestException(`at most ${MAX_POINTS} points per request`);
    const instants = points.map((point, i) => ({
      at: instantOf(point.at, `point ${i}`),
      value: point.value,
    }));
    await this.kpis.upsertPoints(key, lastPerInstant(instants), 'api');
    return points.length;
  }

  /**
   * Points from a web-analytics export (CSV with a header: `kpi`, `at`, `value`; `metric`,
   * `date` or `timestamp` are taken too). All or nothing: one bad line refuses the file, with the
   * reason of every bad line.
   */
  async importCsv(text: string): Promise<{ stored: number; kpis: Record<string, number> }> {
    let records: Record<string, string>[];
    try {
      records = parseCsv<Record<string, string>>(text, {
        columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
        skip_empty_lines: true,
        trim: true,
        relax_column_count: false,
        max_record_size: 10_000,
      });
    } catch (error) {
      throw new BadRequestException(
        `not a CSV file: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    if (records.length > 100_000) throw new BadRequestException('at most 100,000 lines per file');
    const known = new Map((await this.kpis.list()).map((kpi) => [kpi.key, kpi]));
    const byKpi = new Map<string, { at: Date; value: number }[]>();
    const problems: string[] = [];
    records.forEach((record, i) => {
      const line = i + 2;
      const key = record.kpi ?? record.metric;
      const when = record.at ?? record.timestamp ?? record.date;
      const value = Number(record.value);
      let at = when && /^\d{4}-\d{2}-\d{2}/.test(when) ? new Date(when) : new Date(Number.NaN);
      // Years PostgreSQL cannot store (or that no export means) are a bad line, not a 500.
      if (at.getUTCFullYear() < 1900 || at.getUTCFullYear() > 9999) at = new Date(Number.NaN);
      const kpi = key ? known.get(key) : undefined;
      if (!kpi) problems.push(`line ${line}: unknown KPI ${JSON.stringify(key ?? '')}`);
      else if (kpi.fromSurveys) problems.push(`line ${line}: ${kpi.key} is computed from survey answers`);
      else if (Number.isNaN(at.getTime()))
        problems.push(`line ${line}: ${JSON.stringify(when ?? '')} is not an ISO date`);
      else if (record.value === undefined || record.value === '' || !Number.isFinite(value))
        problems.push(`line ${line}: value must be a number`);
      else byKpi.set(kpi.key, [...(byKpi.get(kpi.key) ?? []), { at, value }]);
    });
    if (problems.length > 0) throw new BadRequestException(problems.slice(0, 50));
    const counts: Record<string, number> = {};
    for (const [key, points] of byKpi) {
      await this.kpis.upsertPoints(key, lastPerInstant(points), 'csv');
      counts[key] = points.length;
    }
    return { stored: records.length, kpis: counts };
  }

  /** The KPI's figure for each of the last `weeks` ISO weeks, oldest first (null: no data). */
  async weekly(key: string, weeks: number, now = this.clock.now()): Promise<KpiWeek[]> {
    const kpi = await this.get(key);
    const zone = this.config.timeZone;
    const from = DateTime.fromJSDate(now, { zone })
      .startOf('week')
      .minus({ weeks: weeks - 1 })
      .toJSDate();
    const byWeek = new Map<IsoWeek, KpiWeek>();
    if (kpi.fromSurveys) {
      const kind = kpi.key === 'nps' ? SurveyKind.Nps : SurveyKind.Csat;
      const counts = new Map<IsoWeek, Map<number, number>>();
      for (const row of await this.kpis.weeklyScores(kind, from, zone)) {
        const week = mondayToWeek(row.monday);
        const map = counts.get(week) ?? new Map<number, number>();
        map.set(row.score, row.n);
        counts.set(week, map);
      }
      for (const [week, scores] of counts) {
        const figure = kind === SurveyKind.Nps ? netPromoterScore(scores) : customerSatisfaction(scores);
        byWeek.set(week, { isoWeek: week, ...figure });
      }
    } else {
      for (const row of await this.kpis.weeklyMeans(key, from, zone)) {
        const week = mondayToWeek(row.monday);
        byWeek.set(week, { isoWeek: week, value: Math.round(row.value * 1000) / 1000, n: row.n, ci95: null });
      }
    }
    const result: KpiWeek[] = [];
    for (let i = weeks - 1; i >= 0; i--) {
      const week = isoWeekOf(DateTime.fromJSDate(now, { zone }).minus({ weeks: i }).toJSDate(), zone);
      result.push(byWeek.get(week) ?? { isoWeek: week, value: null, n: 0, ci95: null });
    }
    return result;
  }

  /** Each KPI for an ISO week against the week before and its target (the digest's headline). */
  async summaries(week: IsoWeek, weekEnd: Date): Promise<KpiSummary[]> {
    const summaries: KpiSummary[] = [];
    for (const kpi of await this.kpis.list()) {
      const series = await this.weekly(kpi.key, 2, new Date(weekEnd.getTime() - 1));
      const [previous, current] = series;
      summaries.push({
        kpi,
        week: current,
        previous,
        onTarget:
          current.value === null || kpi.target === null
            ? null
            : kpi.direction === KpiDirection.HigherIsBetter
              ? current.value >= kpi.target
              : current.value <= kpi.target,
      });
    }
    return summaries.filter((summary) => summary.week.isoWeek === week);
  }

  /**
   * Stores survey answers once per answer id; their comments become verbatims.
   * @returns how many answers were new.
   */
  async answer(answers: SurveyAnswerInput[]): Promise<{ stored: number; duplicates: number }> {
    for (const [i, answer] of answers.entries()) {
      instantOf(answer.answeredAt, `answer ${i}: answeredAt`);
      refuseNul(
        { answerId: answer.answerId, customer: answer.customer, comment: answer.comment },
        `answer ${i}: `,
      );
      const max = answer.kind === SurveyKind.Nps ? 10 : 5;
      const min = answer.kind === SurveyKind.Nps ? 0 : 1;
      if (!Number.isInteger(answer.score) || answer.score < min || answer.score > max) {
        throw new BadRequestException(
          `answer ${i}: a ${answer.kind} score is a whole number from ${min} to ${max}`,
        );
      }
    }
    const comments: VerbatimInput[] = answers
      // `comment: null` passes the optional check: only a string is a comment (null was a 500).
      .filter((answer) => typeof answer.comment === 'string' && answer.comment.trim() !== '')
      .map((answer) => ({
        source: SURVEY_SOURCE,
        externalId: `${answer.kind}:${answer.answerId}`,
        author: answer.customer ?? `survey:${answer.answerId}`,
        channel: Channel.Survey,
        receivedAt: answer.answeredAt,
        text: answer.comment as string,
        ...(answer.lang === 'fr' || answer.lang === 'en' ? { lang: answer.lang } : {}),
        metadata: { surveyKind: answer.kind, [`${answer.kind}Score`]: answer.score },
      }));
    const { stored, refs } = await this.transactions.run(async (tx) => {
      const refs = await this.ingest.store(comments, SourceKind.Import, tx);
      const verbatimOf = new Map(refs.map((ref) => [ref.externalId, ref.id]));
      const stored = await this.kpis.insertAnswers(
        answers.map((answer) => ({
          answerId: answer.answerId,
          kind: answer.kind,
          score: answer.score,
          authorKey: answer.customer ? this.authorKeys.of(answer.customer) : null,
          answeredAt: new Date(answer.answeredAt),
          verbatimId: verbatimOf.get(`${answer.kind}:${answer.answerId}`) ?? null,
        })),
        tx,
      );
      return { stored, refs };
    });
    await this.ingest.handOn(refs);
    return { stored: stored.length, duplicates: answers.length - stored.length };
  }

  /**
   * The points of NPS and CSAT each irritant costs: the score without the customers who mention
   * it in a survey comment, minus the score with them, over SURVEY_IMPACT_DAYS ending at `to`.
   * Only irritants mentioned in the window are in the answer.
   */
  async surveyImpacts(
    irritantIds: readonly string[] | null,
    to: Date = this.clock.now(),
  ): Promise<Map<string, IrritantSurveyImpact>> {
    const from = new Date(to.getTime() - this.config.surveyImpactDays * 86_400_000);
    const result = new Map<string, IrritantSurveyImpact>();
    if (irritantIds !== null && irritantIds.length === 0) return result;
    for (const kind of [SurveyKind.Nps, SurveyKind.Csat]) {
      const { overall, byIrritant } = await this.kpis.surveyMentions(kind, from, to, irritantIds);
      for (const [irritantId, mentioning] of byIrritant) {
        const entry = result.get(irritantId) ?? { from, to, nps: null, csat: null };
        entry[kind === SurveyKind.Nps ? 'nps' : 'csat'] = surveyImpact(overall, mentioning);
        result.set(irritantId, entry);
      }
    }
    return result;
  }
}
