import { createHash } from 'node:crypto';
import { BadRequestException, Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { APP_CONFIG, AppConfig, Clock } from '@app/config';
import {
  KpiRepository,
  LinkProposal,
  Monitor,
  MonitorKind,
  MonitorRepository,
  MonitorStatsRow,
  ProposalStatus,
  RunStatus,
} from '@app/database';
import { JobHandler, JobName, JobPayload, JobQueue } from '@app/jobs';
import { BrowserStep, HttpStep, JourneyResult, runBrowserJourney, runHttpJourney } from './journeys';

export interface MonitorInput {
  name: string;
  kind: MonitorKind;
  steps: Record<string, unknown>[];
  everySeconds?: number;
  timeoutMs?: number;
  slowMs?: number | null;
  kpiKey?: string | null;
  categories?: string[];
  enabled?: boolean;
}

/** The KPI every run feeds (seeded by the migrations; an installation may delete it). */
export const AVAILABILITY_KPI = 'journey_availability';

/** 0-996 ms, the same for a monitor every time: its availability points never collide with another's. */
const offsetOf = (monitorId: string) => createHash('sha1').update(monitorId).digest().readUInt32BE(0) % 997;

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const ACTIONS = ['goto', 'click', 'fill', 'waitFor', 'assertText'];
const isHttpUrl = (value: unknown) =>
  typeof value === 'string' && /^https?:\/\/\S+$/.test(value.replace(/\{\{[^}]*\}\}/g, 'x'));

/** Every problem of a journey's steps, in words, or none. */
export function checkSteps(kind: MonitorKind, steps: unknown): string[] {
  if (!Array.isArray(steps) || steps.length === 0 || steps.length > 50) return ['steps: 1 to 50 steps'];
  const problems: string[] = [];
  steps.forEach((raw: unknown, i) => {
    const step = (raw ?? {}) as Record<string, unknown>;
    if (typeof step.name !== 'string' || step.name.length === 0 || step.name.length > 80)
      problems.push(`step ${i}: name (1-80 characters)`);
    if (
      step.categories !== undefined &&
      (!Array.isArray(step.categories) || !step.categories.every((c) => typeof c === 'string'))
    )
      problems.push(`step ${i}: categories is a list of category keys`);
    if (kind === MonitorKind.Http) {
      if (!METHODS.includes(String(step.method)))
        problems.push(`step ${i}: method one of ${METHODS.join(', ')}`);
      if (!isHttpUrl(step.url)) problems.push(`step ${i}: url must be http(s)`);
      if (step.capture !== undefined && (typeof step.capture !== 'object' || step.capture === null))
        problems.push(`step ${i}: capture maps names to paths`);
    } else {
      if (!ACTIONS.includes(String(step.action)))
        problems.push(`step ${i}: action one of ${ACTIONS.join(', ')}`);
      if (step.action === 'goto' && !isHttpUrl(step.url))
        problems.push(`step ${i}: goto needs an http(s) url`);
      if (step.action !== 'goto' && step.action !== 'assertText' && typeof step.selector !== 'string')
        problems.push(`step ${i}: ${String(step.action)} needs a selector`);
      if (step.action === 'assertText' && typeof step.text !== 'string')
        problems.push(`step ${i}: assertText needs a text`);
    }
  });
  return problems;
}

/**
 * Synthetic-journey monitors: defined through the API, run on their schedule once across the
 * installation (a run is claimed per monitor and schedule slot), each run kept step by step with
 * a screenshot of a failed browser step; a run that hangs is cut at its timeout and fails. A
 * monitor's journey time feeds its KPI.
 */
@Injectable()
export class MonitorService {
  private readonly logger = new Logger(MonitorService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly monitors: MonitorRepository,
    private readonly kpis: KpiRepository,
    private readonly jobs: JobQueue,
  ) {}

  async save(input: MonitorInput, id?: string): Promise<Monitor> {
    const problems = checkSteps(input.kind, input.steps);
    if (problems.length > 0) throw new BadRequestException(problems);
    if (input.kpiKey && !(await this.kpis.find(input.kpiKey)))
      throw new BadRequestException(`KPI ${input.kpiKey} does not exist`);
    if (id) await this.get(id);
    return this.monitors.save({
      ...(id ? { id } : {}),
      name: input.name,
      kind: input.kind,
      steps: input.steps,
      everySeconds: input.everySeconds ?? 300,
      timeoutMs: input.timeoutMs ?? 60_000,
      slowMs: input.slowMs ?? null,
      kpiKey: input.kpiKey ?? null,
      categories: input.categories ?? [],
      enabled: input.enabled ?? true,
    });
  }

  list(): Promise<Monitor[]> {
    return this.monitors.list();
  }

  async get(id: string): Promise<Monitor> {
    const monitor = await this.monitors.find(id);
    if (!monitor) throw new NotFoundException(`monitor ${id} does not exist`);
    return monitor;
  }

  @JobHandler(JobName.TickMonitors)
  async tick(): Promise<void> {
    await this.enqueueDue(this.clock.now());
  }

  async enqueueDue(now: Date): Promise<number> {
    const due = await this.monitors.due(now);
    const slot = Math.floor(now.getTime() / 1_000);
    await this.jobs.addMany(
      JobName.RunMonitor,
      due.map((monitor) => ({ monitorId: monitor.id, slot })),
    );
    return due.length;
  }

  @JobHandler(JobName.RunMonitor)
  async runJob({ monitorId, slot }: JobPayload<JobName.RunMonitor>): Promise<void> {
    await this.run(monitorId, slot);
  }

  /**
   * Runs a monitor for a schedule slot (ticks give seconds), unless that slot has run already
   * (another worker, a replay). A run asked by a person gets a slot of its own: milliseconds, which
   * no tick's second can be.
   * @returns the run's status, or null when it was not this call's to run.
   */
  async run(monitorId: string, slot = this.clock.nowMs()): Promise<RunStatus | null> {
    const monitor = await this.monitors.find(monitorId);
    if (!monitor || !monitor.enabled) return null;
    const startedAt = this.clock.now();
    if (!(await this.monitors.claim(monitor.id, slot, startedAt))) return null;
    let result: JourneyResult;
    let unavailable: string | null = null;
    try {
      result =
        monitor.kind === MonitorKind.Http
          ? await runHttpJourney(monitor.steps as unknown as HttpStep[], monitor.timeoutMs)
          : await runBrowserJourney(
              monitor.steps as unknown as BrowserStep[],
              monitor.timeoutMs,
              this.config.chromiumPath,
            );
    } catch (error) {
      // The runner could not measure the journey (no browser to start): an infrastructure error,
      // kept with its reason, never counted as a customer failure.
      unavailable = error instanceof Error ? error.message : String(error);
      result = {
        ok: false,
        durationMs: this.clock.nowMs() - startedAt.getTime(),
        steps: [{ name: 'start', status: 'failed', ms: 0, error: unavailable }],
      };
    }
    const status =
      unavailable !== null
        ? RunStatus.Error
        : !result.ok
          ? RunStatus.Failed
          : monitor.slowMs !== null && result.durationMs > monitor.slowMs
            ? RunStatus.Slow
            : RunStatus.Ok;
    await this.monitors.finish(monitor.id, slot, {
      durationMs: Math.max(1, result.durationMs),
      status,
      steps: result.steps,
      screenshot: result.screenshot ?? null,
    });
    if (monitor.kpiKey && result.ok) {
      await this.kpis.upsertPoints(
        monitor.kpiKey,
        [{ at: startedAt, value: result.durationMs / 1000 }],
        'monitor',
      );
    }
    if (status !== RunStatus.Error && (await this.kpis.find(AVAILABILITY_KPI))) {
      // 100 for a journey that completed, 0 for one that failed: the week's mean is the share of
      // runs that completed. Each monitor's point sits a few milliseconds apart from another's run
      // at the same instant, so that one never replaces the other.
      await this.kpis.upsertPoints(
        AVAILABILITY_KPI,
        [
          {
            at: new Date(startedAt.getTime() + offsetOf(monitor.id)),
            value: status === RunStatus.Failed ? 0 : 100,
          },
        ],
        'monitor',
      );
    }
    if (status === RunStatus.Error)
      this.logger.warn({ monitor: monitor.name, cause: unavailable }, 'monitor could not run');
    else if (status !== RunStatus.Ok)
      this.logger.warn({ monitor: monitor.name, status }, 'monitor run not ok');
    return status;
  }

  async runs(id: string, limit: number) {
    await this.get(id);
    return this.monitors.runs(id, limit);
  }

  screenshot(runId: string): Promise<Buffer | null> {
    return this.monitors.screenshot(runId);
  }

  /** Availability and p95 journey time per day or ISO week, over the last `days`. */
  async stats(
    id: string,
    by: 'day' | 'week',
    days: number,
  ): Promise<(MonitorStatsRow & { availability: number })[]> {
    await this.get(id);
    const rows = await this.monitors.stats(
      id,
      by,
      new Date(this.clock.nowMs() - days * 86_400_000),
      this.config.timeZone,
    );
    return rows.map((row) => ({
      ...row,
      p95: row.p95 === null ? null : Math.round(row.p95),
      availability: row.runs === 0 ? 0 : Math.round((row.ok / row.runs) * 1000) / 10,
    }));
  }

  async link(
    irritantId: string,
    target: { monitorId?: string; kpiKey?: string },
    actor: string,
  ): Promise<void> {
    if (target.monitorId) await this.get(target.monitorId);
    if (target.kpiKey && !(await this.kpis.find(target.kpiKey)))
      throw new NotFoundException(`KPI ${target.kpiKey} does not exist`);
    await this.monitors.link({
      irritantId,
      monitorId: target.monitorId ?? null,
      kpiKey: target.kpiKey ?? null,
      actor,
    });
  }

  proposals(status: ProposalStatus, limit: number): Promise<LinkProposal[]> {
    return this.monitors.proposals(status, limit);
  }

  /** Accepts a proposed link: it becomes a link (and counts on the board from its next build). */
  async settleProposal(id: string, accept: boolean, actor: string): Promise<LinkProposal> {
    const proposal = await this.monitors.settle(
      id,
      accept ? ProposalStatus.Accepted : ProposalStatus.Dismissed,
    );
    if (!proposal) throw new NotFoundException(`no open proposal ${id}`);
    if (accept) {
      await this.monitors.link({
        irritantId: proposal.irritantId,
        monitorId: proposal.monitorId,
        kpiKey: proposal.kpiKey,
        actor,
      });
    }
    return proposal;
  }
}
