export { WebhooksModule } from './webhooks.module';
export { WebhookService, WebhookEvent, WEBHOOK_EVENTS, signatureOf } from './webhook.service';
