import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { changedRows } from '../returning';
import { DigestDelivery, DigestStatus } from '../entities';

@Injectable()
export class DigestRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Takes the week's digest for a recipient, to send it (times measured on the caller's clock, `now`): the first process to ask gets it (a
   * unique row per week and recipient); a failed one is taken again once its backoff has passed,
   * and one left `sending` by a process that died, after `staleMs`.
   * @returns the delivery to send, or null when it is sent, being sent, or waiting.
   */
  async claim(
    delivery: {
      isoWeek: string;
      recipient: string;
      lang: string;
      messageId: string;
      /** 0: the week's send; more: an explicit resend. */
      sequence: number;
      forced: boolean;
    },
    now: Date,
    retryAfterMs: (attempts: number) => number,
    maxAttempts: number,
    staleMs: number,
  ): Promise<DigestDelivery | null> {
    const inserted: DigestDelivery[] = await this.dataSource.query(
      `INSERT INTO digest_delivery (iso_week, recipient, lang, status, message_id, attempts, created_at, updated_at, sequence, forced)
       VALUES ($1, $2, $3, $4, $5, 1, $6, $6, $7, $8)
       ON CONFLICT (iso_week, recipient, sequence) DO NOTHING RETURNING id`,
      [
        delivery.isoWeek,
        delivery.recipient,
        delivery.lang,
        DigestStatus.Sending,
        delivery.messageId,
        now,
        delivery.sequence,
        delivery.forced,
      ],
    );
    if (inserted.length > 0)
      return this.dataSource.getRepository(DigestDelivery).findOneBy({ id: inserted[0].id });
    const existing = await this.dataSource
      .getRepository(DigestDelivery)
      .findOneBy({ isoWeek: delivery.isoWeek, recipient: delivery.recipient, sequence: delivery.sequence });
    if (!existing || existing.status === DigestStatus.Sent || existing.attempts >= maxAttempts) return null;
    const waited = now.getTime() - existing.updatedAt.getTime();
    const due =
      existing.status === DigestStatus.Failed ? waited >= retryAfterMs(existing.attempts) : waited >= staleMs;
    if (!due) return null;
    // Taken only if no one else took it in between (same status, same attempts).
    const taken = await changedRows<{ id: string }>(
      this.dataSource.manager,
      `UPDATE digest_delivery SET status = $2, attempts = attempts + 1, updated_at = $5
        WHERE id = $1 AND status = $3 AND attempts = $4 RETURNING id`,
      [existing.id, DigestStatus.Sending, existing.status, existing.attempts, now],
    );
    return taken.length > 0
      ? this.dataSource.getRepository(DigestDelivery).findOneBy({ id: existing.id })
      : null;
  }

  async sent(id: string, at: Date): Promise<void> {
    await this.dataSource
      .getRepository(DigestDelivery)
      .update({ id }, { status: DigestStatus.Sent, sentAt: at, lastError: null });
  }

  /**
   * The sequence a resend to a recipient takes: after the latest one sent (or tried). A resend
   * of a week never sent is its first send.
   */
  async nextSequence(isoWeek: string, recipient: string): Promise<number> {
    const rows: { next: number }[] = await this.dataSource.query(
      `SELECT COALESCE(max(sequence) + 1, 0)::int AS next FROM digest_delivery WHERE iso_week = $1 AND recipient = $2`,
      [isoWeek, recipient],
    );
    return rows[0].next;
  }

  /** @param at the caller's clock: backoff is measured from it. */
  async failed(id: string, error: string, at: Date): Promise<void> {
    await this.dataSource.query(
      'UPDATE digest_delivery SET status = $2, last_error = $3, updated_at = $4 WHERE id = $1',
      [id, DigestStatus.Failed, error.slice(0, 500), at],
    );
  }

  forWeek(isoWeek: string): Promise<DigestDelivery[]> {
    return this.dataSource
      .getRepository(DigestDelivery)
      .find({ where: { isoWeek }, order: { recipient: 'ASC', sequence: 'ASC' } });
  }
}
