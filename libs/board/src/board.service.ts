import { BadRequestException, Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { APP_CONFIG, AppConfig, Clock } from '@app/config';
import {
  AuditRepository,
  AxisView,
  Board,
  BoardItem,
  BoardRepository,
  BoardStatus,
  IrritantRepository,
  IrritantWeekRow,
  MonitorRepository,
  NewBoardItem,
  TaxonomyRepository,
} from '@app/database';
import { KpiService, KpiSummary } from '@app/monitoring';
import { JobHandler, JobName } from '@app/jobs';
import { DEFAULT_TAXONOMY } from '@app/nlp';
import {
  AXES,
  Axis,
  IsoWeek,
  ScoringProfile,
  freezeTime,
  isIsoWeek,
  isoWeekOf,
  previousWeek,
  scoreIrritant,
  totalOf,
  weekBounds,
} from '@app/scoring';
import { WebhookEvent, WebhookService } from '@app/webhooks';
import { SCORING_PROFILE } from './scoring-profile.provider';

type WeekSignals = Awaited<ReturnType<BoardService['weekSignals']>>;

/** Texts per irritant and week the words rules read (the most recent): enough to count on. */
const MAX_TEXTS = 2_000;
const QUOTES_PER_ITEM = 3;
/**
 * Board and ticket reads are kept this long: the Monday meeting's screens and developers' tools
 * ask the same question over and over, and a board only changes when it is recomputed. Writes in
 * this process clear it at once; another process's writes show within this delay.
 */
export const READ_CACHE_MS = 2_000;

export interface BoardFilter {
  category?: string;
  axis?: Axis;
  above?: number;
  channel?: string;
  terminal?: string;
  limit: number;
}

export interface BoardWithItems {
  board: Board;
  items: BoardItem[];
  /** The answer as sent, made once per cached read and language (see READ_CACHE_MS). */
  json?: Partial<Record<string, string>>;
}

/**
 * The weekly prioritisation board: every irritant with verbatims in the week, scored on the four
 * axes (with people's overrides), ranked, with its movement since last week. The current week's
 * board is live (recomputed by `board.refresh`); on the Monday after its week, at the configured
 * time, it is frozen into a snapshot that never changes again. Both run under the board row's
 * lock, so that several workers freeze a week once.
 */
@Injectable()
export class BoardService {
  private readonly logger = new Logger(BoardService.name);
  private readonly reads = new LRUCache<string, BoardWithItems>({ max: 500, ttl: READ_CACHE_MS });

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    @Inject(SCORING_PROFILE) private readonly profile: ScoringProfile,
    private readonly boards: BoardRepository,
    private readonly irritants: IrritantRepository,
    private readonly audit: AuditRepository,
    private readonly webhooks: WebhookService,
    private readonly monitorRows: MonitorRepository,
    private readonly kpiService: KpiService,
    private readonly taxonomy: TaxonomyRepository,
  ) {}

  currentWeek(now = this.clock.now()): IsoWeek {
    return isoWeekOf(now, this.config.timeZone);
  }

  /** A week's board, computed first if it was never computed (a week that has begun only). */
  async get(week: string, filter: BoardFilter, now = this.clock.now()): Promise<BoardWithItems> {
    if (!isIsoWeek(week)) throw new BadRequestException(`not an ISO week (like 2026-W48): ${week}`);
    const key = JSON.stringify([week, filter]);
    const cached = this.reads.get(key);
    if (cached) return cached;
    let board = await this.boards.findBoard(week);
    if (!board) {
      if (weekBounds(week, this.config.timeZone).start > now) {
        throw new NotFoundException(`week ${week} has not begun`);
      }
      await this.compute(week);
      board = await this.boards.findBoard(week);
      if (!board) throw new NotFoundException(`week ${week} has no board`);
    }
    const read = { board, items: await this.boards.items(week, filter) };
    this.reads.set(key, read);
    return read;
  }

  /** The weeks that have a board, newest first (the current week's is computed if it was not). */
  async weeks(limit: number): Promise<Board[]> {
    if (!(await this.boards.findBoard(this.currentWeek()))) await this.compute(this.currentWeek());
    return this.boards.weeks(limit);
  }

  /** One irritant's item on a week's board (the board computed first if it never was). */
  async item(
    week: string,
    irritantId: string,
  ): Promise<{ board: Board; item: BoardItem; pinnedVerbatimId: string | null }> {
    const { board } = await this.get(week, { limit: 1 });
    const item = await this.boards.item(week, irritantId);
    if (!item) throw new NotFoundException(`irritant ${irritantId} is not on the board of ${week}`);
    return { board, item, pinnedVerbatimId: await this.boards.pinnedQuoteId(week, irritantId) };
  }

  /**
   * Recomputes a live board from the verbatims, scores and overrides as they are now.
   * @returns false when the board is frozen (it is left as it was).
   */
  async compute(week: IsoWeek): Promise<boolean> {
    if ((await this.boards.findBoard(week))?.status === BoardStatus.Frozen) return false;
    // Built before the board's lock is taken (reads only): in embedded mode the one database
    // connection must not be held by the lock while the build reads.
    const items = await this.build(week);
    const computed = await this.boards.transaction(async (tx) => {
      const board = await this.boards.lockBoard(week, this.profile.name, tx);
      if (board.status === BoardStatus.Frozen) return false;
      await this.boards.replaceItems(week, items, BoardStatus.Live, this.profile.name, tx);
      return true;
    });
    this.reads.clear();
    return computed;
  }

  /**
   * Freezes a week's board: computed one last time and kept as it is from then on.
   * @returns whether this call froze it (false: it was frozen already, by this process or another).
   */
  async freeze(week: IsoWeek): Promise<boolean> {
    if ((await this.boards.findBoard(week))?.status === BoardStatus.Frozen) return false;
    const items = await this.build(week);
    const deliveries = await this.boards.transaction(async (tx) => {
      const board = await this.boards.lockBoard(week, this.profile.name, tx);
      if (board.status === BoardStatus.Frozen) return null;
      await this.boards.replaceItems(week, items, BoardStatus.Frozen, this.profile.name, tx);
      await this.audit.record(
        {
          actor: 'system',
          action: 'board.frozen',
          subjectType: 'board',
          subjectId: week,
          after: { items: items.length, top: items.slice(0, 5).map((item) => item.label) },
        },
        tx,
      );
      this.logger.log({ week, items: items.length }, 'board frozen');
      return this.webhooks.record(
        WebhookEvent.BoardFrozen,
        week,
        {
          isoWeek: week,
          items: items.length,
          top: items.slice(0, 10).map(({ rank, irritantId, label, category, total }) => ({
            rank,
            irritantId,
            label,
            category,
            total,
          })),
        },
        tx,
      );
    });
    this.reads.clear();
    if (deliveries === null) return false;
    await this.webhooks.dispatch(deliveries);
    return true;
  }

  @JobHandler(JobName.RefreshBoard)
  async refreshCurrent(): Promise<void> {
    await this.compute(this.currentWeek());
  }

  @JobHandler(JobName.FreezeBoards)
  async freezeDueNow(): Promise<void> {
    await this.freezeDue(this.clock.now());
  }

  /**
   * Freezes every board whose freeze time has passed: the previous week's on Monday morning, and
   * any older one left live (the installation was down on its Monday).
   * @param now the clock (tests freeze it).
   * @returns the weeks this call froze.
   */
  async freezeDue(now: Date): Promise<IsoWeek[]> {
    const { timeZone, boardFreezeAt } = this.config;
    const current = this.currentWeek(now);
    const candidates = new Set([...(await this.boards.liveWeeks()), previousWeek(current, timeZone)]);
    const frozen: IsoWeek[] = [];
    for (const week of [...candidates].sort()) {
      if (week >= current || freezeTime(week, timeZone, boardFreezeAt) > now) continue;
      if (await this.freeze(week)) frozen.push(week);
    }
    return frozen;
  }

  /**
   * A person's score for one axis of an irritant (null lifts it), audited, in force on live boards
   * from now on; the current week's board is recomputed at once. Frozen boards keep theirs.
   */
  async overrideAxis(
    irritantId: string,
    axis: Axis,
    score: number | null,
    reason: string,
    actor: string,
  ): Promise<void> {
    if (!(await this.irritants.findById(irritantId)))
      throw new NotFoundException(`irritant ${irritantId} does not exist`);
    const [before] = (await this.boards.overridesInForce([irritantId])).filter((o) => o.axis === axis);
    await this.boards.addOverride({ irritantId, axis, score, reason, actor });
    await this.audit.record({
      actor,
      action: score === null ? 'irritant.axis.override.lift' : 'irritant.axis.override',
      subjectType: 'irritant',
      subjectId: irritantId,
      before: before ? { axis, score: before.score, reason: before.reason } : { axis, score: null },
      after: { axis, score, reason },
    });
    await this.compute(this.currentWeek());
  }

  /**
   * The monitors (linked by hand or by the rule of the category) and KPIs (by hand) of each
   * irritant, with how they did that week: a monitor with a failed run is failing, with a slow one
   * slow; a KPI off its target. They feed the technical axis, and show on the board.
   */
  /**
   * How every monitor ran and every KPI stood in the week, read once per build: the links of the
   * board's items and the correlation proposals both draw on them.
   */
  private async weekSignals(week: IsoWeek, start: Date, end: Date) {
    const monitors = await this.monitorRows.list();
    const runs = await this.monitorRows.weekRuns(
      monitors.map((monitor) => monitor.id),
      start,
      end,
    );
    let summaries: Promise<KpiSummary[]> | null = null;
    return { monitors, runs, summaries: () => (summaries ??= this.kpiService.summaries(week, end)) };
  }

  private async linksOf(rows: IrritantWeekRow[], signals: WeekSignals) {
    const linked = await this.monitorRows.linkedMonitors(
      rows.map((row) => ({ id: row.irritantId, category: row.category })),
      signals.monitors,
    );
    const runs = signals.runs;
    const monitors = new Map<string, { id: string; name: string; status: string }[]>();
    for (const [irritantId, list] of linked) {
      monitors.set(
        irritantId,
        list.map((monitor) => {
          const week = runs.get(monitor.id);
          const status = !week ? 'no runs' : week.failed > 0 ? 'failing' : week.slow > 0 ? 'slow' : 'ok';
          return { id: monitor.id, name: monitor.name, status };
        }),
      );
    }
    const kpiKeys = await this.monitorRows.linkedKpis(rows.map((row) => row.irritantId));
    const kpis = new Map<
      string,
      { key: string; name: string; value: number | null; target: number | null; onTarget: boolean | null }[]
    >();
    if (kpiKeys.size > 0) {
      const summaries = await signals.summaries();
      for (const [irritantId, keys] of kpiKeys) {
        kpis.set(
          irritantId,
          summaries
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
    return { monitors, kpis };
  }

  /**
   * Correlation: an irritant whose customers jumped this week (at least 5, and at least twice last
   * week's) while a monitor it is not linked to failed, or a KPI it is not linked to left its
   * target, in the same week. The link is proposed with the evidence, for a person to accept.
   */
  private async proposeLinks(
    rows: IrritantWeekRow[],
    lastWeek: ReadonlyMap<string, number>,
    links: Awaited<ReturnType<BoardService['linksOf']>>,
    signals: WeekSignals,
    week: IsoWeek,
    before: IsoWeek,
  ): Promise<void> {
    const jumped = rows.filter(
      (row) => row.customers >= 5 && row.customers >= 2 * (lastWeek.get(row.irritantId) ?? 0),
    );
    if (jumped.length === 0) return;
    const { monitors, runs } = signals;
    const failing = monitors.filter((monitor) => (runs.get(monitor.id)?.failed ?? 0) > 0);
    const offTarget = (await signals.summaries()).filter((summary) => summary.onTarget === false);
    const proposals = jumped.flatMap((row) => {
      const volume = {
        customers: row.customers,
        previousCustomers: lastWeek.get(row.irritantId) ?? 0,
        previousWeek: before,
      };
      const linkedMonitors = new Set((links.monitors.get(row.irritantId) ?? []).map((monitor) => monitor.id));
      const linkedKpis = new Set((links.kpis.get(row.irritantId) ?? []).map((kpi) => kpi.key));
      return [
        ...failing
          .filter((monitor) => !linkedMonitors.has(monitor.id))
          .map((monitor) => {
            const run = runs.get(monitor.id);
            return {
              irritantId: row.irritantId,
              isoWeek: week,
              monitorId: monitor.id,
              kpiKey: null,
              evidence: {
                ...volume,
                monitor: monitor.name,
                failedRuns: run?.failed ?? 0,
                runs: run?.runs ?? 0,
                firstFailedAt: run?.firstFailedAt?.toISOString() ?? null,
              },
            };
          }),
        ...offTarget
          .filter((summary) => !linkedKpis.has(summary.kpi.key))
          .map((summary) => ({
            irritantId: row.irritantId,
            isoWeek: week,
            monitorId: null,
            kpiKey: summary.kpi.key,
            evidence: {
              ...volume,
              kpi: summary.kpi.name,
              value: summary.week.value,
              target: summary.kpi.target,
            },
          })),
      ];
    });
    await this.monitorRows.propose(proposals);
  }

  private async build(week: IsoWeek): Promise<NewBoardItem[]> {
    const zone = this.config.timeZone;
    const { start, end } = weekBounds(week, zone);
    const before = previousWeek(week, zone);
    const previous = weekBounds(before, zone);
    // One after the other: the queries share the transaction's connection.
    const rows = await this.boards.weekFacts(start, end, MAX_TEXTS);
    const lastWeek = await this.boards.customers(previous.start, previous.end);
    const lastRanks = await this.boards.ranks(before);
    const signals = await this.weekSignals(week, start, end);
    const links = await this.linksOf(rows, signals);
    await this.proposeLinks(rows, lastWeek, links, signals, week, before);
    const overrides = await this.boards.overridesInForce(rows.map((row) => row.irritantId));
    const labels = new Map(DEFAULT_TAXONOMY.categories.map((category) => [category.key, category.label]));
    for (const added of await this.taxonomy.categories())
      labels.set(added.key, { fr: added.labelFr, en: added.labelEn });
    const scored = rows.map((row) => {
      const computed = scoreIrritant(
        {
          category: row.category,
          categoryLabel: labels.get(row.category),
          verbatims: row.verbatims,
          customers: row.customers,
          previousCustomers: lastWeek.get(row.irritantId) ?? 0,
          previousWeek: before,
          channels: row.channels,
          terminals: row.terminals,
          sentiments: row.sentiments,
          texts: row.texts,
          detractors: row.detractors,
          monitors: (links.monitors.get(row.irritantId) ?? []).map((monitor) => ({
            name: monitor.name,
            failing: monitor.status === 'failing',
            slow: monitor.status === 'slow',
          })),
          kpis: (links.kpis.get(row.irritantId) ?? []).map((kpi) => ({
            name: kpi.name,
            offTarget: kpi.onTarget === false,
          })),
        },
        this.profile,
      );
      const axes = {} as Record<Axis, AxisView>;
      for (const axis of AXES) {
        const override = overrides.find((o) => o.irritantId === row.irritantId && o.axis === axis);
        const { score, reasons } = computed.axes[axis];
        const stored: AxisView = { score, reasons: reasons.map((one) => one.text), details: reasons };
        axes[axis] = override
          ? {
              ...stored,
              score: override.score as number,
              override: {
                score: override.score as number,
                computed: computed.axes[axis].score,
                reason: override.reason,
                by: override.actor,
                at: override.createdAt.toISOString(),
              },
            }
          : stored;
      }
      return { row, axes, total: totalOf(axes, this.profile) };
    });
    scored.sort(
      (a, b) =>
        b.total - a.total ||
        b.row.customers - a.row.customers ||
        (a.row.irritantId < b.row.irritantId ? -1 : 1),
    );
    const quotes = await this.boards.quotes(
      scored.map((item) => item.row.irritantId),
      start,
      end,
      QUOTES_PER_ITEM,
    );
    return scored.map(({ row, axes, total }, index) => {
      const rank = index + 1;
      const last = lastRanks.get(row.irritantId);
      const change = last === undefined ? null : last - rank;
      return {
        isoWeek: week,
        irritantId: row.irritantId,
        rank,
        category: row.category,
        label: row.label,
        axes,
        total,
        movement: change === null ? 'new' : change > 0 ? 'up' : change < 0 ? 'down' : 'unchanged',
        rankChange: change,
        verbatimCount: row.verbatims,
        distinctCustomers: row.customers,
        channels: row.channels,
        terminals: row.terminals,
        quotes: quotes.get(row.irritantId) ?? [],
        monitors: (links.monitors.get(row.irritantId) ?? []).map(({ id, name, status }) => ({
          id,
          name,
          status,
        })),
        kpis: (links.kpis.get(row.irritantId) ?? []).map(({ key, name, value, target }) => ({
          key,
          name,
          value,
          target,
        })),
      };
    });
  }
}
