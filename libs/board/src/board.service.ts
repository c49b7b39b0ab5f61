import {
  BadRequestException,
  ConflictException,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
} from '@nestjs/common';
import { DateTime } from 'luxon';
import { APP_CONFIG, AppConfig, Clock } from '@app/config';
import {
  AuditRepository,
  AxisView,
  Board,
  BoardItem,
  BoardRepository,
  BoardStatus,
  IrritantRepository,
  NewBoardItem,
  TicketRepository,
  TaxonomyRepository,
} from '@app/database';
import { DEFAULT_TAXONOMY, quoteOf } from '@app/nlp';
import {
  AXES,
  Axis,
  ISO_WEEK_RULE,
  IsoWeek,
  ScoringProfile,
  freezeTime,
  isIsoWeek,
  isoWeekOf,
  nextWeek,
  previousWeek,
  scoreIrritant,
  totalOf,
  weekBounds,
} from '@app/scoring';
import { KpiService } from '@app/monitoring';
import { WebhookEvent, WebhookService } from '@app/webhooks';
import { DecisionsInForce } from './in-force';
import { MonitorSignals } from './monitor-signals';
import { BoardWithItems, ReadCache } from './read-cache';
import { SCORING_PROFILE } from './scoring-profile.provider';

/** Texts per irritant and week the words rules read (the most recent): enough to count on. */
const MAX_TEXTS = 2_000;
const QUOTES_PER_ITEM = 3;

export interface BoardFilter {
  category?: string;
  axis?: Axis;
  above?: number;
  channel?: string;
  terminal?: string;
  limit: number;
}

/** Which board the Monday meeting opens, and why. */
export interface MeetingWeek {
  /** The board to open. */
  isoWeek: IsoWeek;
  currentWeek: IsoWeek;
  lastWeek: IsoWeek;
  /**
   * Why last week's board rather than the current one: it is Monday (the meeting's day, until
   * the freeze if that is later), or the current week has no verbatim yet; null: the current one.
   */
  reason: 'monday' | 'current_empty' | null;
  /** When last week's board freezes (or froze). */
  lastWeekFreezesAt: Date;
}

function matches(item: NewBoardItem, filter: BoardFilter): boolean {
  if (filter.category && item.category !== filter.category) return false;
  if (filter.axis && filter.above !== undefined && item.axes[filter.axis].score < filter.above) return false;
  if (filter.channel && !item.channels.includes(filter.channel)) return false;
  if (filter.terminal && !item.terminals.includes(filter.terminal)) return false;
  return true;
}

const movementOf = (change: number | null) =>
  change === null ? 'new' : change > 0 ? 'up' : change < 0 ? 'down' : 'unchanged';

/**
 * The weekly prioritisation board: every irritant with verbatims in the week, scored on the four
 * axes (with people's overrides), ranked, with its movement since last week and the decision in
 * force on it. The current week's board is live (recomputed by `board.refresh` and by every
 * triage action); on the Monday after its week, at the configured time, it is frozen into a
 * snapshot that never changes again. Both run under the board row's lock, so that several
 * workers freeze a week once. Reads never write: a week never stored is built for the read.
 */
@Injectable()
export class BoardService {
  private readonly logger = new Logger(BoardService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    @Inject(SCORING_PROFILE) private readonly profile: ScoringProfile,
    private readonly boards: BoardRepository,
    private readonly irritants: IrritantRepository,
    private readonly tickets: TicketRepository,
    private readonly audit: AuditRepository,
    private readonly webhooks: WebhookService,
    private readonly signals: MonitorSignals,
    private readonly cache: ReadCache,
    private readonly inForce: DecisionsInForce,
    private readonly kpiService: KpiService,
    private readonly taxonomy: TaxonomyRepository,
  ) {}

  currentWeek(now = this.clock.now()): IsoWeek {
    return isoWeekOf(now, this.config.timeZone);
  }

  /** Refuses what is not an ISO week of 2000-2099 (400), before anything is read. */
  checkWeek(week: string): asserts week is IsoWeek {
    if (!isIsoWeek(week)) throw new BadRequestException(`not ${ISO_WEEK_RULE}: ${week}`);
  }

  /**
   * The board the Monday meeting opens: last week's on Monday (until the freeze, if that is later
   * in the day) and whenever the current week has no verbatim yet; else the current week's.
   */
  async meeting(now = this.clock.now()): Promise<MeetingWeek> {
    const zone = this.config.timeZone;
    const currentWeek = this.currentWeek(now);
    const lastWeek = previousWeek(currentWeek, zone);
    const lastWeekFreezesAt = freezeTime(lastWeek, zone, this.config.boardFreezeAt);
    const { start, end } = weekBounds(currentWeek, zone);
    const mondayEnds = DateTime.fromJSDate(start, { zone }).plus({ days: 1 }).toJSDate();
    const monday = now < mondayEnds || now < lastWeekFreezesAt;
    const empty = !monday && !(await this.boards.hasVerbatims(start, end));
    return {
      isoWeek: monday || empty ? lastWeek : currentWeek,
      currentWeek,
      lastWeek,
      reason: monday ? 'monday' : empty ? 'current_empty' : null,
      lastWeekFreezesAt,
    };
  }

  /**
   * A week's board as it stands: stored (live or frozen), or built for this read when the week
   * was never stored (nothing is written: a read only reads). Movement against the previous
   * week's board and the decisions in force are worked out at each read.
   */
  async get(week: string, filter: BoardFilter, now = this.clock.now()): Promise<BoardWithItems> {
    this.checkWeek(week);
    // A read says how things stand now (ages, overdue flags, whether the next week has begun):
    // it is kept within the minute it was made, on the product's clock.
    const key = JSON.stringify([week, filter, Math.floor(now.getTime() / 60_000)]);
    const cached = this.cache.boards.get(key);
    if (cached) return cached;
    const zone = this.config.timeZone;
    const { start, end } = weekBounds(week, zone);
    if (start > now) throw new NotFoundException(`week ${week} has not begun`);
    const stored = await this.boards.findBoard(week);
    let board: Board;
    let items: (BoardItem | NewBoardItem)[];
    if (stored) {
      board = stored;
      items = await this.boards.items(week, filter);
    } else {
      board = {
        isoWeek: week,
        status: BoardStatus.Live,
        computedAt: now,
        frozenAt: null,
        profile: this.profile.name,
      };
      items = (await this.built(week)).filter((item) => matches(item, filter)).slice(0, filter.limit);
    }
    const ranks = await this.previousRanks(week);
    const shown = items.map((item) => {
      const last = ranks.get(item.irritantId);
      const rankChange = last === undefined ? null : last - item.rank;
      const shown: BoardItem = { id: '', ...item, movement: movementOf(rankChange), rankChange };
      return shown;
    });
    const before = previousWeek(week, zone);
    const after = nextWeek(week, zone);
    const read: BoardWithItems = {
      board,
      items: shown,
      decisions: await this.inForce.forWeek(
        week,
        shown.map((item) => item.irritantId),
        now,
      ),
      previousWeek: isIsoWeek(before) ? before : null,
      nextWeek: isIsoWeek(after) && end <= now ? after : null,
    };
    this.cache.boards.set(key, read);
    return read;
  }

  /**
   * The weeks that have a stored board, with the current and the last week whether stored or
   * not (the week picker), newest first.
   */
  async weeks(
    limit: number,
    now = this.clock.now(),
  ): Promise<Pick<Board, 'isoWeek' | 'status' | 'computedAt' | 'frozenAt'>[]> {
    const stored = await this.boards.weeks(limit);
    const current = this.currentWeek(now);
    const listed: Pick<Board, 'isoWeek' | 'status' | 'computedAt' | 'frozenAt'>[] = [...stored];
    for (const week of [current, previousWeek(current, this.config.timeZone)]) {
      if (!listed.some((board) => board.isoWeek === week))
        listed.push({ isoWeek: week, status: BoardStatus.Live, computedAt: now, frozenAt: null });
    }
    return listed
      .filter((board) => board.isoWeek <= current)
      .sort((a, b) => (a.isoWeek < b.isoWeek ? 1 : -1))
      .slice(0, limit);
  }

  /** One irritant's item on a week's board (read as the board is), with its decision in force. */
  async item(week: string, irritantId: string, now = this.clock.now()) {
    this.checkWeek(week);
    const stored = await this.boards.findBoard(week);
    if (!stored) {
      // Never stored: the week is built for the read, as a board read would.
      const read = await this.get(week, { limit: 100_000 }, now);
      const item = read.items.find((one) => one.irritantId === irritantId);
      if (!item) throw new NotFoundException(`irritant ${irritantId} is not on the board of ${week}`);
      return {
        board: read.board,
        item,
        decision: read.decisions.get(irritantId) ?? null,
        pinnedVerbatimId: await this.boards.pinnedQuoteId(week, irritantId),
      };
    }
    // Stored: that one item, not the whole board (thousands of items on a big installation).
    const found = await this.boards.item(week, irritantId);
    if (!found) throw new NotFoundException(`irritant ${irritantId} is not on the board of ${week}`);
    const last = (await this.previousRanks(week)).get(irritantId);
    const rankChange = last === undefined ? null : last - found.rank;
    const decisions = await this.inForce.forWeek(week, [irritantId], now);
    return {
      board: stored,
      item: { ...found, movement: movementOf(rankChange), rankChange },
      decision: decisions.get(irritantId) ?? null,
      pinnedVerbatimId: await this.boards.pinnedQuoteId(week, irritantId),
    };
  }

  /** The week's board stored (computed now if it never was): what a decision is taken on. */
  async ensure(week: string): Promise<void> {
    this.checkWeek(week);
    if (await this.boards.findBoard(week)) return;
    if (weekBounds(week, this.config.timeZone).start > this.clock.now())
      throw new NotFoundException(`week ${week} has not begun`);
    await this.compute(week);
  }

  /**
   * Recomputes a live board from the verbatims, scores and overrides as they are now, and moves
   * the priority of open tickets to it.
   * @returns false when the board is frozen (it is left as it was).
   */
  async compute(week: IsoWeek): Promise<boolean> {
    if ((await this.boards.findBoard(week))?.status === BoardStatus.Frozen) return false;
    // Built before the board's lock is taken (reads only): in embedded mode the one database
    // connection must not be held by the lock while the build reads.
    const items = await this.build(week, true);
    const at = this.clock.now();
    const computed = await this.boards.transaction(async (tx) => {
      const board = await this.boards.lockBoard(week, this.profile.name, at, tx);
      if (board.status === BoardStatus.Frozen) return false;
      await this.boards.replaceItems(week, items, BoardStatus.Live, this.profile.name, at, tx);
      await this.tickets.followBoard(week, tx);
      return true;
    });
    this.cache.clear();
    return computed;
  }

  /**
   * Freezes a week's board: computed one last time and kept as it is from then on.
   * @param actor who froze it: `system` at the Monday time, a person who froze it early.
   * @returns whether this call froze it (false: it was frozen already, by this process or another).
   */
  async freeze(week: IsoWeek, actor = 'system'): Promise<boolean> {
    if ((await this.boards.findBoard(week))?.status === BoardStatus.Frozen) return false;
    const items = await this.build(week, true);
    const at = this.clock.now();
    const deliveries = await this.boards.transaction(async (tx) => {
      const board = await this.boards.lockBoard(week, this.profile.name, at, tx);
      if (board.status === BoardStatus.Frozen) return null;
      await this.boards.replaceItems(week, items, BoardStatus.Frozen, this.profile.name, at, tx);
      await this.tickets.followBoard(week, tx);
      await this.audit.record(
        {
          actor,
          action: 'board.frozen',
          subjectType: 'board',
          subjectId: week,
          after: {
            items: items.length,
            top: items.slice(0, 5).map((item) => item.label),
            at: at.toISOString(),
            ...(actor === 'system' ? {} : { early: true }),
          },
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
    this.cache.clear();
    if (deliveries === null) return false;
    await this.webhooks.dispatch(deliveries);
    return true;
  }

  /**
   * An admin freezes a week that has ended without waiting for Monday's time (the meeting starts
   * early, or rehearses on a past week): audited under their name.
   */
  async freezeNow(week: string, actor: string): Promise<Board> {
    this.checkWeek(week);
    const current = this.currentWeek();
    if (week >= current)
      throw new ConflictException(
        `week ${week} has not ended: only a past week can be frozen (the current one is ${current})`,
      );
    const existing = await this.boards.findBoard(week);
    if (existing?.status === BoardStatus.Frozen)
      throw new ConflictException(
        `the board of ${week} is already frozen (${existing.frozenAt?.toISOString()})`,
      );
    await this.freeze(week, actor);
    return (await this.boards.findBoard(week)) as Board;
  }

  async refreshCurrent(): Promise<void> {
    await this.compute(this.currentWeek());
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
   * Recomputes every live board a triage action on these irritants changes (those that show them,
   * or hold their verbatims), and the current week's: merges, splits, moves, corrections and
   * overrides show at once, on past unfrozen weeks too.
   * @returns the weeks recomputed.
   */
  async refreshFor(irritantIds: string[]): Promise<IsoWeek[]> {
    const weeks = new Set(await this.boards.liveWeeksOf(irritantIds, this.config.timeZone));
    weeks.add(this.currentWeek());
    const done: IsoWeek[] = [];
    for (const week of [...weeks].sort()) if (await this.compute(week)) done.push(week);
    return done;
  }

  /**
   * A person's score for one axis of an irritant (null lifts it), audited, in force on live boards
   * from now on; every live board that shows the irritant is recomputed at once. Frozen boards
   * keep theirs.
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
    await this.boards.addOverride({ irritantId, axis, score, reason, actor, createdAt: this.clock.now() });
    await this.audit.record({
      actor,
      action: score === null ? 'irritant.axis.override.lift' : 'irritant.axis.override',
      subjectType: 'irritant',
      subjectId: irritantId,
      before: before ? { axis, score: before.score, reason: before.reason } : { axis, score: null },
      after: { axis, score, reason },
    });
    await this.refreshFor([irritantId]);
  }

  /** Irritant id -> rank on the previous week's board (stored, or built for the read). */
  private async previousRanks(week: IsoWeek): Promise<Map<string, number>> {
    const before = previousWeek(week, this.config.timeZone);
    if (!isIsoWeek(before)) return new Map();
    if (await this.boards.findBoard(before)) return this.boards.ranks(before);
    return new Map((await this.built(before)).map((item) => [item.irritantId, item.rank]));
  }

  /** A week never stored, built for reads (and kept as long as they are). */
  private async built(week: IsoWeek): Promise<NewBoardItem[]> {
    const cached = this.cache.built.get(week);
    if (cached) return cached;
    const items = await this.build(week, false);
    this.cache.built.set(week, items);
    return items;
  }

  /**
   * Scores and ranks the irritants of a week.
   * @param store whether the board is being stored: only then are link proposals recorded.
   */
  private async build(week: IsoWeek, store: boolean): Promise<NewBoardItem[]> {
    const zone = this.config.timeZone;
    const { start, end } = weekBounds(week, zone);
    const before = previousWeek(week, zone);
    const previous = weekBounds(before, zone);
    // One after the other: the queries share the transaction's connection.
    const rows = await this.boards.weekFacts(start, end, MAX_TEXTS);
    const lastWeek = await this.boards.customers(previous.start, previous.end);
    const links = await this.signals.links(week, rows);
    if (store) await this.signals.proposeLinks(week, rows, links);
    const overrides = await this.boards.overridesInForce(rows.map((row) => row.irritantId));
    // Over the survey window ending with the week (or now, for the current week).
    const impacts = await this.kpiService.surveyImpacts(
      rows.map((row) => row.irritantId),
      new Date(Math.min(end.getTime(), this.clock.nowMs())),
    );
    const labels = new Map(DEFAULT_TAXONOMY.categories.map((category) => [category.key, category.label]));
    for (const added of await this.taxonomy.categories())
      labels.set(added.key, { fr: added.labelFr, en: added.labelEn });
    const scored = rows.map((row) => {
      const impact = impacts.get(row.irritantId);
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
            name: monitor.monitor.name,
            failing: monitor.failedRuns > 0,
            recovered: monitor.status === 'recovered',
            slow: monitor.status === 'slow',
          })),
          kpis: (links.kpis.get(row.irritantId) ?? []).map((kpi) => ({
            name: kpi.name,
            offTarget: kpi.onTarget === false,
          })),
          ...(impact ? { surveyImpact: { nps: impact.nps, csat: impact.csat } } : {}),
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
    // Movement is worked out again at each read; stored here for the snapshot's sake.
    const lastRanks = (await this.boards.findBoard(before)) ? await this.boards.ranks(before) : new Map();
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
        movement: movementOf(change),
        rankChange: change,
        verbatimCount: row.verbatims,
        distinctCustomers: row.customers,
        channels: row.channels,
        terminals: row.terminals,
        // Shown to people who do not handle the case: without the customer's name or signature.
        quotes: (quotes.get(row.irritantId) ?? [])
          .map((quote) => ({ ...quote, text: quoteOf(quote.text) }))
          .filter((quote) => quote.text !== ''),
        monitors: links.monitors.get(row.irritantId)?.map((monitor) => monitor.view) ?? [],
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
