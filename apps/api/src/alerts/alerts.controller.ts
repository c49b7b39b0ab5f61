import { Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { AlertService } from '@app/alerts';
import { APP_CONFIG, type AlertThresholds, AppConfig, Clock } from '@app/config';
import { IrritantAlert } from '@app/database';
import { ADMINS, READERS, Roles } from '../auth/access.decorators';

class AlertsQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

class AlertView {
  @ApiProperty() id: string;
  @ApiProperty() irritantId: string;
  @ApiProperty() label: string;
  @ApiProperty() category: string;
  @ApiProperty({ enum: ['hour', 'day'] }) window: string;
  @ApiProperty() windowStart: string;
  @ApiProperty() windowEnd: string;
  @ApiProperty({ description: 'Distinct customers in the window' }) observed: number;
  @ApiProperty({ description: 'What the irritant’s own baseline expected' }) expected: number;
  @ApiProperty({ description: 'Poisson P(X >= observed | expected)' }) pValue: number;
  @ApiProperty({
    enum: ['raised', 'suppressed'],
    description: 'suppressed: over ALERT_MAX_PER_DAY, not announced',
  })
  status: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'Counts, baseline, thresholds, quotes',
  })
  evidence: Record<string, unknown>;
  @ApiProperty() openedAt: string;
  @ApiProperty() lastJumpAt: string;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'The episode ended (ALERT_QUIET_HOURS without a jump)',
  })
  closedAt: string | null;
}

class AlertThresholdsView implements AlertThresholds {
  @ApiProperty({ description: 'Off: no scan' }) enabled: boolean;
  @ApiProperty({ description: 'Distinct customers in the last hour below which nothing alerts' })
  minCustomersHour: number;
  @ApiProperty({ description: 'Distinct customers in the last 24 hours below which nothing alerts' })
  minCustomersDay: number;
  @ApiProperty({ description: 'The Poisson upper-tail probability below which a count is a jump' })
  pValue: number;
  @ApiProperty({ description: 'And the count must be at least this many times the baseline' })
  minRatio: number;
  @ApiProperty({ description: 'Days before the window that make the baseline' }) baselineDays: number;
  @ApiProperty({ description: 'The least baseline rate assumed (customers per day)' }) floorPerDay: number;
  @ApiProperty({ description: 'Hours without a jump that end an episode' }) quietHours: number;
  @ApiProperty({ description: 'New alerts announced per 24 hours at most' }) maxPerDay: number;
}

const view = (alert: IrritantAlert): AlertView => ({
  id: alert.id,
  irritantId: alert.irritantId,
  label: alert.label,
  category: alert.category,
  window: alert.window,
  windowStart: alert.windowStart.toISOString(),
  windowEnd: alert.windowEnd.toISOString(),
  observed: alert.observed,
  expected: alert.expected,
  pValue: alert.pValue,
  status: alert.status,
  evidence: alert.evidence as unknown as Record<string, unknown>,
  openedAt: alert.openedAt.toISOString(),
  lastJumpAt: alert.lastJumpAt.toISOString(),
  closedAt: alert.closedAt?.toISOString() ?? null,
});

@ApiTags('alerts')
@ApiBearerAuth()
@Controller('api/v1/alerts')
export class AlertsController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly alerts: AlertService,
  ) {}

  @Get()
  @Roles(...READERS)
  @ApiOperation({ summary: 'Mid-week alerts on emerging irritants, newest first, with their evidence' })
  @ApiOkResponse({ type: [AlertView] })
  async list(@Query() query: AlertsQuery): Promise<AlertView[]> {
    return (await this.alerts.list(query.limit ?? 50)).map(view);
  }

  @Get('thresholds')
  @Roles(...READERS)
  @ApiOperation({ summary: 'The thresholds in force (ALERT_* settings)' })
  @ApiOkResponse({ type: AlertThresholdsView })
  thresholds(): AlertThresholdsView {
    return this.config.alerts;
  }

  @Get(':id')
  @Roles(...READERS)
  @ApiOperation({ summary: 'One alert with its evidence' })
  @ApiOkResponse({ type: AlertView })
  async get(@Param('id', new ParseUUIDPipe()) id: string): Promise<AlertView> {
    return view(await this.alerts.get(id));
  }

  @Post('scan')
  @Roles(...ADMINS)
  @HttpCode(200)
  @ApiOperation({ summary: 'Look for jumps now (the scan also runs every 5 minutes); the alerts it opened' })
  @ApiOkResponse({ type: [AlertView] })
  async scan(): Promise<AlertView[]> {
    return (await this.alerts.scan(this.clock.now())).map(view);
  }
}
