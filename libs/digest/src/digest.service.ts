import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import { BoardService, DecisionService } from '@app/board';
import { APP_CONFIG, AppConfig, Clock } from '@app/config';
import {
  BoardStatus,
  DeadLetterRepository,
  DigestRepository,
  MonitorRepository,
  TicketRepository,
  TrackerRepository,
} from '@app/database';
import { JobHandler, JobName } from '@app/jobs';
import { KpiService } from '@app/monitoring';
import { AXES, IsoWeek, isoWeekOf, previousWeek, weekBounds } from '@app/scoring';
import type { DigestData, DigestItem, DigestLang } from './digest-data';
import { renderHtml, renderText } from './render';

/** The header the e-mail connector recognises: the digest never comes back as a verbatim. */
export const DIGEST_HEADER_NAME = 'X-LoveBoard-Digest';
const MAX_ATTEMPTS = 6;
/** A send left `sending` this long was cut short (its process died): it is taken again. */
const STALE_SENDING_MS = 15 * 60_000;
/** Backoff between SMTP attempts: 1, 2, 4, 8, 16 minutes. */
export const digestRetryAfter = (attempts: number) => 60_000 * 2 ** Math.max(0, attempts - 1);

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
    const score = [...words(quote.text)].filter((w) => wanted.has(w)).length;
    if (score > bestScore) {
      best = quote;
      bestScore = score;
    }
  }
  return best && { text: shorten(best.text), channel: best.channel, pinned: false };
}

/**
 * The Monday digest: composed from the week's frozen board, its decisions, the routed items
 * without answer and the time-to-fix; rendered as mail HTML and plain text in French or English;
 * sent over SMTP once per week and recipient (a unique delivery row claimed before sending), with
 * retries and backoff, then a dead letter.
 */
@Injectable()
export class DigestService {
  private readonly logger = new Logger(DigestService.name);
  private transport: Transporter | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly boards: BoardService,
    private readonly decisions: DecisionService,
    private readonly tickets: TicketRepository,
    private readonly deliveries: DigestRepository,
    private readonly deadLetters: DeadLetterRepository,
    private readonly kpis: KpiService,
    private readonly monitorRows: MonitorRepository,
    private readonly trackerLinks: TrackerRepository,
  ) {}

  async compose(week: IsoWeek): Promise<DigestData> {
    const { board, items } = await this.boards.get(week, { limit: this.config.digestTop });
    const inForce = new Map((await this.tickets.latestDecisions(week)).map((d) => [d.irritantId, d]));
    const pinned = await this.tickets.pinnedQuotes(week);
    const labels = new Map(items.map((item) => [item.irritantId, item.label]));
    const { end } = weekBounds(week, this.config.timeZone);
    const [ttf] = await this.decisions.timeToFix(1, new Date(end.getTime() - 1));
    const now = this.clock.nowMs();
    const impacts = await this.kpis.surveyImpacts(
      items.map((item) => item.irritantId),
      new Date(Math.min(end.getTime(), now)),
    );
    const issues = await this.trackerLinks.linksOfIrritants(items.map((item) => item.irritantId));
    const digestItems: DigestItem[] = items.map((item) => {
      const decision = inForce.get(item.irritantId);
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
        quote: pinned.has(item.irritantId)
          ? {
              text: shorten(pinned.get(item.irritantId)?.text ?? ''),
              channel: pinned.get(item.irritantId)?.channel ?? '',
              pinned: true,
            }
          : representative(item.label, item.quotes),
        decision: decision
          ? { kind: decision.kind, owner: decision.owner, department: decision.department }
          : null,
        tracker: issue ? { key: issue.key as string, url: issue.url as string } : null,
        surveyImpact: impact
          ? {
              nps: impact.nps && { points: impact.nps.points, ci95: impact.nps.ci95 },
              csat: impact.csat && { points: impact.csat.points, ci95: impact.csat.ci95 },
            }
          : null,
      };
    });
    return {
      isoWeek: week,
      frozen: board.status === BoardStatus.Frozen,
      boardUrl: `${this.config.publicUrl}/boards/${week}`,
      items: digestItems,
      awaiting: digestItems
        .filter((item) => item.decision === null)
        .map(({ rank, label }) => ({ rank, label })),
      decisions: [...inForce.values()].map((d) => ({
        label: labels.get(d.irritantId) ?? d.irritantId,
        kind: d.kind,
        owner: d.owner,
        department: d.department,
      })),
      unanswered: (await this.decisions.unanswered(20)).map((d) => ({
        label: labels.get(d.irritantId) ?? `${d.isoWeek} · ${d.irritantId.slice(0, 8)}`,
        department: d.department ?? '?',
        days: Math.floor((now - d.createdAt.getTime()) / 86_400_000),
      })),
      timeToFix: {
        medianDays: ttf?.medianDays ?? null,
        targetDays: ttf?.targetDays ?? 21,
        deployed: ttf?.deployed ?? 0,
      },
      monitorsFailed: await this.monitorRows.failedBetween(weekBounds(week, this.config.timeZone).start, end),
      kpis: (await this.kpis.summaries(week, end)).map((summary) => ({
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
    const { end } = weekBounds(week, zone);
    const [hour, minute] = this.config.digestSendAt.split(':').map(Number);
    const sendAt = new Date(end.getTime() + (hour * 60 + minute) * 60_000);
    // `end` is Monday 00:00 local; adding hours is right except across a DST change on Sunday night
    // (none happens then in Europe), and the board must be frozen anyway.
    if (now < sendAt) return [];
    const board = await this.boards.get(week, { limit: 1 }, now);
    if (board.board.status !== BoardStatus.Frozen) return [];
    return this.send(week, now);
  }

  /** Sends a week's digest to every recipient who has not had it. @returns those sent to. */
  async send(week: IsoWeek, now = this.clock.now()): Promise<string[]> {
    if (this.config.smtpUrl === null) throw new Error('SMTP_URL is not set: the digest cannot be sent');
    const sent: string[] = [];
    const rendered = new Map<DigestLang, { subject: string; html: string; text: string }>();
    for (const recipient of this.config.digestRecipients) {
      const messageId = `<digest-${week}-${createHash('sha256').update(recipient.address).digest('hex').slice(0, 16)}@loveboard>`;
      const delivery = await this.deliveries.claim(
        { isoWeek: week, recipient: recipient.address, lang: recipient.lang, messageId },
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
        await this.deliveries.sent(delivery.id);
        sent.push(recipient.address);
        this.logger.log({ week, attempt: delivery.attempts }, 'digest sent');
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

  private transporter(): Transporter {
    this.transport ??= createTransport(this.config.smtpUrl as string);
    return this.transport;
  }
}
