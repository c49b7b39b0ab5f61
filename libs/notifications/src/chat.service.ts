import {
  BadRequestException,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
  OnModuleInit,
} from '@nestjs/common';
import { AlertListener, AlertService } from '@app/alerts';
import { BoardService } from '@app/board';
import { APP_CONFIG, AppConfig, Clock, SecretBox, outboundRefusal } from '@app/config';
import {
  BoardStatus,
  ChatChannel,
  ChatKind,
  ChatMessage,
  ChatMessageStatus,
  ChatRepository,
  ChatTopic,
  IrritantAlert,
  Tx,
} from '@app/database';
import { DigestService } from '@app/digest';
import { JobHandler, JobName, JobPayload, JobQueue, PoisonJobError, RETRY_WEBHOOK } from '@app/jobs';
import { isIsoWeek, isoWeekOf, previousWeek, weekBounds } from '@app/scoring';
import type { AlertPayload, DigestPayload, OverduePayload, UnansweredPayload } from './render';
import { renderMessage } from './render';
import { sendSlackBot, sendSlackWebhook, sendTeamsWebhook, SendOutcome } from './senders';

export const CHAT_TOPICS: readonly ChatTopic[] = Object.values(ChatTopic);
export const CHAT_KINDS: readonly ChatKind[] = Object.values(ChatKind);
const SWEEP_AFTER_MS = 120_000;
const DAY = 86_400_000;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export interface ChatChannelInput {
  kind: ChatKind;
  name: string;
  lang: 'fr' | 'en';
  topics: ChatTopic[];
  /** Slack or Teams incoming webhook. */
  url?: string;
  /** Slack bot. */
  token?: string;
  channel?: string;
  apiUrl?: string;
}

/** https, or http on the loopback only (a chat on the same machine, tests): URLs carry secrets. */
function checkedUrl(value: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new BadRequestException(`${what} must be a URL`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname)))
    throw new BadRequestException(`${what} must be an https URL (http only on the loopback)`);
  if (url.username || url.password)
    throw new BadRequestException(`${what} must not carry a user or password`);
  return url;
}

/**
 * Slack and Microsoft Teams: any number of channels per installation, each in its language and with
 * the topics it takes (the Monday summary, mid-week alerts, overdue tickets, unanswered routed
 * decisions). A message is written for each channel that takes it in the transaction of what it
 * announces (outbox, once per channel and event), rendered in the channel's language when sent,
 * retried like the outgoing webhooks (RETRY_WEBHOOK), logged per attempt, and dead-lettered when
 * out of attempts. Targets (webhook URLs, bot tokens) are sealed.
 */
@Injectable()
export class ChatService implements OnModuleInit, AlertListener {
  private readonly logger = new Logger(ChatService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly chats: ChatRepository,
    private readonly secrets: SecretBox,
    private readonly jobs: JobQueue,
    private readonly alerts: AlertService,
    private readonly boards: BoardService,
    private readonly digests: DigestService,
  ) {}

  onModuleInit(): void {
    this.alerts.listen(this);
  }

  async create(input: ChatChannelInput): Promise<ChatChannel> {
    const topics = [...new Set(input.topics)];
    if (topics.length === 0 || topics.some((topic) => !CHAT_TOPICS.includes(topic)))
      throw new BadRequestException(`topics must be among ${CHAT_TOPICS.join(', ')}`);
    let target: string;
    let hint: string;
    let slackChannel: string | null = null;
    let apiUrl: string | null = null;
    if (input.kind === ChatKind.SlackBot) {
      if (!input.token || !/^xox[bp]-[A-Za-z0-9-]{8,}$/.test(input.token))
        throw new BadRequestException('a Slack bot needs its token (xoxb-…)');
      if (!input.channel || !/^[CGD][A-Z0-9]{6,20}$/.test(input.channel))
        throw new BadRequestException('a Slack bot needs the id of its channel (C0123456789)');
      if (input.url) throw new BadRequestException('a Slack bot posts with its token: no url');
      apiUrl = input.apiUrl ? checkedUrl(input.apiUrl, 'apiUrl').toString() : null;
      target = input.token;
      slackChannel = input.channel;
      hint = `#${input.channel}`;
    } else {
      if (!input.url) throw new BadRequestException('an incoming webhook needs its url');
      if (input.token || input.channel || input.apiUrl)
        throw new BadRequestException('an incoming webhook takes its url only');
      const url = checkedUrl(input.url, 'url');
      target = url.toString();
      hint = `${url.protocol}//${url.host}/…`;
    }
    const called = input.kind === ChatKind.SlackBot ? apiUrl : target;
    const refusal =
      called === null ? null : await outboundRefusal(called, this.config.outboundPrivateAllowed);
    if (refusal !== null) throw new BadRequestException(`url refused: ${refusal}`);
    return this.chats.createChannel({
      kind: input.kind,
      name: input.name,
      lang: input.lang,
      topics,
      targetSealed: this.secrets.seal(target),
      hint,
      slackChannel,
      apiUrl,
    });
  }

  list(): Promise<ChatChannel[]> {
    return this.chats.listChannels();
  }

  async deactivate(id: string): Promise<void> {
    if (!(await this.chats.deactivate(id)))
      throw new NotFoundException(`active chat channel ${id} does not exist`);
  }

  async messages(id: string, limit: number): Promise<ChatMessage[]> {
    if (!(await this.chats.findChannel(id))) throw new NotFoundException(`chat channel ${id} does not exist`);
    return this.chats.messages(id, limit);
  }

  /** A message to one channel now, to see it is connected. @returns the message's id. */
  async test(id: string): Promise<string> {
    const channel = await this.chats.findChannel(id);
    if (!channel?.active) throw new NotFoundException(`active chat channel ${id} does not exist`);
    const ids = await this.chats.transaction((tx) =>
      this.chats.record(
        'test',
        `test:${this.clock.nowMs()}`,
        { channel: channel.name, publicUrl: this.config.publicUrl },
        tx,
        id,
      ),
    );
    await this.dispatch(ids);
    return ids[0];
  }

  /** Alerts are announced in the alert's own transaction (AlertListener). */
  async onAlertRaised(alert: IrritantAlert, tx: Tx): Promise<() => Promise<void>> {
    const payload: AlertPayload = {
      alertId: alert.id,
      label: alert.label,
      irritantUrl: this.irritantUrl(alert.irritantId),
      window: alert.window,
      observed: alert.observed,
      expected: alert.expected,
      ratio: alert.evidence.ratio,
      pValue: alert.pValue,
      quotes: alert.evidence.quotes.map((quote) => quote.text),
    };
    const ids = await this.chats.record(ChatTopic.Alert, `alert:${alert.id}`, { ...payload }, tx);
    return () => this.dispatch(ids);
  }

  async dispatch(messageIds: string[]): Promise<void> {
    await this.jobs.addMany(
      JobName.DeliverChat,
      messageIds.map((messageId) => ({ messageId })),
    );
  }

  @JobHandler(JobName.TickChat)
  async tick(): Promise<void> {
    const now = this.clock.now();
    await this.announceDigestDue(now);
    await this.announceOverdue(now);
    await this.announceUnanswered(now);
    const lost = await this.chats.pending(new Date(Date.now() - SWEEP_AFTER_MS), 10_000);
    if (lost.length > 0) {
      this.logger.log({ messages: lost.length }, 're-enqueued pending chat messages');
      await this.dispatch(lost);
    }
  }

  /**
   * The Monday summary of last week, once its board is frozen and the digest's time has come
   * (DIGEST_SEND_AT), whatever SMTP is: once per week.
   * @returns whether this call announced it.
   */
  async announceDigestDue(now: Date): Promise<boolean> {
    const zone = this.config.timeZone;
    const week = previousWeek(isoWeekOf(now, zone), zone);
    const { end } = weekBounds(week, zone);
    const [hour, minute] = this.config.digestSendAt.split(':').map(Number);
    if (now.getTime() < end.getTime() + (hour * 60 + minute) * 60_000) return false;
    const board = await this.boards.get(week, { limit: 1 }, now);
    if (board.board.status !== BoardStatus.Frozen) return false;
    return this.announceDigest(week);
  }

  /** A week's summary to the channels that take digests, once per week. @returns whether this call did. */
  async announceDigest(week: string): Promise<boolean> {
    if (!isIsoWeek(week)) throw new BadRequestException(`not an ISO week (like 2026-W48): ${week}`);
    const data = await this.digests.compose(week);
    const payload: DigestPayload = {
      week,
      frozen: data.frozen,
      boardUrl: data.boardUrl,
      items: data.items.map((item) => ({
        rank: item.rank,
        label: item.label,
        irritantUrl: this.irritantUrl(item.irritantId ?? '', week),
        customers: item.customers,
        total: item.total,
        npsCost: item.surveyImpact?.nps?.points ?? null,
        decision: item.decision?.kind ?? null,
        tracker: item.tracker?.key ?? null,
      })),
      awaiting: data.items
        .filter((item) => item.decision === null)
        .map((item) => ({
          rank: item.rank,
          label: item.label,
          irritantUrl: this.irritantUrl(item.irritantId ?? '', week),
        })),
      kpisOffTarget: data.kpis
        .filter((kpi) => kpi.onTarget === false)
        .map((kpi) => ({ name: kpi.name, value: kpi.value, target: kpi.target, unit: kpi.unit })),
    };
    const key = `digest:${week}`;
    const ids = await this.chats.transaction(async (tx) => {
      if ((await this.chats.announce([key], tx)).size === 0) return null;
      return this.chats.record(ChatTopic.Digest, key, { ...payload }, tx);
    });
    if (ids === null) return false;
    await this.dispatch(ids);
    return true;
  }

  /** Open tickets that passed the time-to-fix target since the last tick: one message for them. */
  async announceOverdue(now: Date): Promise<number> {
    const target = this.config.timeToFixTargetDays;
    const rows = await this.chats.overdueTickets(new Date(now.getTime() - target * DAY));
    if (rows.length === 0) return 0;
    const announced = await this.chats.transaction(async (tx) => {
      const fresh = await this.chats.announce(
        rows.map((row) => `overdue:${row.id}`),
        tx,
      );
      const tickets = rows.filter((row) => fresh.has(`overdue:${row.id}`));
      if (tickets.length === 0) return { ids: [], count: 0 };
      const payload: OverduePayload = {
        targetDays: target,
        boardUrl: `${this.config.publicUrl}/`,
        tickets: tickets.map((row) => ({
          label: row.label ?? row.irritant_id,
          irritantUrl: this.irritantUrl(row.irritant_id),
          days: Math.floor((now.getTime() - row.first_seen_at.getTime()) / DAY),
          status: row.status,
          team: row.team,
          tracker: row.tracker_key,
        })),
      };
      const key = `overdue:${tickets
        .map((row) => row.id)
        .sort()
        .join(',')}`.slice(0, 200);
      return {
        ids: await this.chats.record(ChatTopic.Overdue, key, { ...payload }, tx),
        count: tickets.length,
      };
    });
    await this.dispatch(announced.ids);
    return announced.count;
  }

  /** Routed decisions unanswered for CHAT_UNANSWERED_DAYS: one message for those not told yet. */
  async announceUnanswered(now: Date): Promise<number> {
    const rows = await this.chats.unanswered(new Date(now.getTime() - this.config.chatUnansweredDays * DAY));
    if (rows.length === 0) return 0;
    const announced = await this.chats.transaction(async (tx) => {
      const fresh = await this.chats.announce(
        rows.map((row) => `unanswered:${row.id}`),
        tx,
      );
      const decisions = rows.filter((row) => fresh.has(`unanswered:${row.id}`));
      if (decisions.length === 0) return { ids: [], count: 0 };
      const payload: UnansweredPayload = {
        boardUrl: `${this.config.publicUrl}/`,
        decisions: decisions.map((row) => ({
          label: row.label ?? row.irritant_id,
          irritantUrl: this.irritantUrl(row.irritant_id, row.iso_week),
          department: row.department,
          days: Math.floor((now.getTime() - row.created_at.getTime()) / DAY),
        })),
      };
      const key = `unanswered:${decisions
        .map((row) => row.id)
        .sort()
        .join(',')}`.slice(0, 200);
      return {
        ids: await this.chats.record(ChatTopic.Unanswered, key, { ...payload }, tx),
        count: decisions.length,
      };
    });
    await this.dispatch(announced.ids);
    return announced.count;
  }

  @JobHandler(JobName.DeliverChat)
  async deliver({ messageId }: JobPayload<JobName.DeliverChat>): Promise<void> {
    const found = await this.chats.forAttempt(messageId);
    if (!found) throw new PoisonJobError(`chat message ${messageId} does not exist`);
    const { message, channel } = found;
    if (message.status === ChatMessageStatus.Delivered) return;
    // A failed message run again is an admin's retry (dead letters): it is pending again.
    if (message.status === ChatMessageStatus.Failed) await this.chats.reopen([messageId]);
    if (!channel.active) {
      await this.chats.attempted(messageId, {
        status: null,
        error: 'channel switched off',
        delivered: false,
      });
      await this.chats.markFailed(messageId);
      return;
    }
    const text = renderMessage(message.topic, message.payload, channel.lang);
    const target = this.secrets.open(channel.targetSealed);
    let outcome: SendOutcome;
    const called = channel.kind === ChatKind.SlackBot ? channel.apiUrl : target;
    // Checked again before each call: the name may resolve elsewhere since it was saved.
    const refusal =
      called === null ? null : await outboundRefusal(called, this.config.outboundPrivateAllowed);
    if (refusal !== null) {
      outcome = { status: null, error: `url refused: ${refusal}` };
    } else if (channel.kind === ChatKind.SlackBot) {
      outcome = await sendSlackBot(
        { token: target, channel: channel.slackChannel ?? '', apiUrl: channel.apiUrl },
        text,
        { messageId, retry: message.attempts > 0, since: message.createdAt },
      );
    } else if (channel.kind === ChatKind.TeamsWebhook) {
      outcome = await sendTeamsWebhook(target, text);
    } else {
      outcome = await sendSlackWebhook(target, text);
    }
    await this.chats.attempted(messageId, { ...outcome, delivered: outcome.error === null });
    if (outcome.error === null) return;
    if ((message.attempts + 1) % RETRY_WEBHOOK.attempts === 0) await this.chats.markFailed(messageId);
    // Never the target: a webhook URL or a token is the secret itself.
    throw new Error(`chat channel ${channel.id} message ${message.topic}: ${outcome.error}`);
  }

  private irritantUrl(irritantId: string, week?: string): string {
    return `${this.config.publicUrl}/irritants/${irritantId}${week ? `?week=${week}` : ''}`;
  }
}
