import { Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { DateTime } from 'luxon';
import { APP_CONFIG, AppConfig, Clock } from '@app/config';
import { AlertRepository, AlertStatus, AlertWindow, IrritantAlert, Transactions, Tx } from '@app/database';
import { JobHandler, JobName } from '@app/jobs';
import { WebhookEvent, WebhookService } from '@app/webhooks';
import { JumpTest, jumpTest } from './poisson';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** What else must happen, in the alert's own transaction, when an alert is raised (chat messages). */
export interface AlertListener {
  onAlertRaised(alert: IrritantAlert, tx: Tx): Promise<() => Promise<void>>;
}

/**
 * Mid-week alerts on emerging irritants. Every ALERTS_SCAN_EVERY_MS, for the windows ending now
 * (the last hour and the last 24 hours), each irritant's distinct customers are compared with its
 * own baseline: the ALERT_BASELINE_DAYS before the last 24 hours (never before the installation's
 * first verbatim), as customers per day and per hour (the mean hour, or the same local hour of day
 * when that is busier), never below ALERT_FLOOR_PER_DAY. A window jumps when its count is at
 * least the minimum, at least ALERT_MIN_RATIO times the expectation, and has a Poisson upper
 * tail below ALERT_P_VALUE. The first jump opens an episode (one open per irritant) and alerts,
 * with the evidence; later jumps keep it open; ALERT_QUIET_HOURS without one close it. At most
 * ALERT_MAX_PER_DAY alerts are announced a day; more are kept, marked suppressed.
 */
@Injectable()
export class AlertService {
  private readonly logger = new Logger(AlertService.name);
  private readonly listeners: AlertListener[] = [];

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly alerts: AlertRepository,
    private readonly transactions: Transactions,
    private readonly webhooks: WebhookService,
  ) {}

  /** Libs above this one (chat notifications) announce alerts in the alert's transaction. */
  listen(listener: AlertListener): void {
    this.listeners.push(listener);
  }

  @JobHandler(JobName.ScanAlerts)
  async scanNow(): Promise<void> {
    await this.scan(this.clock.now());
  }

  /**
   * Looks for jumps in the windows ending at `now`.
   * @returns the alerts this scan opened (raised or suppressed).
   */
  async scan(now: Date): Promise<IrritantAlert[]> {
    const thresholds = this.config.alerts;
    if (!thresholds.enabled) return [];
    await this.alerts.closeQuiet(new Date(now.getTime() - thresholds.quietHours * HOUR), now);
    const hourStart = new Date(now.getTime() - HOUR);
    const dayStart = new Date(now.getTime() - DAY);
    const candidates = await this.alerts.candidates(
      hourStart,
      dayStart,
      now,
      thresholds.minCustomersHour,
      thresholds.minCustomersDay,
    );
    if (candidates.length === 0) return [];
    const first = await this.alerts.firstVerbatimAt();
    const baselineStart = new Date(
      Math.max(dayStart.getTime() - thresholds.baselineDays * DAY, first?.getTime() ?? dayStart.getTime()),
    );
    const spanDays = (dayStart.getTime() - baselineStart.getTime()) / DAY;
    // A baseline needs history: an installation younger than a day and a day has none to compare with.
    if (spanDays < 1) return [];
    const zone = this.config.timeZone;
    const localHour = DateTime.fromJSDate(hourStart, { zone }).hour;
    const baselines = await this.alerts.baselines(
      candidates.map((candidate) => candidate.irritantId),
      baselineStart,
      dayStart,
      localHour,
      zone,
    );
    const open = new Map(
      (await this.alerts.openEpisodes(candidates.map((c) => c.irritantId))).map((a) => [a.irritantId, a]),
    );
    const continuing: string[] = [];
    const opened: IrritantAlert[] = [];
    for (const candidate of candidates) {
      const history = baselines.get(candidate.irritantId) ?? {
        customerDays: 0,
        customerHours: 0,
        customerHoursAtHour: 0,
      };
      const perDay = Math.max(history.customerDays / spanDays, thresholds.floorPerDay);
      const perHour = Math.max(
        history.customerHours / (spanDays * 24),
        history.customerHoursAtHour / spanDays,
        thresholds.floorPerDay / 24,
      );
      const common = { pValue: thresholds.pValue, minRatio: thresholds.minRatio };
      const hour = jumpTest(candidate.hour, perHour, {
        ...common,
        minCustomers: thresholds.minCustomersHour,
      });
      const day = jumpTest(candidate.day, perDay, { ...common, minCustomers: thresholds.minCustomersDay });
      if (!hour.jumped && !day.jumped) continue;
      const episode = open.get(candidate.irritantId);
      if (episode) {
        continuing.push(episode.id);
        continue;
      }
      const window: AlertWindow =
        hour.jumped && (!day.jumped || hour.pValue <= day.pValue) ? AlertWindow.Hour : AlertWindow.Day;
      const test: JumpTest = window === AlertWindow.Hour ? hour : day;
      const windowStart = window === AlertWindow.Hour ? hourStart : dayStart;
      const raised = (await this.alerts.raisedSince(new Date(now.getTime() - DAY))) < thresholds.maxPerDay;
      const evidence = {
        observed: test.observed,
        expected: round(test.expected, 3),
        pValue: test.pValue,
        ratio: round(test.ratio, 1),
        baselinePerDay: round(perDay, 3),
        baselineDays: round(spanDays, 1),
        hourly: await this.alerts.hourly(candidate.irritantId, dayStart),
        hour: { observed: hour.observed, expected: round(hour.expected, 3), pValue: hour.pValue },
        day: { observed: day.observed, expected: round(day.expected, 3), pValue: day.pValue },
        thresholds: {
          minCustomers:
            window === AlertWindow.Hour ? thresholds.minCustomersHour : thresholds.minCustomersDay,
          pValue: thresholds.pValue,
          minRatio: thresholds.minRatio,
        },
        quotes: await this.alerts.quotes(candidate.irritantId, windowStart, now, 3),
      };
      const made = await this.transactions.run(async (tx) => {
        const alert = await this.alerts.open(
          {
            irritantId: candidate.irritantId,
            label: candidate.label,
            category: candidate.category,
            window,
            windowStart,
            windowEnd: now,
            observed: test.observed,
            expected: test.expected,
            pValue: test.pValue,
            evidence,
            status: raised ? AlertStatus.Raised : AlertStatus.Suppressed,
            openedAt: now,
            lastJumpAt: now,
          },
          tx,
        );
        if (!alert || alert.status !== AlertStatus.Raised) return { alert, after: [] };
        const deliveries = await this.webhooks.record(
          WebhookEvent.AlertRaised,
          alert.id,
          {
            alertId: alert.id,
            irritantId: alert.irritantId,
            label: alert.label,
            category: alert.category,
            window: alert.window,
            windowStart: alert.windowStart.toISOString(),
            windowEnd: alert.windowEnd.toISOString(),
            ...evidence,
          },
          tx,
        );
        const after = [() => this.webhooks.dispatch(deliveries)];
        for (const listener of this.listeners) after.push(await listener.onAlertRaised(alert, tx));
        return { alert, after };
      });
      if (!made.alert) continue;
      for (const step of made.after) await step();
      opened.push(made.alert);
      this.logger.log(
        {
          alert: made.alert.id,
          window,
          observed: test.observed,
          expected: round(test.expected, 3),
          status: made.alert.status,
        },
        'irritant alert opened',
      );
    }
    await this.alerts.stillJumping(continuing, now);
    return opened;
  }

  list(limit: number): Promise<IrritantAlert[]> {
    return this.alerts.list(limit);
  }

  async get(id: string): Promise<IrritantAlert> {
    const alert = await this.alerts.findById(id);
    if (!alert) throw new NotFoundException(`alert ${id} does not exist`);
    return alert;
  }
}

const round = (value: number, digits: number) => {
  if (!Number.isFinite(value)) return value;
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
};
