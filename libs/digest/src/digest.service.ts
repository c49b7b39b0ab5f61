import { createHash } from 'node:crypto';
import { ConflictException, Inject, Injectable, Logger, ServiceUnavailableException } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import { BoardService, DecisionInForce, DecisionService } from '@app/board';
import { APP_CONFIG, AppConfig, Clock, PublicUrl } from '@app/config';
import {
  BoardStatus,
  DeadLetterRepository,
  DigestRepository,
  IrritantRepository,
  irritantTitle,
  MonitorRepository,
  OPEN_TICKET_STATUSES,
  RunStatus,
  TicketRepository,
  TrackerRepository,
} from '@app/database';
import { JobHandler, JobName } from '@app/jobs';
import { KpiService } from '@app/monitoring';
import { quoteOf } from '@app/nlp';
import { AXES, IsoWeek, freezeTime, isoWeekOf, previousWeek, reasonOf, weekBounds } from '@app/scoring';
import type { DigestData, DigestDecision, DigestItem, DigestLang } from './digest-data';
import { renderHtml, renderText } from './render';

/** The header the e-mail connector recognises: the digest never comes back as a verbatim. */
export const DIGEST_HEADER_NAME = 'X-LoveBoard-Digest';
const MAX_ATTEMPTS = 6;
/** A send left `sending` this long was cut short (its process died): it is taken again. */
const STALE_SENDING_MS = 15 * 60_000;
/** Backoff between SMTP attempts: 1, 2, 4, 8, 16 minutes. */
export const digestRetryAfter = (attempts: number) => 60_000 * 2 ** Math.max(0, attempts - 1);
/** The whole board is read for the decisions; the digest shows its top. */
const WHOLE_BOARD = 500;
const DAY_MS = 86_400_000;
/** Reasons said per item: one for each of its strongest axes. */
const REASONS_SHOWN = 3;

const words = (text: string) =>
  new Set(
    text
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter((w) => w.length > 2),
  );

const shorten = (text: string) => (text.length > 280 ? `${text.slice(0, 277)}…` : text);

/** The quote that shares most words with the irritant's label: its most representative. */
function representative(label: string, quotes: { text: string; channel: string }[]) {
  const wanted = words(label);
  let best: { text: string; channel: string } | null = null;
  let bestScore = -1;
  for (const quote of quotes) {
    const text = quoteOf(quote.text);
    if (text === '') continue;
    const score = [...words(text)].filter((w) => wanted.has(w)).length;
    if (score > bestScore) {
      best = { text, channel: quote.channel };
      bestScore = score;
    }
  }
  return best && { text: shorten(best.text), channel: best.channel, pinned: false };
}

const decisionOf = (week: IsoWeek, inForce: DecisionInForce): DigestDecision => ({
  kind: inForce.decision.kind,
  owner: inForce.decision.owner,
  department: inForce.decision.department,
  targetRelease: inForce.decision.targetRelease,
  decidedWeek: inForce.decision.isoWeek,
  carried: inForce.decision.isoWeek !== week,
  ticket: inForce.ticket && { status: inForce.ticket.status, release: inForce.ticket.release },
  ageDays: inForce.ageDays,
  targetDays: inForce.targetDays,
  overdue: inForce.overdue,
  answer: inForce.decision.answer,
});

/** A send that was not made, and why: the caller says so (the CLI prints it). */
export class DigestRefusedError extends ConflictException {}

export interface SendOptions {
  /** Send a week whose board is not frozen yet (it says "board still open"). */
  force?: boolean;
  /** Send again to recipients who had it (a new message, counted apart from the Monday send). */
  resend?: boolean;
  now?: Date;
}

/**
 * The Monday digest: composed from the week's frozen board, the decisions in force on it (carried
 * from earlier weeks), work past its target, failed journeys and headline KPIs; rendered as mail
 * HTML and plain text in French or English; sent over SMTP once per week and recipient (a unique
 * delivery row claimed before sending), with retries and backoff, then a dead letter. An unfrozen
 * week is sent only when forced; sending again is an explicit resend.
 */
@Injectable()
export class DigestService {
  private readonly logger = new Logger(DigestService.name);
  private transport: Transporter | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly publicUrl: PublicUrl,
    private readonly boards: BoardService,
    private readonly decisions: DecisionService,
    private readonly tickets: TicketRepository,
    private readonly irritants: IrritantRepository,
    private readonly deliveries: DigestRepository,
    private readonly deadLetters: DeadLetterRepository,
    private readonly kpis: KpiService,
    private readonly monitorRows: MonitorRepository,
    private readonly trackerLinks: TrackerRepository,
  ) {}

  async compose(week: IsoWeek): Promise<DigestData> {
    const now = this.clock.now();
    const zone = this.config.timeZone;
    const whole = await this.boards.get(week, { limit: WHOLE_BOARD });
    const { board } = whole;
    const top = whole.items.slice(0, this.config.digestTop);
    const pinned = await this.tickets.pinnedQuotes(week);
    const labels = new Map(whole.items.map((item) => [item.irritantId, item.label]));
    const { start, end } = weekBounds(week, zone);
    const [ttf] = await this.decisions.timeToFix(1, new Date(end.getTime() - 1));
    const impacts = await this.kpis.surveyImpacts(
      top.map((item) => item.irritantId),
      new Date(Math.min(end.getTime(), now.getTime())),
    );
    const issues = await this.trackerLinks.linksOfIrritants(top.map((item) => item.irritantId));
    const items: DigestItem[] = top.map((item) => {
      const inForce = whole.decisions.get(item.irritantId);
      const pin = pinned.get(item.irritantId);
      const pinText = pin ? quoteOf(pin.text) : '';
      const impact = impacts.get(item.irritantId);
      const issue = (issues.get(item.irritantId) ?? []).find((one) => one.key !== null && one.url !== null);
      return {
        rank: item.rank,
        irritantId: item.irritantId,
        label: item.label,
        category: item.category,
        total: item.total,
        axes: Object.fromEntries(AXES.map((axis) => [axis, item.axes[axis].score])) as DigestItem['axes'],
        movement: item.movement,
        rankChange: item.rankChange,
        customers: item.distinctCustomers,
        verbatims: item.verbatimCount,
        // The team's pick first; else the most representative of the week's quotes.
        quote:
          pin && pinText !== ''
            ? { text: shorten(pinText), channel: pin.channel, pinned: true }
            : representative(item.label, item.quotes),
        decision: inForce ? decisionOf(week, inForce) : null,
        reasons: [...AXES]
          .filter((axis) => item.axes[axis].score > 0)
          .sort((a, b) => item.axes[b].score - item.axes[a].score)
          .slice(0, REASONS_SHOWN)
          .flatMap((axis) => {
            const [first] = item.axes[axis].details ?? item.axes[axis].reasons;
            return first === undefined ? [] : [reasonOf(first)];
          }),
        tracker: issue ? { key: issue.key as string, url: issue.url as string } : null,
        surveyImpact: impact
          ? {
              nps: impact.nps && { points: impact.nps.points, ci95: impact.nps.ci95 },
              csat: impact.csat && { points: impact.csat.points, ci95: impact.csat.ci95 },
            }
          : null,
      };
    });
    const inForce = whole.items.flatMap((item) => {
      const one = whole.decisions.get(item.irritantId);
      return one ? [{ label: item.label, ...decisionOf(week, one) }] : [];
    });
    const unanswered = await this.decisions.unanswered(20);
    const missing = unanswered.map((d) => d.irritantId).filter((id) => !labels.has(id));
    for (const irritant of missing.length > 0 ? await this.irritants.findByIds(missing) : [])
      labels.set(irritant.id, irritantTitle(irritant));
    const openTickets = await this.tickets.list({ statuses: OPEN_TICKET_STATUSES, limit: 200 });
    const target = this.config.timeToFixTargetDays;
    const monitors = await this.monitorRows.list();
    const runs = await this.monitorRows.weekRuns(
      monitors.map((monitor) => monitor.id),
      start,
      end,
    );
    return {
      isoWeek: week,
      frozen: board.status === BoardStatus.Frozen,
      timeZone: zone,
      boardUrl: `${this.publicUrl.get()}/boards/${week}`,
      items,
      awaiting: top
        .filter((item) => !whole.decisions.has(item.irritantId))
        .map(({ rank, label }) => ({ rank, label })),
      decisions: inForce.filter((decision) => !decision.carried),
      ongoing: inForce.filter((decision) => decision.carried),
      unanswered: unanswered.map((d) => {
        const days = Math.floor((now.getTime() - d.createdAt.getTime()) / DAY_MS);
        return {
          label: labels.get(d.irritantId) ?? `${d.isoWeek} · ${d.irritantId.slice(0, 8)}`,
          department: d.department ?? '?',
          days,
          targetDays: this.config.routedAnswerTargetDays,
          overdue: days > this.config.routedAnswerTargetDays,
        };
      }),
      overdue: openTickets
        .map(({ ticket, item }) => ({
          label: item?.label ?? labels.get(ticket.irritantId) ?? ticket.irritantId.slice(0, 8),
          status: ticket.status,
          team: ticket.team,
          ageDays: Math.floor((now.getTime() - ticket.firstSeenAt.getTime()) / DAY_MS),
          targetDays: target,
        }))
        .filter((ticket) => ticket.ageDays > target)
        .sort((a, b) => b.ageDays - a.ageDays),
      timeToFix: {
        medianDays: ttf?.medianDays ?? null,
        targetDays: ttf?.targetDays ?? target,
        deployed: ttf?.deployed ?? 0,
      },
      monitors: monitors.flatMap((monitor) => {
        const week = runs.get(monitor.id);
        if (!week?.firstFailedAt) return [];
        const failing = week.lastStatus === RunStatus.Failed;
        return [
          {
            name: monitor.name,
            state: failing ? ('failing' as const) : ('recovered' as const),
            failed: week.failed,
            runs: week.runs,
            from: week.firstFailedAt.toISOString(),
            to: failing ? null : (week.recoveredAt?.toISOString() ?? null),
            steps: week.failedSteps,
          },
        ];
      }),
      kpis: (await this.kpis.summaries(week, end)).map((summary) => ({
        key: summary.kpi.key,
        name: summary.kpi.name,
        unit: summary.kpi.unit,
        value: summary.week.value,
        previous: summary.previous.value,
        target: summary.kpi.target,
        onTarget: summary.onTarget,
        n: summary.week.n,
        ci95: summary.week.ci95,
      })),
    };
  }

  async render(week: IsoWeek, lang: DigestLang): Promise<{ subject: string; html: string; text: string }> {
    const data = await this.compose(week);
    return { ...renderHtml(data, lang), text: renderText(data, lang) };
  }

  @JobHandler(JobName.SendDigests)
  async sendDueNow(): Promise<void> {
    await this.sendDue(this.clock.now());
  }

  /**
   * Sends last week's digest once Monday's send time has come and the board is frozen.
   * @param now the clock (tests freeze it).
   * @returns the recipients this call sent to.
   */
  async sendDue(now: Date): Promise<string[]> {
    if (this.config.smtpUrl === null || this.config.digestRecipients.length === 0) return [];
    const zone = this.config.timeZone;
    const week = previousWeek(isoWeekOf(now, zone), zone);
    if (now < freezeTime(week, zone, this.config.digestSendAt)) return [];
    const board = await this.boards.get(week, { limit: 1 }, now);
    if (board.board.status !== BoardStatus.Frozen) return [];
    return this.send(week, { now });
  }

  /**
   * Sends a week's digest to every recipient who has not had it.
   * @throws DigestRefusedError when the week's board is not frozen and `force` is not given: the
   *   Monday send would then be used up on a board that still moves.
   * @returns those sent to.
   */
  async send(week: IsoWeek, options: SendOptions = {}): Promise<string[]> {
    if (this.config.smtpUrl === null)
      throw new ServiceUnavailableException('SMTP_URL is not set: the digest cannot be sent');
    const now = options.now ?? this.clock.now();
    const board = await this.boards.get(week, { limit: 1 }, now);
    const frozen = board.board.status === BoardStatus.Frozen;
    if (!frozen && !options.force) {
      const at = freezeTime(week, this.config.timeZone, this.config.boardFreezeAt);
      throw new DigestRefusedError(
        `the board of ${week} is not frozen (it freezes ${at.toISOString()}): nothing sent. Sending it now would use up the week's digest on a board that still moves; force it to send it as it stands`,
      );
    }
    const sent: string[] = [];
    const rendered = new Map<DigestLang, { subject: string; html: string; text: string }>();
    for (const recipient of this.config.digestRecipients) {
      const sequence = options.resend ? await this.deliveries.nextSequence(week, recipient.address) : 0;
      const hash = createHash('sha256').update(recipient.address).digest('hex').slice(0, 16);
      const messageId = `<digest-${week}-${hash}${sequence > 0 ? `-r${sequence}` : ''}@loveboard>`;
      const delivery = await this.deliveries.claim(
        {
          isoWeek: week,
          recipient: recipient.address,
          lang: recipient.lang,
          messageId,
          sequence,
          forced: !frozen,
        },
        now,
        digestRetryAfter,
        MAX_ATTEMPTS,
        STALE_SENDING_MS,
      );
      if (!delivery) continue;
      try {
        if (!rendered.has(recipient.lang))
          rendered.set(recipient.lang, await this.render(week, recipient.lang));
        const mail = rendered.get(recipient.lang) as { subject: string; html: string; text: string };
        await this.transporter().sendMail({
          from: this.config.digestFrom,
          to: recipient.address,
          subject: mail.subject,
          html: mail.html,
          text: mail.text,
          messageId,
          headers: { [DIGEST_HEADER_NAME]: week, 'Auto-Submitted': 'auto-generated' },
        });
        await this.deliveries.sent(delivery.id, this.clock.now());
        sent.push(recipient.address);
        this.logger.log({ week, attempt: delivery.attempts, sequence, forced: !frozen }, 'digest sent');
      } catch (error) {
        const cause = error instanceof Error ? error.message : String(error);
        await this.deliveries.failed(delivery.id, cause, now);
        this.logger.warn({ week, attempt: delivery.attempts, cause }, 'digest not sent');
        if (delivery.attempts >= MAX_ATTEMPTS) {
          await this.deadLetters.record({
            jobName: JobName.SendDigests,
            jobId: `digest-${week}-${delivery.id}`,
            payload: { isoWeek: week, deliveryId: delivery.id },
            input: null,
            cause: `digest ${week} not sent after ${delivery.attempts} attempts: ${cause}`,
            attempts: delivery.attempts,
          });
        }
      }
    }
    return sent;
  }

  /** Who has had a week's digest, and how (for `cli digest` and the API). */
  history(week: IsoWeek) {
    return this.deliveries.forWeek(week);
  }

  private transporter(): Transporter {
    this.transport ??= createTransport(this.config.smtpUrl as string);
    return this.transport;
  }
}
