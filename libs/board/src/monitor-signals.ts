import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig, Clock } from '@app/config';
import {
  BoardRepository,
  IrritantWeekRow,
  KpiDirection,
  KpiRepository,
  LinkProposal,
  Monitor,
  MonitorLinkView,
  MonitorRepository,
  RunStatus,
  WeekRuns,
} from '@app/database';
import { KpiService, KpiSummary } from '@app/monitoring';
import { DEFAULT_TAXONOMY } from '@app/nlp';
import { IsoWeek, weekBounds } from '@app/scoring';
import { topicsOf } from './topics';

const DAY_MS = 86_400_000;
/** How far back "before the failure" looks, to know whether customers jumped or were there already. */
const BASELINE_MS = 7 * DAY_MS;
/** A jump: at least this many customers in the window… */
const MIN_CUSTOMERS = 5;
/** …and at least this many times what the week before the window would have given over its length. */
const JUMP_FACTOR = 2;
/** Proposals per monitor (or KPI) and week: the strongest ones, for a person to look at. */
export const PROPOSALS_PER_TARGET = 3;
/** A failing journey is a site failure too: customers then complain about the site itself. */
const ALWAYS_TOPICAL = 'site_performance';
/**
 * What each shipped KPI is about. Survey KPIs (NPS, CSAT) move with every irritant: no topic,
 * no proposal. A KPI defined later is read by its name, as journey steps are.
 */
const KPI_TOPICS: Record<string, string[]> = {
  nps: [],
  csat: [],
  page_load_time: ['site_performance', 'mobile_app'],
  error_page_rate: ['site_performance', 'mobile_app'],
  error_rate: ['site_performance', 'mobile_app'],
  booking_journey_time: ['search_booking', 'payment', 'site_performance'],
  journey_availability: ['site_performance', 'search_booking', 'payment'],
};

export interface MonitorLink {
  monitor: Monitor;
  status: string;
  failedRuns: number;
  view: MonitorLinkView;
}

export interface KpiLink {
  key: string;
  name: string;
  value: number | null;
  target: number | null;
  onTarget: boolean | null;
}

export interface WeekLinks {
  monitors: Map<string, MonitorLink[]>;
  kpis: Map<string, KpiLink[]>;
  allMonitors: Monitor[];
  runs: Map<string, WeekRuns>;
  summaries: () => Promise<KpiSummary[]>;
  start: Date;
  end: Date;
}

/** A monitor's state over a week, from its runs: what the board and the digest say about it. */
export function monitorState(runs: WeekRuns | undefined): MonitorLinkView['status'] {
  if (!runs || (runs.runs === 0 && runs.errors === 0)) return 'no runs';
  if (runs.runs === 0) return 'not measured';
  if (runs.lastStatus === RunStatus.Failed) return 'failing';
  if (runs.failed > 0) return 'recovered';
  if (runs.slow > 0) return 'slow';
  return 'ok';
}

export function failureOf(runs: WeekRuns | undefined): MonitorLinkView['failure'] {
  if (!runs?.firstFailedAt) return null;
  return {
    from: runs.firstFailedAt.toISOString(),
    to: runs.lastStatus === RunStatus.Failed ? null : (runs.recoveredAt?.toISOString() ?? null),
    steps: runs.failedSteps,
  };
}

/**
 * What monitors and KPIs say about a week's irritants: the links (by hand or by category rule)
 * and how each linked monitor did, and the links worth proposing: an irritant whose customers
 * jumped after a monitor began failing (within its failure window) or a KPI left its target,
 * when its topic is the failed step's or the monitor's.
 */
@Injectable()
export class MonitorSignals {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly monitorRows: MonitorRepository,
    private readonly boards: BoardRepository,
    private readonly kpiRows: KpiRepository,
    private readonly kpiService: KpiService,
  ) {}

  async links(week: IsoWeek, rows: IrritantWeekRow[]): Promise<WeekLinks> {
    const { start, end } = weekBounds(week, this.config.timeZone);
    const allMonitors = await this.monitorRows.list();
    const runs = await this.monitorRows.weekRuns(
      allMonitors.map((monitor) => monitor.id),
      start,
      end,
    );
    let summaries: Promise<KpiSummary[]> | null = null;
    const summariesOnce = () => (summaries ??= this.kpiService.summaries(week, end));
    const linked = await this.monitorRows.linkedMonitors(
      rows.map((row) => ({ id: row.irritantId, category: row.category })),
      allMonitors,
    );
    const monitors = new Map<string, MonitorLink[]>();
    for (const [irritantId, list] of linked) {
      monitors.set(
        irritantId,
        list.map((monitor) => {
          const week = runs.get(monitor.id);
          const status = monitorState(week);
          return {
            monitor,
            status,
            failedRuns: week?.failed ?? 0,
            view: {
              id: monitor.id,
              name: monitor.name,
              status,
              runs: week?.runs ?? 0,
              failedRuns: week?.failed ?? 0,
              failure: failureOf(week),
            },
          };
        }),
      );
    }
    const kpiKeys = await this.monitorRows.linkedKpis(rows.map((row) => row.irritantId));
    const kpis = new Map<string, KpiLink[]>();
    if (kpiKeys.size > 0) {
      const all = await summariesOnce();
      for (const [irritantId, keys] of kpiKeys) {
        kpis.set(
          irritantId,
          all
            .filter((summary) => keys.includes(summary.kpi.key))
            .map((summary) => ({
              key: summary.kpi.key,
              name: summary.kpi.name,
              value: summary.week.value,
              target: summary.kpi.target,
              onTarget: summary.onTarget,
            })),
        );
      }
    }
    return { monitors, kpis, allMonitors, runs, summaries: summariesOnce, start, end };
  }

  /**
   * Correlation that needs evidence: for each monitor that failed in the week, the irritants of
   * its topic (its categories, its failed steps' categories and names, and the site's
   * performance) it is not linked to, whose distinct customers in the failure window (from the
   * first failed run to the recovery, or the week's end) are at least MIN_CUSTOMERS and at least
   * JUMP_FACTOR times what the week before the window gives over as long; the strongest
   * PROPOSALS_PER_TARGET per monitor and week. The same for KPIs, from the first point off target.
   */
  async proposeLinks(week: IsoWeek, rows: IrritantWeekRow[], links: WeekLinks): Promise<void> {
    const until = new Date(Math.min(links.end.getTime(), this.clock.nowMs()));
    const proposals: Omit<LinkProposal, 'id' | 'createdAt' | 'status'>[] = [];
    for (const monitor of links.allMonitors) {
      const runs = links.runs.get(monitor.id);
      if (!runs?.firstFailedAt) continue;
      const to = runs.lastStatus === RunStatus.Failed || !runs.recoveredAt ? until : runs.recoveredAt;
      const topics = new Set([...monitor.categories, ALWAYS_TOPICAL]);
      for (const step of monitor.steps) {
        if (typeof step.name !== 'string' || !runs.failedSteps.includes(step.name)) continue;
        if (Array.isArray(step.categories))
          for (const category of step.categories) if (typeof category === 'string') topics.add(category);
        for (const topic of topicsOf(step.name, DEFAULT_TAXONOMY)) topics.add(topic);
      }
      const candidates = rows.filter(
        (row) =>
          topics.has(row.category) &&
          !(links.monitors.get(row.irritantId) ?? []).some((link) => link.monitor.id === monitor.id),
      );
      const jumped = await this.jumped(candidates, runs.firstFailedAt, to);
      for (const jump of jumped)
        proposals.push({
          irritantId: jump.irritantId,
          isoWeek: week,
          monitorId: monitor.id,
          kpiKey: null,
          evidence: {
            monitor: monitor.name,
            failedSteps: runs.failedSteps,
            failedRuns: runs.failed,
            runs: runs.runs,
            firstFailedAt: runs.firstFailedAt.toISOString(),
            recoveredAt: to === until ? null : to.toISOString(),
            window: { from: runs.firstFailedAt.toISOString(), to: to.toISOString() },
            customers: jump.during,
            customersBefore: jump.before,
            expected: jump.expected,
            strength: jump.strength,
            topic: jump.category,
          },
        });
    }
    for (const summary of (await links.summaries()).filter((one) => one.onTarget === false)) {
      const { kpi } = summary;
      if (kpi.target === null || kpi.fromSurveys) continue;
      const topics = new Set(KPI_TOPICS[kpi.key] ?? topicsOf(kpi.name, DEFAULT_TAXONOMY));
      if (topics.size === 0) continue;
      const from = await this.kpiRows.firstOffTarget(
        kpi.key,
        kpi.direction === KpiDirection.HigherIsBetter,
        kpi.target,
        links.start,
        until,
      );
      if (!from) continue;
      const candidates = rows.filter(
        (row) =>
          topics.has(row.category) &&
          !(links.kpis.get(row.irritantId) ?? []).some((link) => link.key === kpi.key),
      );
      for (const jump of await this.jumped(candidates, from, until))
        proposals.push({
          irritantId: jump.irritantId,
          isoWeek: week,
          monitorId: null,
          kpiKey: kpi.key,
          evidence: {
            kpi: kpi.name,
            value: summary.week.value,
            target: kpi.target,
            offTargetFrom: from.toISOString(),
            window: { from: from.toISOString(), to: until.toISOString() },
            customers: jump.during,
            customersBefore: jump.before,
            expected: jump.expected,
            strength: jump.strength,
            topic: jump.category,
          },
        });
    }
    await this.monitorRows.propose(proposals, PROPOSALS_PER_TARGET);
  }

  /** The irritants whose customers jumped in [from, to), strongest first, at most PROPOSALS_PER_TARGET. */
  private async jumped(candidates: IrritantWeekRow[], from: Date, to: Date) {
    if (candidates.length === 0 || to <= from) return [];
    const around = await this.boards.customersAround(
      candidates.map((row) => row.irritantId),
      from,
      to,
      BASELINE_MS,
    );
    const share = (to.getTime() - from.getTime()) / BASELINE_MS;
    return candidates
      .map((row) => {
        const { during, before } = around.get(row.irritantId) ?? { during: 0, before: 0 };
        const expected = Math.round(before * share * 10) / 10;
        return {
          irritantId: row.irritantId,
          category: row.category,
          during,
          before,
          expected,
          strength: Math.round((during / Math.max(expected, 1)) * 10) / 10,
        };
      })
      .filter((one) => one.during >= MIN_CUSTOMERS && one.during >= JUMP_FACTOR * one.expected)
      .sort((a, b) => b.strength - a.strength || b.during - a.during)
      .slice(0, PROPOSALS_PER_TARGET);
  }
}
