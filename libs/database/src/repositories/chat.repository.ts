import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { ChatChannel, ChatMessage, ChatMessageStatus } from '../entities';

/** Chat channels, their outbox of messages, and the ledger of what has been announced. */
@Injectable()
export class ChatRepository {
  constructor(private readonly dataSource: DataSource) {}

  async createChannel(channel: Omit<ChatChannel, 'id' | 'createdAt' | 'active'>): Promise<ChatChannel> {
    const repository = this.dataSource.getRepository(ChatChannel);
    return repository.save(repository.create({ ...channel, active: true }));
  }

  listChannels(): Promise<ChatChannel[]> {
    return this.dataSource.getRepository(ChatChannel).find({ order: { createdAt: 'ASC' } });
  }

  findChannel(id: string): Promise<ChatChannel | null> {
    return this.dataSource.getRepository(ChatChannel).findOne({ where: { id } });
  }

  /** Switched off rather than deleted: its message log stays readable. */
  async deactivate(id: string): Promise<boolean> {
    const result = await this.dataSource
      .getRepository(ChatChannel)
      .update({ id, active: true }, { active: false });
    return (result.affected ?? 0) > 0;
  }

  /**
   * Keys not announced before, marked announced in the caller's transaction.
   * @returns those of `keys` this call announced.
   */
  async announce(keys: readonly string[], tx: EntityManager): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const rows: { key: string }[] = await tx.query(
      `INSERT INTO chat_announcement (key) SELECT unnest($1::varchar[]) ON CONFLICT (key) DO NOTHING RETURNING key`,
      [[...keys]],
    );
    return new Set(rows.map((row) => row.key));
  }

  /**
   * Records a message for every active channel that takes the topic (or for one channel), in the
   * caller's transaction; once per (channel, event key).
   * @returns the ids of the messages this call created.
   */
  async record(
    topic: string,
    eventKey: string,
    payload: Record<string, unknown>,
    tx: EntityManager,
    channelId: string | null = null,
  ): Promise<string[]> {
    const rows: { id: string }[] = await tx.query(
      `INSERT INTO chat_message (channel_id, topic, event_key, payload, status)
       SELECT c.id, $1::varchar, $2::varchar, $3::jsonb, $4::varchar FROM chat_channel c
        WHERE c.active AND (($5::uuid IS NULL AND c.topics ? $1::text) OR c.id = $5::uuid)
       ON CONFLICT (channel_id, event_key) DO NOTHING
       RETURNING id`,
      [topic, eventKey, JSON.stringify(payload), ChatMessageStatus.Pending, channelId],
    );
    return rows.map((row) => row.id);
  }

  transaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async forAttempt(id: string): Promise<{ message: ChatMessage; channel: ChatChannel } | null> {
    const message = await this.dataSource.getRepository(ChatMessage).findOne({ where: { id } });
    if (!message) return null;
    const channel = await this.findChannel(message.channelId);
    return channel ? { message, channel } : null;
  }

  async attempted(
    id: string,
    outcome: { status: number | null; error: string | null; delivered: boolean; remoteId?: string | null },
  ): Promise<void> {
    await this.dataSource.query(
      `UPDATE chat_message
          SET attempts = attempts + 1, last_status = $2, last_error = $3, last_attempt_at = now(),
              status = CASE WHEN $4 THEN $5 ELSE status END,
              delivered_at = CASE WHEN $4 THEN now() ELSE delivered_at END,
              remote_id = COALESCE($6, remote_id)
        WHERE id = $1`,
      [
        id,
        outcome.status,
        outcome.error?.slice(0, 500) ?? null,
        outcome.delivered,
        ChatMessageStatus.Delivered,
        outcome.remoteId ?? null,
      ],
    );
  }

  async markFailed(id: string): Promise<void> {
    await this.dataSource
      .getRepository(ChatMessage)
      .update({ id, status: ChatMessageStatus.Pending }, { status: ChatMessageStatus.Failed });
  }

  async reopen(ids: string[]): Promise<void> {
    if (ids.length > 0)
      await this.dataSource
        .getRepository(ChatMessage)
        .update({ id: In(ids), status: ChatMessageStatus.Failed }, { status: ChatMessageStatus.Pending });
  }

  messages(channelId: string, limit: number): Promise<ChatMessage[]> {
    return this.dataSource
      .getRepository(ChatMessage)
      .find({ where: { channelId }, order: { createdAt: 'DESC' }, take: limit });
  }

  /** Pending messages older than `olderThan`: their job may have been lost. */
  async pending(olderThan: Date, limit: number): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM chat_message WHERE status = $1 AND created_at < $2 ORDER BY created_at LIMIT $3`,
      [ChatMessageStatus.Pending, olderThan, limit],
    );
    return rows.map((row) => row.id);
  }

  /** Open tickets (not yet deployed) whose irritant was first seen before `before`, with their label. */
  overdueTickets(before: Date): Promise<
    {
      id: string;
      irritant_id: string;
      status: string;
      team: string | null;
      first_seen_at: Date;
      label: string | null;
      tracker_key: string | null;
    }[]
  > {
    return this.dataSource.query(
      `SELECT t.id, t.irritant_id, t.status, t.team, t.first_seen_at,
              (SELECT b.label FROM board_item b WHERE b.irritant_id = t.irritant_id ORDER BY b.iso_week DESC LIMIT 1) AS label,
              (SELECT l.external_key FROM ticket_link l WHERE l.ticket_id = t.id AND l.external_key IS NOT NULL
                ORDER BY l.created_at LIMIT 1) AS tracker_key
         FROM ticket t
        WHERE t.status IN ('todo', 'in_progress', 'fixed') AND t.first_seen_at < $1
        ORDER BY t.first_seen_at LIMIT 200`,
      [before],
    );
  }

  /** Routed decisions still in force whose department has not answered since before `before`. */
  unanswered(before: Date): Promise<
    {
      id: string;
      irritant_id: string;
      iso_week: string;
      department: string;
      created_at: Date;
      label: string | null;
    }[]
  > {
    return this.dataSource.query(
      `SELECT d.id, d.irritant_id, d.iso_week, d.department, d.created_at,
              (SELECT b.label FROM board_item b WHERE b.irritant_id = d.irritant_id AND b.iso_week = d.iso_week) AS label
         FROM decision d
        WHERE d.kind = 'route' AND d.answered_at IS NULL AND d.created_at < $1
          AND NOT EXISTS (SELECT 1 FROM decision later WHERE later.irritant_id = d.irritant_id
                           AND later.iso_week = d.iso_week AND later.created_at > d.created_at)
        ORDER BY d.created_at LIMIT 200`,
      [before],
    );
  }
}
