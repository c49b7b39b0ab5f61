import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { changedRows } from '../returning';
import { IrritantLink, LinkProposal, Monitor, MonitorRun, ProposalStatus, RunStatus } from '../entities';

/** How a monitor ran over a week (see MonitorRepository.weekRuns). */
export interface WeekRuns {
  runs: number;
  failed: number;
  slow: number;
  errors: number;
  firstFailedAt: Date | null;
  lastFailedAt: Date | null;
  recoveredAt: Date | null;
  lastStatus: RunStatus | null;
  failedSteps: string[];
}

export interface MonitorStatsRow {
  period: string;
  runs: number;
  ok: number;
  p95: number | null;
}

/**
 * The categories a monitor is linked to by rule: its own, and those of its journey steps (a step
 * `{"name": "pay", "categories": ["payment"]}` links the payment irritants to the journey).
 */
function rulesOf(monitor: Monitor): Set<string> {
  const categories = new Set(monitor.categories);
  for (const step of monitor.steps) {
    if (Array.isArray(step.categories))
      for (const category of step.categories) if (typeof category === 'string') categories.add(category);
  }
  return categories;
}

@Injectable()
export class MonitorRepository {
  constructor(private readonly dataSource: DataSource) {}

  save(monitor: Partial<Monitor>): Promise<Monitor> {
    return this.dataSource.getRepository(Monitor).save(monitor);
  }

  find(id: string): Promise<Monitor | null> {
    return this.dataSource.getRepository(Monitor).findOne({ where: { id } });
  }

  list(): Promise<Monitor[]> {
    return this.dataSource.getRepository(Monitor).find({ order: { name: 'ASC' } });
  }

  /** Enabled monitors whose next run is due. */
  due(now: Date): Promise<Monitor[]> {
    return this.dataSource
      .getRepository(Monitor)
      .createQueryBuilder('m')
      .where('m.enabled')
      .andWhere('(m.last_run_at IS NULL OR m.last_run_at + make_interval(secs => m.every_seconds) <= :now)', {
        now,
      })
      .getMany();
  }

  /**
   * Claims a run for a monitor and slot (one per slot, whatever the number of workers).
   * @returns false when another process has it.
   */
  async claim(monitorId: string, slot: number, at: Date): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO monitor_run (monitor_id, slot, started_at, duration_ms, status, steps)
       VALUES ($1, $2, $3, 0, $4, '[]') ON CONFLICT (monitor_id, slot) DO NOTHING RETURNING id`,
      [monitorId, slot, at, RunStatus.Failed],
    );
    if (rows.length > 0)
      await this.dataSource.getRepository(Monitor).update({ id: monitorId }, { lastRunAt: at });
    return rows.length > 0;
  }

  async finish(
    monitorId: string,
    slot: number,
    run: Pick<MonitorRun, 'durationMs' | 'status' | 'steps' | 'screenshot'>,
  ): Promise<void> {
    await this.dataSource.query(
      `UPDATE monitor_run SET duration_ms = $3, status = $4, steps = $5::jsonb, screenshot = $6
        WHERE monitor_id = $1 AND slot = $2`,
      [monitorId, slot, run.durationMs, run.status, JSON.stringify(run.steps), run.screenshot],
    );
    await this.dataSource.getRepository(Monitor).update({ id: monitorId }, { lastStatus: run.status });
  }

  runs(monitorId: string, limit: number): Promise<MonitorRun[]> {
    return this.dataSource.getRepository(MonitorRun).find({
      select: {
        id: true,
        monitorId: true,
        slot: true,
        startedAt: true,
        durationMs: true,
        status: true,
        steps: true,
      },
      where: { monitorId },
      order: { startedAt: 'DESC' },
      take: limit,
    });
  }

  async screenshot(runId: string): Promise<Buffer | null> {
    const run = await this.dataSource
      .getRepository(MonitorRun)
      .findOne({ select: { id: true, screenshot: true }, where: { id: runId } });
    return run?.screenshot ?? null;
  }

  /**
   * Availability (runs not failed) and p95 duration per local day or ISO week since `from`. A run
   * whose process died before it finished stays failed: a journey that did not complete. A run
   * whose runner could not start (`error`) measured nothing and is left out.
   */
  async stats(monitorId: string, by: 'day' | 'week', from: Date, zone: string): Promise<MonitorStatsRow[]> {
    const format = by === 'day' ? 'YYYY-MM-DD' : 'IYYY-"W"IW';
    return this.dataSource.query(
      `SELECT to_char(started_at AT TIME ZONE $3, '${format}') AS period, count(*)::int AS runs,
              count(*) FILTER (WHERE status <> 'failed')::int AS ok,
              percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms)::float8 AS p95
         FROM monitor_run WHERE monitor_id = $1 AND started_at >= $2 AND status <> 'error'
        GROUP BY 1 ORDER BY 1`,
      [monitorId, from, zone],
    );
  }

  async link(link: Pick<IrritantLink, 'irritantId' | 'monitorId' | 'kpiKey' | 'actor'>): Promise<void> {
    await this.dataSource.createQueryBuilder().insert().into(IrritantLink).values(link).orIgnore().execute();
  }

  /** Which of the given monitors are linked to these irritants: by hand, or by rule. */
  async linkedMonitors(
    irritants: { id: string; category: string }[],
    monitors: readonly Monitor[],
  ): Promise<Map<string, Monitor[]>> {
    const linked = new Map<string, Monitor[]>();
    if (irritants.length === 0 || monitors.length === 0) return linked;
    const byHand: { irritant_id: string; monitor_id: string }[] = await this.dataSource.query(
      'SELECT irritant_id, monitor_id FROM irritant_link WHERE monitor_id IS NOT NULL AND irritant_id = ANY($1::uuid[])',
      [irritants.map((irritant) => irritant.id)],
    );
    for (const irritant of irritants) {
      const ids = new Set(
        byHand.filter((row) => row.irritant_id === irritant.id).map((row) => row.monitor_id),
      );
      const found = monitors.filter(
        (monitor) => ids.has(monitor.id) || rulesOf(monitor).has(irritant.category),
      );
      if (found.length > 0) linked.set(irritant.id, found);
    }
    return linked;
  }

  /**
   * How each monitor ran in [start, end): runs that measured the journey (an infrastructure error,
   * a runner that could not start, measures nothing), failed and slow ones, the failure window
   * (first failed run, and the first good run after the last failed one: when it recovered), the
   * state at the end (the latest measuring run), and the steps that failed.
   */
  async weekRuns(monitorIds: string[], start: Date, end: Date): Promise<Map<string, WeekRuns>> {
    if (monitorIds.length === 0) return new Map();
    const rows: {
      monitor_id: string;
      runs: number;
      failed: number;
      slow: number;
      errors: number;
      first_failed: Date | null;
      last_failed: Date | null;
      recovered: Date | null;
      last_status: RunStatus | null;
      failed_steps: string[] | null;
    }[] = await this.dataSource.query(
      `WITH r AS (
         SELECT monitor_id, started_at, status, steps FROM monitor_run
          WHERE monitor_id = ANY($1::uuid[]) AND started_at >= $2 AND started_at < $3),
       a AS (
         SELECT monitor_id,
                count(*) FILTER (WHERE status <> 'error')::int AS runs,
                count(*) FILTER (WHERE status = 'failed')::int AS failed,
                count(*) FILTER (WHERE status = 'slow')::int AS slow,
                count(*) FILTER (WHERE status = 'error')::int AS errors,
                min(started_at) FILTER (WHERE status = 'failed') AS first_failed,
                max(started_at) FILTER (WHERE status = 'failed') AS last_failed,
                (array_agg(status ORDER BY started_at DESC) FILTER (WHERE status <> 'error'))[1] AS last_status
           FROM r GROUP BY monitor_id)
       SELECT a.*,
              (SELECT min(started_at) FROM r WHERE r.monitor_id = a.monitor_id
                  AND r.status IN ('ok', 'slow') AND r.started_at > a.last_failed) AS recovered,
              (SELECT array_agg(DISTINCT s->>'name') FROM r, jsonb_array_elements(r.steps) s
                WHERE r.monitor_id = a.monitor_id AND r.status = 'failed' AND s->>'status' = 'failed') AS failed_steps
         FROM a`,
      [monitorIds, start, end],
    );
    return new Map(
      rows.map((row) => [
        row.monitor_id,
        {
          runs: row.runs,
          failed: row.failed,
          slow: row.slow,
          errors: row.errors,
          firstFailedAt: row.first_failed,
          lastFailedAt: row.last_failed,
          recoveredAt: row.recovered,
          lastStatus: row.last_status,
          failedSteps: row.failed_steps ?? [],
        },
      ]),
    );
  }

  /**
   * Records proposals, at most `cap` per monitor (or KPI) and week counting those already there;
   * one proposed before for the same week and target is left as it is.
   */
  async propose(proposals: Omit<LinkProposal, 'id' | 'createdAt' | 'status'>[], cap: number): Promise<void> {
    for (const proposal of proposals) {
      await this.dataSource.query(
        `INSERT INTO link_proposal (irritant_id, iso_week, monitor_id, kpi_key, evidence, status)
         SELECT $1::uuid, $2::varchar, $3::uuid, $4::varchar, $5::jsonb, $6::varchar
          WHERE (SELECT count(*) FROM link_proposal
                  WHERE iso_week = $2::varchar AND monitor_id IS NOT DISTINCT FROM $3::uuid
                    AND kpi_key IS NOT DISTINCT FROM $4::varchar AND irritant_id <> $1::uuid) < $7::int
         ON CONFLICT DO NOTHING`,
        [
          proposal.irritantId,
          proposal.isoWeek,
          proposal.monitorId,
          proposal.kpiKey,
          JSON.stringify(proposal.evidence),
          ProposalStatus.Proposed,
          cap,
        ],
      );
    }
  }

  /** KPIs linked by hand to these irritants. */
  async linkedKpis(irritantIds: string[]): Promise<Map<string, string[]>> {
    const linked = new Map<string, string[]>();
    if (irritantIds.length === 0) return linked;
    const rows: { irritant_id: string; kpi_key: string }[] = await this.dataSource.query(
      'SELECT irritant_id, kpi_key FROM irritant_link WHERE kpi_key IS NOT NULL AND irritant_id = ANY($1::uuid[])',
      [irritantIds],
    );
    for (const row of rows)
      linked.set(row.irritant_id, [...(linked.get(row.irritant_id) ?? []), row.kpi_key]);
    return linked;
  }

  proposals(status: ProposalStatus, limit: number): Promise<LinkProposal[]> {
    return this.dataSource
      .getRepository(LinkProposal)
      .find({ where: { status }, order: { createdAt: 'DESC' }, take: limit });
  }

  /** Settles a proposal still open. @returns it, or null when it is not open (or not there). */
  async settle(id: string, status: ProposalStatus): Promise<LinkProposal | null> {
    const rows = await changedRows<{ id: string }>(
      this.dataSource.manager,
      `UPDATE link_proposal SET status = $2 WHERE id = $1 AND status = $3 RETURNING id`,
      [id, status, ProposalStatus.Proposed],
    );
    return rows.length > 0 ? this.dataSource.getRepository(LinkProposal).findOne({ where: { id } }) : null;
  }
}
