import { createHmac, randomBytes } from 'node:crypto';
import { BadRequestException, Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig, SecretBox, outboundRefusal } from '@app/config';
import { DeliveryStatus, Webhook, WebhookDelivery, WebhookRepository } from '@app/database';
import { JobHandler, JobName, JobPayload, JobQueue, PoisonJobError, RETRY_WEBHOOK } from '@app/jobs';

export enum WebhookEvent {
  DecisionMade = 'decision.made',
  /** A department answered a routed decision (every answer, the second one too). */
  DecisionAnswered = 'decision.answered',
  /** A routed decision its department has not answered within ROUTED_ANSWER_TARGET_DAYS (once). */
  DecisionUnanswered = 'decision.unanswered',
  /** A developer took a ticket. */
  TicketClaimed = 'ticket.claimed',
  TicketStatusChanged = 'ticket.status_changed',
  /** An open ticket passed TIME_TO_FIX_TARGET_DAYS from its irritant's first verbatim (once). */
  TicketOverdue = 'ticket.overdue',
  BoardFrozen = 'board.frozen',
  /** An emerging irritant: its distinct customers jumped above its own baseline (mid-week alert). */
  AlertRaised = 'alert.raised',
}

export const WEBHOOK_EVENTS: readonly string[] = Object.values(WebhookEvent);

/** A receiver that does not answer within this is counted as down. */
const TIMEOUT_MS = 10_000;
const SWEEP_AFTER_MS = 120_000;

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`: what a receiver checks. */
export function signatureOf(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * Outgoing webhooks: an event is recorded for each webhook that takes it in the same transaction
 * as what it reports (so neither exists without the other), then POSTed as JSON with an HMAC
 * signature over the timestamp and the body, retried with backoff (RETRY_WEBHOOK), and logged per
 * attempt. A receiver dedupes on the `X-LoveBoard-Delivery` id, which stays the same across retries.
 */
@Injectable()
export class WebhookService {
  private readonly logger = new Logger(WebhookService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly webhooks: WebhookRepository,
    private readonly secrets: SecretBox,
    private readonly jobs: JobQueue,
  ) {}

  /** @returns the webhook and its secret, which is shown this once. */
  async create(input: {
    url: string;
    events: string[];
    secret?: string;
    department?: string | null;
    description?: string | null;
  }): Promise<{ webhook: Webhook; secret: string }> {
    const unknown = input.events.filter((event) => !WEBHOOK_EVENTS.includes(event));
    if (unknown.length > 0) throw new BadRequestException(`unknown events: ${unknown.join(', ')}`);
    const refusal = await outboundRefusal(input.url, this.config.outboundPrivateAllowed);
    if (refusal !== null) throw new BadRequestException(`url refused: ${refusal}`);
    const secret = input.secret ?? randomBytes(24).toString('base64url');
    const webhook = await this.webhooks.create({
      url: input.url,
      events: [...new Set(input.events)],
      secretSealed: this.secrets.seal(secret),
      department: input.department ?? null,
      description: input.description ?? null,
    });
    return { webhook, secret };
  }

  list(): Promise<Webhook[]> {
    return this.webhooks.list();
  }

  async deactivate(id: string): Promise<void> {
    if (!(await this.webhooks.deactivate(id)))
      throw new NotFoundException(`active webhook ${id} does not exist`);
  }

  async deliveries(id: string, limit: number): Promise<WebhookDelivery[]> {
    if (!(await this.webhooks.findById(id))) throw new NotFoundException(`webhook ${id} does not exist`);
    return this.webhooks.deliveries(id, limit);
  }

  /**
   * Records an event in the caller's transaction.
   * @returns the deliveries to enqueue once the transaction has committed (`dispatch`).
   */
  record(
    event: WebhookEvent,
    key: string,
    data: Record<string, unknown>,
    tx: EntityManager,
    department: string | null = null,
  ): Promise<string[]> {
    return this.webhooks.record(event, `${event}:${key}`, { event, data }, department, tx);
  }

  async dispatch(deliveryIds: string[]): Promise<void> {
    await this.jobs.addMany(
      JobName.DeliverWebhook,
      deliveryIds.map((deliveryId) => ({ deliveryId })),
    );
  }

  @JobHandler(JobName.DeliverWebhook)
  async deliver({ deliveryId }: JobPayload<JobName.DeliverWebhook>): Promise<void> {
    const found = await this.webhooks.forAttempt(deliveryId);
    if (!found) throw new PoisonJobError(`webhook delivery ${deliveryId} does not exist`);
    const { delivery, webhook } = found;
    if (delivery.status === DeliveryStatus.Delivered) return;
    // A failed delivery run again is an admin's retry (dead letters): it is pending again.
    if (delivery.status === DeliveryStatus.Failed) await this.webhooks.reopen([deliveryId]);
    const body = JSON.stringify({
      id: delivery.id,
      createdAt: delivery.createdAt.toISOString(),
      ...delivery.payload,
    });
    const timestamp = Math.floor(Date.now() / 1000);
    let status: number | null = null;
    let error: string | null = null;
    try {
      // Checked again before each call: the name may resolve elsewhere since it was saved.
      const refusal = await outboundRefusal(webhook.url, this.config.outboundPrivateAllowed);
      if (refusal !== null) throw new Error(`url refused: ${refusal}`);
      const response = await fetch(webhook.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'LoveBoard-Webhooks/1',
          'x-loveboard-event': delivery.event,
          'x-loveboard-delivery': delivery.id,
          'x-loveboard-signature': signatureOf(this.secrets.open(webhook.secretSealed), timestamp, body),
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      status = response.status;
      await response.body?.cancel();
      if (status < 200 || status >= 300) error = `answered ${status}`;
    } catch (failure) {
      error = failure instanceof Error ? failure.message : String(failure);
    }
    await this.webhooks.attempted(deliveryId, { status, error, delivered: error === null });
    if (error === null) return;
    if ((delivery.attempts + 1) % RETRY_WEBHOOK.attempts === 0) await this.webhooks.markFailed(deliveryId);
    // The URL is the admin's own: it may name a host, never a secret (the secret is in a header).
    throw new Error(`webhook ${webhook.id} delivery ${delivery.event}: ${error}`);
  }

  @JobHandler(JobName.SweepWebhooks)
  async sweep(): Promise<void> {
    const lost = await this.webhooks.pending(new Date(Date.now() - SWEEP_AFTER_MS), 10_000);
    if (lost.length > 0) {
      this.logger.log({ deliveries: lost.length }, 're-enqueued pending webhook deliveries');
      await this.dispatch(lost);
    }
  }
}
