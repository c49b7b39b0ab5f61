import {
  Body,
  Controller,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
  Put,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEnum,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
} from 'class-validator';
import type { Response } from 'express';
import {
  LinkProposal,
  Monitor,
  MonitorKind,
  MonitorRun,
  ProposalStatus,
  RunStatus,
  type StepResult,
} from '@app/database';
import { MonitorService } from '@app/monitoring';
import { ADMINS, READERS, Roles, TRIAGERS } from '../auth/access.decorators';
import { type AuthenticatedRequest, actorOf } from '../auth/api-key.guard';

class MonitorBody {
  @ApiProperty({ example: 'Paris → Lille booking' }) @IsString() @Length(1, 120) name: string;
  @ApiProperty({ enum: MonitorKind })
  @IsEnum(MonitorKind, { message: 'kind must be http or browser' })
  kind: MonitorKind;

  @ApiProperty({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    description: 'The journey (docs/MONITORS.md)',
  })
  @IsArray()
  @ArrayMaxSize(50)
  steps: Record<string, unknown>[];

  @ApiPropertyOptional({ minimum: 30, maximum: 86_400, default: 300 })
  @IsOptional()
  @IsInt()
  @Min(30)
  @Max(86_400)
  everySeconds?: number;

  @ApiPropertyOptional({ minimum: 1_000, maximum: 600_000, default: 60_000 })
  @IsOptional()
  @IsInt()
  @Min(1_000)
  @Max(600_000)
  timeoutMs?: number;

  @ApiPropertyOptional({ nullable: true, type: Number, description: 'Slower than this is slow (ms)' })
  @IsOptional()
  @ValidateIf((body: MonitorBody) => body.slowMs !== null)
  @IsInt()
  @Min(1)
  slowMs?: number | null;

  @ApiPropertyOptional({ nullable: true, type: String, description: 'KPI its journey time feeds (seconds)' })
  @IsOptional()
  @ValidateIf((body: MonitorBody) => body.kpiKey !== null)
  @Matches(/^[a-z][a-z0-9_]{0,39}$/, { message: 'kpiKey must be a KPI key' })
  kpiKey?: string | null;

  @ApiPropertyOptional({ type: [String], description: 'Irritants of these categories are linked to it' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @Matches(/^[a-z][a-z0-9_]{0,31}$/, { each: true, message: 'categories must be category keys' })
  categories?: string[];

  @ApiPropertyOptional() @IsOptional() @IsBoolean() enabled?: boolean;
}

class RunsQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

class StatsQuery {
  @ApiPropertyOptional({ enum: ['day', 'week'], default: 'day' })
  @IsOptional()
  @IsIn(['day', 'week'], { message: 'by must be day or week' })
  by?: 'day' | 'week';

  @ApiPropertyOptional({ minimum: 1, maximum: 366, default: 30 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(366)
  days?: number;
}

class LinkBody {
  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID('all', { message: 'monitorId must be a monitor id' })
  monitorId?: string;
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^[a-z][a-z0-9_]{0,39}$/, { message: 'kpiKey must be a KPI key' })
  kpiKey?: string;
}

class ProposalsQuery {
  @ApiPropertyOptional({ enum: ProposalStatus, default: ProposalStatus.Proposed })
  @IsOptional()
  @IsEnum(ProposalStatus, { message: 'status must be proposed, accepted or dismissed' })
  status?: ProposalStatus;
}

class ProposalView {
  @ApiProperty() id: string;
  @ApiProperty() irritantId: string;
  @ApiProperty() isoWeek: string;
  @ApiProperty({ nullable: true, type: String }) monitorId: string | null;
  @ApiProperty({ nullable: true, type: String }) kpiKey: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'Times and values that make the case',
  })
  evidence: Record<string, unknown>;
  @ApiProperty({ enum: ProposalStatus }) status: string;
}

const proposalView = (proposal: LinkProposal): ProposalView => ({
  id: proposal.id,
  irritantId: proposal.irritantId,
  isoWeek: proposal.isoWeek,
  monitorId: proposal.monitorId,
  kpiKey: proposal.kpiKey,
  evidence: proposal.evidence,
  status: proposal.status,
});

class MonitorView {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: MonitorKind }) kind: string;
  @ApiProperty({ type: 'array', items: { type: 'object', additionalProperties: true } })
  steps: Record<string, unknown>[];
  @ApiProperty() everySeconds: number;
  @ApiProperty() timeoutMs: number;
  @ApiProperty({ nullable: true, type: Number }) slowMs: number | null;
  @ApiProperty({ nullable: true, type: String }) kpiKey: string | null;
  @ApiProperty({ type: [String] }) categories: string[];
  @ApiProperty() enabled: boolean;
  @ApiProperty({ nullable: true, type: String }) lastRunAt: string | null;
  @ApiProperty({ nullable: true, type: String, enum: ['ok', 'slow', 'failed'] }) lastStatus: string | null;
}

class StepResultView implements StepResult {
  @ApiProperty() name: string;
  @ApiProperty({ enum: ['ok', 'failed', 'skipped'] }) status: 'ok' | 'failed' | 'skipped';
  @ApiProperty({ description: 'Time taken (ms)' }) ms: number;
  @ApiPropertyOptional({ description: 'Why it failed' }) error?: string;
}

class RunView {
  @ApiProperty() id: string;
  @ApiProperty() startedAt: string;
  @ApiProperty() durationMs: number;
  @ApiProperty({ enum: ['ok', 'slow', 'failed'] }) status: string;
  @ApiProperty({ type: [StepResultView] }) steps: StepResultView[];
  @ApiProperty({ nullable: true, type: String, description: 'Where the failed step’s screenshot is' })
  screenshotUrl: string | null;
}

class MonitorStatView {
  @ApiProperty({ description: 'The day (YYYY-MM-DD) or ISO week (2026-W48)' }) period: string;
  @ApiProperty() runs: number;
  @ApiProperty({ description: 'Runs that passed (ok or slow)' }) ok: number;
  @ApiProperty({ description: 'ok / runs, in %' }) availability: number;
  @ApiProperty({ nullable: true, type: Number, description: '95th percentile journey time (ms)' })
  p95: number | null;
}

class LinkedView {
  @ApiProperty({ description: 'Always true' }) linked: boolean;
}

const view = (monitor: Monitor): MonitorView => ({
  id: monitor.id,
  name: monitor.name,
  kind: monitor.kind,
  steps: monitor.steps,
  everySeconds: monitor.everySeconds,
  timeoutMs: monitor.timeoutMs,
  slowMs: monitor.slowMs,
  kpiKey: monitor.kpiKey,
  categories: monitor.categories,
  enabled: monitor.enabled,
  lastRunAt: monitor.lastRunAt?.toISOString() ?? null,
  lastStatus: monitor.lastStatus,
});

const runView = (run: MonitorRun & { hasScreenshot?: boolean }): RunView => ({
  id: run.id,
  startedAt: run.startedAt.toISOString(),
  durationMs: run.durationMs,
  status: run.status,
  steps: run.steps,
  screenshotUrl:
    run.status === RunStatus.Failed && run.steps.some((step) => step.status === 'failed')
      ? `/api/v1/monitors/runs/${run.id}/screenshot`
      : null,
});

@ApiTags('monitors')
@ApiBearerAuth()
@Controller('api/v1')
export class MonitorsController {
  constructor(private readonly monitors: MonitorService) {}

  @Post('monitors')
  @Roles(...ADMINS)
  @ApiOperation({ summary: 'Define a synthetic journey (admin): HTTP steps or browser steps' })
  @ApiCreatedResponse({ type: MonitorView })
  async create(@Body() body: MonitorBody): Promise<MonitorView> {
    return view(await this.monitors.save(body));
  }

  @Get('monitors')
  @Roles(...READERS)
  @ApiOperation({ summary: 'Monitors with their last status' })
  @ApiOkResponse({ type: [MonitorView] })
  async list(): Promise<MonitorView[]> {
    return (await this.monitors.list()).map(view);
  }

  @Put('monitors/:id')
  @Roles(...ADMINS)
  @ApiOperation({ summary: 'Change a monitor (admin)' })
  @ApiOkResponse({ type: MonitorView })
  async update(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: MonitorBody,
  ): Promise<MonitorView> {
    return view(await this.monitors.save(body, id));
  }

  @Post('monitors/:id/run')
  @Roles(...ADMINS)
  @HttpCode(200)
  @ApiOperation({ summary: 'Run a monitor now (admin)' })
  @ApiOkResponse({ type: RunView })
  async runNow(@Param('id', new ParseUUIDPipe()) id: string): Promise<RunView> {
    await this.monitors.get(id);
    await this.monitors.run(id);
    const [run] = await this.monitors.runs(id, 1);
    return runView(run);
  }

  @Get('monitors/:id/runs')
  @Roles(...READERS)
  @ApiOperation({ summary: 'A monitor’s latest runs, step by step' })
  @ApiOkResponse({ type: [RunView] })
  async runs(@Param('id', new ParseUUIDPipe()) id: string, @Query() query: RunsQuery): Promise<RunView[]> {
    return (await this.monitors.runs(id, query.limit ?? 50)).map(runView);
  }

  @Get('monitors/:id/stats')
  @Roles(...READERS)
  @ApiOperation({ summary: 'Availability (%) and p95 journey time (ms) per day or ISO week' })
  @ApiOkResponse({ type: [MonitorStatView] })
  async stats(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() query: StatsQuery,
  ): Promise<MonitorStatView[]> {
    return this.monitors.stats(id, query.by ?? 'day', query.days ?? 30);
  }

  @Get('monitors/runs/:runId/screenshot')
  @Roles(...READERS)
  @ApiOperation({ summary: 'The screenshot of a failed browser step (PNG)' })
  @ApiProduces('image/png')
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  async screenshot(
    @Param('runId', new ParseUUIDPipe()) runId: string,
    @Res() response: Response,
  ): Promise<void> {
    const png = await this.monitors.screenshot(runId);
    if (!png) throw new NotFoundException(`run ${runId} has no screenshot`);
    response.type('image/png').send(png);
  }

  @Get('link-proposals')
  @Roles(...READERS)
  @ApiOperation({
    summary:
      'Links the product proposes: an irritant’s volume jumped while a monitor failed or a KPI left its target',
  })
  @ApiOkResponse({ type: [ProposalView] })
  async proposals(@Query() query: ProposalsQuery): Promise<ProposalView[]> {
    return (await this.monitors.proposals(query.status ?? ProposalStatus.Proposed, 100)).map(proposalView);
  }

  @Post('link-proposals/:id/accept')
  @Roles(...TRIAGERS)
  @HttpCode(200)
  @ApiOperation({ summary: 'Accept a proposed link (triager): it becomes a link' })
  @ApiOkResponse({ type: ProposalView })
  async accept(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Req() request: AuthenticatedRequest,
  ): Promise<ProposalView> {
    return proposalView(await this.monitors.settleProposal(id, true, actorOf(request)));
  }

  @Post('link-proposals/:id/dismiss')
  @Roles(...TRIAGERS)
  @HttpCode(200)
  @ApiOperation({ summary: 'Dismiss a proposed link (triager)' })
  @ApiOkResponse({ type: ProposalView })
  async dismiss(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Req() request: AuthenticatedRequest,
  ): Promise<ProposalView> {
    return proposalView(await this.monitors.settleProposal(id, false, actorOf(request)));
  }

  @Post('irritants/:id/links')
  @Roles(...TRIAGERS)
  @HttpCode(200)
  @ApiOperation({ summary: 'Link an irritant to a monitor or a KPI by hand (triager)' })
  @ApiOkResponse({ type: LinkedView })
  async link(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: LinkBody,
    @Req() request: AuthenticatedRequest,
  ): Promise<LinkedView> {
    await this.monitors.link(id, body, actorOf(request));
    return { linked: true };
  }
}
