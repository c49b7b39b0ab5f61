import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Length,
  Matches,
  Max,
  Min,
} from 'class-validator';
import { Webhook, WebhookDelivery } from '@app/database';
import { WEBHOOK_EVENTS, WebhookService } from '@app/webhooks';
import { ADMINS, Roles } from '../auth/access.decorators';

class CreateWebhookBody {
  @ApiProperty({ example: 'https://hooks.example.com/loveboard' })
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false },
    { message: 'url must be an http(s) URL' },
  )
  @Length(1, 2000)
  url: string;

  @ApiProperty({ type: [String], enum: WEBHOOK_EVENTS })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(10)
  @IsIn(WEBHOOK_EVENTS, { each: true, message: `events must be among ${WEBHOOK_EVENTS.join(', ')}` })
  events: string[];

  @ApiPropertyOptional({ description: 'The signing secret (16+ characters); one is made when absent' })
  @IsOptional()
  @IsString()
  @Length(16, 200)
  secret?: string;

  @ApiPropertyOptional({ description: 'A department’s webhook: only the items routed to it' })
  @IsOptional()
  @Matches(/^[a-z][a-z0-9_]{0,39}$/, { message: 'department must be a department key' })
  department?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 200)
  description?: string;
}

class DeliveriesQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

class WebhookView {
  @ApiProperty() id: string;
  @ApiProperty() url: string;
  @ApiProperty({ type: [String] }) events: string[];
  @ApiProperty({ nullable: true, type: String }) department: string | null;
  @ApiProperty() active: boolean;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty() createdAt: string;
}

class CreatedWebhookView extends WebhookView {
  @ApiProperty({ description: 'The signing secret: shown this once, stored sealed' }) secret: string;
}

class WebhookDeliveryView {
  @ApiProperty() id: string;
  @ApiProperty() event: string;
  @ApiProperty({ enum: ['pending', 'delivered', 'failed'] }) status: string;
  @ApiProperty() attempts: number;
  @ApiProperty({ nullable: true, type: Number, description: 'HTTP status of the last attempt' })
  lastStatus: number | null;
  @ApiProperty({ nullable: true, type: String }) lastError: string | null;
  @ApiProperty({ nullable: true, type: String }) lastAttemptAt: string | null;
  @ApiProperty({ nullable: true, type: String }) deliveredAt: string | null;
  @ApiProperty() createdAt: string;
}

const view = (webhook: Webhook): WebhookView => ({
  id: webhook.id,
  url: webhook.url,
  events: webhook.events,
  department: webhook.department,
  active: webhook.active,
  description: webhook.description,
  createdAt: webhook.createdAt.toISOString(),
});

const deliveryView = (delivery: WebhookDelivery): WebhookDeliveryView => ({
  id: delivery.id,
  event: delivery.event,
  status: delivery.status,
  attempts: delivery.attempts,
  lastStatus: delivery.lastStatus,
  lastError: delivery.lastError,
  lastAttemptAt: delivery.lastAttemptAt?.toISOString() ?? null,
  deliveredAt: delivery.deliveredAt?.toISOString() ?? null,
  createdAt: delivery.createdAt.toISOString(),
});

@ApiTags('webhooks')
@ApiBearerAuth()
@Controller('api/v1/outgoing-webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhookService) {}

  @Post()
  @Roles(...ADMINS)
  @ApiOperation({
    summary:
      'Add an outgoing webhook (admin): events POSTed as JSON, signed X-LoveBoard-Signature t=<unix>,v1=<HMAC-SHA256 of "<t>.<body>">',
  })
  @ApiCreatedResponse({ type: CreatedWebhookView })
  async create(@Body() body: CreateWebhookBody): Promise<CreatedWebhookView> {
    const { webhook, secret } = await this.webhooks.create(body);
    return { ...view(webhook), secret };
  }

  @Get()
  @Roles(...ADMINS)
  @ApiOperation({ summary: 'Outgoing webhooks (secrets are never returned)' })
  @ApiOkResponse({ type: [WebhookView] })
  async list(): Promise<WebhookView[]> {
    return (await this.webhooks.list()).map(view);
  }

  @Delete(':id')
  @Roles(...ADMINS)
  @HttpCode(204)
  @ApiOperation({ summary: 'Switch a webhook off (its delivery log stays)' })
  async remove(@Param('id', new ParseUUIDPipe()) id: string): Promise<void> {
    await this.webhooks.deactivate(id);
  }

  @Get(':id/deliveries')
  @Roles(...ADMINS)
  @ApiOperation({ summary: 'The delivery log of a webhook, newest first' })
  @ApiOkResponse({ type: [WebhookDeliveryView] })
  async deliveries(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() query: DeliveriesQuery,
  ): Promise<WebhookDeliveryView[]> {
    return (await this.webhooks.deliveries(id, query.limit ?? 100)).map(deliveryView);
  }
}
