import { Module } from '@nestjs/common';
import { WebhooksModule } from '@app/webhooks';
import { AlertService } from './alert.service';

@Module({ imports: [WebhooksModule], providers: [AlertService], exports: [AlertService] })
export class AlertsModule {}
