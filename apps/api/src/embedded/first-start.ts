import { join } from 'node:path';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ApiKeyService, UserService } from '@app/auth';
import { APP_CONFIG, AppConfig, Clock, findShippedFile } from '@app/config';
import { MonitorKind, Role, SourceKind, SurveyKind } from '@app/database';
import { IngestService, VerbatimInput, checkVerbatim, readImportRows } from '@app/ingest';
import { KpiService, MonitorService } from '@app/monitoring';

const DEMO_FILE = join('apps', 'api', 'demo', 'verbatims.jsonl');
const WEEK_MS = 7 * 86_400_000;

/** The local admin account of an embedded installation's first start. */
export const FIRST_ADMIN_EMAIL = 'admin@loveboard.local';

export interface FirstStartResult {
  /** Set only on the very first start: the one time the admin key is shown. */
  adminKey: string | null;
  /** The first admin's sign-in (embedded mode with demo data and local accounts), shown once too. */
  admin: { email: string; password: string } | null;
  demoVerbatims: number;
}

/**
 * A fresh installation needs a way in and something to look at: an admin key, printed once, and
 * the demo verbatims, loaded through the same ingest path as everything else.
 */
/** Days the first-start admin key is valid (README, "Keys"). */
export const FIRST_START_KEY_DAYS = 30;

@Injectable()
export class FirstStart {
  private readonly logger = new Logger(FirstStart.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly apiKeys: ApiKeyService,
    private readonly users: UserService,
    private readonly ingest: IngestService,
    private readonly kpis: KpiService,
    private readonly monitors: MonitorService,
  ) {}

  /** @param shopUrl the demo shop, when it is served: the demo monitors watch it. */
  async run(shopUrl: string | null = null): Promise<FirstStartResult> {
    if (await this.apiKeys.hasAnyKey()) return { adminKey: null, admin: null, demoVerbatims: 0 };
    // Printed on a console and often pasted around: it expires (wall clock, not the product's)
    // unless rotated first (`POST /api/v1/api-keys/:id/rotate`, or `npm run cli -- apikey rotate <id>`).
    const { key } = await this.apiKeys.create('first-start admin', Role.Admin, 'system', {
      expiresAt: new Date(Date.now() + FIRST_START_KEY_DAYS * 86_400_000),
    });
    const admin = await this.createAdmin();
    const demoVerbatims = this.config.demoData ? await this.loadDemo() : 0;
    if (this.config.demoData) await this.loadDemoKpis(this.clock.now());
    if (this.config.demoData && shopUrl) await this.createDemoMonitors(shopUrl);
    return { adminKey: key, admin, demoVerbatims };
  }

  /**
   * A newcomer trying the product opens the UI, which wants a person: an admin account beside the
   * admin key. Only where there is no provider to sign in with (embedded mode, local accounts on).
   */
  private async createAdmin(): Promise<{ email: string; password: string } | null> {
    if (this.config.mode !== 'embedded' || !this.config.demoData || !this.config.localAccounts) return null;
    if (await this.users.findByEmail(FIRST_ADMIN_EMAIL)) return null;
    const { password } = await this.users.create(
      { email: FIRST_ADMIN_EMAIL, role: Role.Admin, displayName: 'Admin' },
      'system',
    );
    return password === null ? null : { email: FIRST_ADMIN_EMAIL, password };
  }

  /**
   * Six weeks of KPI measures and survey answers matching the demo's story (a payment incident
   * two weeks ago, the site slow on Monday mornings), so that the KPIs, the board's detractors and
   * the digest's headline have something true to the demo to show. Seeded: the same every time.
   */
  private async loadDemoKpis(now: Date): Promise<void> {
    let seed = 42;
    const random = () => ((seed = (seed * 16_807) % 2_147_483_647) - 1) / 2_147_483_646;
    const hours = 6 * 7 * 24;
    const series: Record<string, { at: string; value: number }[]> = {
      page_load_time: [],
      error_page_rate: [],
      error_rate: [],
      booking_journey_time: [],
    };
    for (let h = hours; h > 0; h -= 3) {
      const at = new Date(now.getTime() - h * 3_600_000);
      const incident = h > 14 * 24 && h < 17 * 24 ? 1 : 0;
      const mondayMorning = at.getUTCDay() === 1 && at.getUTCHours() >= 6 && at.getUTCHours() <= 9 ? 1 : 0;
      const iso = at.toISOString();
      series.page_load_time.push({
        at: iso,
        value: Math.round(1_650 + 400 * random() + 900 * mondayMorning + 300 * incident),
      });
      series.error_page_rate.push({
        at: iso,
        value: Math.round((0.6 + 0.5 * random() + 1.5 * incident + 0.8 * mondayMorning) * 100) / 100,
      });
      series.error_rate.push({
        at: iso,
        value: Math.round((0.25 + 0.2 * random() + 1.2 * incident) * 100) / 100,
      });
      series.booking_journey_time.push({ at: iso, value: Math.round(70 + 25 * random() + 40 * incident) });
    }
    for (const [key, points] of Object.entries(series)) await this.kpis.addPoints(key, points);
    const answers = [];
    for (let i = 0; i < 6 * 45; i++) {
      const at = new Date(now.getTime() - random() * hours * 3_600_000);
      const incident =
        now.getTime() - at.getTime() > 14 * 86_400_000 && now.getTime() - at.getTime() < 17 * 86_400_000;
      const nps = Math.min(
        10,
        Math.max(0, Math.round(7.4 + 2.6 * (random() - 0.5) * 2 - (incident ? 3 : 0))),
      );
      answers.push({
        answerId: `demo-nps-${i}`,
        kind: SurveyKind.Nps,
        score: nps,
        answeredAt: at.toISOString(),
      });
      if (i % 2 === 0) {
        const csat = Math.min(
          5,
          Math.max(1, Math.round(3.9 + 1.4 * (random() - 0.5) * 2 - (incident ? 1.5 : 0))),
        );
        answers.push({
          answerId: `demo-csat-${i}`,
          kind: SurveyKind.Csat,
          score: csat,
          answeredAt: at.toISOString(),
        });
      }
    }
    await this.kpis.answer(answers);
  }

  /** The booking journey of the demo shop, by its API and in a browser, every five minutes. */
  private async createDemoMonitors(shop: string): Promise<void> {
    await this.monitors.save({
      name: 'Paris → Lille booking (API)',
      kind: MonitorKind.Http,
      categories: ['payment', 'search_booking'],
      slowMs: 2_000,
      steps: [
        {
          name: 'search',
          method: 'POST',
          url: `${shop}/api/search`,
          body: { from: 'Paris', to: 'Lille' },
          expect: { bodyContains: 'TGV' },
        },
        {
          name: 'book',
          method: 'POST',
          url: `${shop}/api/book`,
          body: { train: 'TGV-7001' },
          capture: { token: 'bookingToken' },
        },
        {
          name: 'pay',
          method: 'POST',
          url: `${shop}/api/pay`,
          body: { bookingToken: '{{token}}', train: 'TGV-7001' },
          capture: { ticket: 'ticketId' },
        },
        { name: 'e-ticket', method: 'GET', url: `${shop}/api/ticket/{{ticket}}` },
      ],
    });
    await this.monitors.save({
      name: 'Paris → Lille booking (browser)',
      kind: MonitorKind.Browser,
      categories: ['eticket_delivery'],
      kpiKey: 'booking_journey_time',
      timeoutMs: 60_000,
      steps: [
        { name: 'home', action: 'goto', url: `${shop}/` },
        { name: 'from', action: 'fill', selector: '#from', value: 'Paris' },
        { name: 'to', action: 'fill', selector: '#to', value: 'Lille' },
        { name: 'search', action: 'click', selector: '#search' },
        { name: 'pick a train', action: 'click', selector: 'a.train' },
        { name: 'passenger', action: 'fill', selector: '#passenger', value: 'Demo' },
        { name: 'card', action: 'fill', selector: '#card', value: 'demo' },
        { name: 'pay', action: 'click', selector: '#pay' },
        { name: 'e-ticket', action: 'assertText', selector: '#ticket', text: 'E-billet' },
      ],
    });
  }

  private async loadDemo(): Promise<number> {
    const file = findShippedFile(DEMO_FILE);
    if (!file) {
      this.logger.warn(`demo data not found (${DEMO_FILE}); starting empty`);
      return 0;
    }
    const batch: VerbatimInput[] = [];
    let stored = 0;
    for await (const row of readImportRows(file, 'jsonl')) {
      const check = checkVerbatim(row.value, this.clock.now());
      if (check.ok) batch.push(check.value);
      else this.logger.warn(`demo line ${row.line} skipped: ${row.error ?? (check.ok ? '' : check.reason)}`);
    }
    // The demo was written over six weeks of late 2026; moved forward by whole weeks so that its
    // newest day is this week (weekdays and hours kept: "le site rame le lundi matin" stays a
    // Monday), the current board of a newcomer shows it whatever the date.
    const newest = Math.max(...batch.map((item) => Date.parse(item.receivedAt)));
    const weeks = Math.max(0, Math.floor((this.clock.nowMs() - newest) / WEEK_MS));
    for (const item of batch)
      item.receivedAt = new Date(Date.parse(item.receivedAt) + weeks * WEEK_MS).toISOString();
    for (let i = 0; i < batch.length; i += 500) {
      const refs = await this.ingest.storeAndHandOn(batch.slice(i, i + 500), SourceKind.Import);
      stored += refs.filter((ref) => ref.created).length;
    }
    return stored;
  }
}
