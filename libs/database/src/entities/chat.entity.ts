import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

export enum ChatKind {
  /** A Slack incoming webhook (its URL is the secret). */
  SlackWebhook = 'slack_webhook',
  /** A Slack app's bot token, posting with chat.postMessage to a channel. */
  SlackBot = 'slack_bot',
  /** A Microsoft Teams incoming webhook (Workflows or connector), Adaptive Cards. */
  TeamsWebhook = 'teams_webhook',
}

/** What a channel receives. */
export enum ChatTopic {
  /** The Monday digest's summary, once the week's board is frozen and the digest's time has come. */
  Digest = 'digest',
  /** A mid-week alert on an emerging irritant. */
  Alert = 'alert',
  /** Open tickets past the time-to-fix target. */
  Overdue = 'overdue',
  /** Routed decisions whose department has not answered. */
  Unanswered = 'unanswered',
}

/** A chat channel of the installation: Slack or Teams, its language, what it receives. */
@Entity('chat_channel')
export class ChatChannel {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 16 })
  kind: ChatKind;

  @Column({ type: 'varchar', length: 120 })
  name: string;

  @Column({ type: 'varchar', length: 2 })
  lang: 'fr' | 'en';

  /** The webhook URL (Slack, Teams) or the bot token (Slack), sealed: never returned or logged. */
  @Column({ name: 'target_sealed', type: 'text' })
  targetSealed: string;

  /** Where a secret-free hint of the target is shown (the webhook's host; the bot's channel). */
  @Column({ type: 'varchar', length: 200 })
  hint: string;

  /** For a bot: the channel id (C…) it posts to. */
  @Column({ name: 'slack_channel', type: 'varchar', length: 80, nullable: true })
  slackChannel: string | null;

  /** For a bot: another Slack Web API base (GovSlack, a proxy); null: https://slack.com/api/. */
  @Column({ name: 'api_url', type: 'varchar', length: 2000, nullable: true })
  apiUrl: string | null;

  @Column({ type: 'jsonb' })
  topics: ChatTopic[];

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

export enum ChatMessageStatus {
  Pending = 'pending',
  Delivered = 'delivered',
  /** Out of attempts: also a dead letter, which an admin can retry. */
  Failed = 'failed',
}

/**
 * One message for one channel, with the log of its attempts: written in the transaction of what
 * it announces (transactional outbox), once per (channel, event key), rendered in the channel's
 * language when it is sent.
 */
@Entity('chat_message')
@Index('uq_chat_message_event', ['channelId', 'eventKey'], { unique: true })
@Index('ix_chat_message_status', ['status', 'createdAt'])
export class ChatMessage {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'channel_id', type: 'uuid' })
  channelId: string;

  @Column({ type: 'varchar', length: 16 })
  topic: string;

  @Column({ name: 'event_key', type: 'varchar', length: 200 })
  eventKey: string;

  /** What to say, language-neutral and redacted (rendered at sending). */
  @Column({ type: 'jsonb' })
  payload: Record<string, unknown>;

  @Column({ type: 'varchar', length: 10 })
  status: ChatMessageStatus;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ name: 'last_status', type: 'integer', nullable: true })
  lastStatus: number | null;

  @Column({ name: 'last_error', type: 'varchar', length: 500, nullable: true })
  lastError: string | null;

  @Column({ name: 'last_attempt_at', type: 'timestamptz', nullable: true })
  lastAttemptAt: Date | null;

  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true })
  deliveredAt: Date | null;

  /** The chat's own id of the posted message (Slack's `ts`), when it gives one. */
  @Column({ name: 'remote_id', type: 'varchar', length: 80, nullable: true })
  remoteId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

/** What has been announced in chat (overdue tickets, unanswered decisions, digests): once each. */
@Entity('chat_announcement')
export class ChatAnnouncement {
  @PrimaryColumn({ type: 'varchar', length: 200 })
  key: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
