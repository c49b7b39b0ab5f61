import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { DeliveryStatus, Webhook, WebhookDelivery } from '../entities';

@Injectable()
export class WebhookRepository {
  constructor(private readonly dataSource: DataSource) {}

  async create(webhook: Omit<Webhook, 'id' | 'createdAt' | 'active'>): Promise<Webhook> {
    const repository = this.dataSource.getRepository(Webhook);
    return repository.save(repository.create({ ...webhook, active: true }));
  }

  list(): Promise<Webhook[]> {
    return this.dataSource.getRepository(Webhook).find({ order: { createdAt: 'ASC' } });
  }

  findById(id: string): Promise<Webhook | null> {
    return this.dataSource.getRepository(Webhook).findOne({ where: { id } });
  }

  /** Switched off rather than deleted: its delivery log stays readable. */
  async deactivate(id: string): Promise<boolean> {
    const result = await this.dataSource
      .getRepository(Webhook)
      .update({ id, active: true }, { active: false });
    return (result.affected ?? 0) > 0;
  }

  /**
   * Records an event for every active webhook that takes it (and, for a department's webhook, only
   * the department's events), in the caller's transaction: the event and its deliveries commit
   * together. Once per (webhook, event key).
   * @returns the ids of the deliveries this call created.
   */
  async record(
    event: string,
    eventKey: string,
    payload: Record<string, unknown>,
    department: string | null,
    tx: EntityManager,
  ): Promise<string[]> {
    const rows: { id: string }[] = await tx.query(
      `INSERT INTO webhook_delivery (webhook_id, event, event_key, payload, status)
       SELECT w.id, $1::varchar, $2::varchar, $3::jsonb, $4::varchar FROM webhook w
        WHERE w.active AND w.events ? $1::text AND (w.department IS NULL OR w.department = $5::varchar)
       ON CONFLICT (webhook_id, event_key) DO NOTHING
       RETURNING id`,
      [event, eventKey, JSON.stringify(payload), DeliveryStatus.Pending, department],
    );
    return rows.map((row) => row.id);
  }

  /** A delivery with its webhook, for an attempt. */
  async forAttempt(id: string): Promise<{ delivery: WebhookDelivery; webhook: Webhook } | null> {
    const delivery = await this.dataSource.getRepository(WebhookDelivery).findOne({ where: { id } });
    if (!delivery) return null;
    const webhook = await this.findById(delivery.webhookId);
    return webhook ? { delivery, webhook } : null;
  }

  async attempted(
    id: string,
    outcome: { status: number | null; error: string | null; delivered: boolean },
  ): Promise<void> {
    await this.dataSource.query(
      `UPDATE webhook_delivery
          SET attempts = attempts + 1, last_status = $2, last_error = $3, last_attempt_at = now(),
              status = CASE WHEN $4 THEN $5 ELSE status END,
              delivered_at = CASE WHEN $4 THEN now() ELSE delivered_at END
        WHERE id = $1`,
      [id, outcome.status, outcome.error?.slice(0, 500) ?? null, outcome.delivered, DeliveryStatus.Delivered],
    );
  }

  async markFailed(id: string): Promise<void> {
    await this.dataSource
      .getRepository(WebhookDelivery)
      .update({ id, status: DeliveryStatus.Pending }, { status: DeliveryStatus.Failed });
  }

  /** Back to pending, for a retry of a failed delivery. */
  async reopen(ids: string[]): Promise<void> {
    if (ids.length > 0)
      await this.dataSource
        .getRepository(WebhookDelivery)
        .update({ id: In(ids), status: DeliveryStatus.Failed }, { status: DeliveryStatus.Pending });
  }

  deliveries(webhookId: string, limit: number): Promise<WebhookDelivery[]> {
    return this.dataSource
      .getRepository(WebhookDelivery)
      .find({ where: { webhookId }, order: { createdAt: 'DESC' }, take: limit });
  }

  /** Pending deliveries older than `olderThan`: their job may have been lost. */
  async pending(olderThan: Date, limit: number): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM webhook_delivery WHERE status = $1 AND created_at < $2 ORDER BY created_at LIMIT $3`,
      [DeliveryStatus.Pending, olderThan, limit],
    );
    return rows.map((row) => row.id);
  }
}
