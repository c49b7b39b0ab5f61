import {
  BadRequestException,
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
  Put,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { AcceptsBody, BATCH_BODY_BYTES } from '../http/body-parser';
import type { Response } from 'express';
import {
  ApiBearerAuth,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsInt,
  IsOptional,
  IsUUID,
  IsNumber,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
} from 'class-validator';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { IrritantTriageService } from '@app/analysis';
import { APP_CONFIG, AppConfig, Clock } from '@app/config';
import { BoardService } from '@app/board';
import { BoardRepository, Irritant, IrritantRepository, RedirectRepository } from '@app/database';
import { AXES, Axis, isoWeekOf } from '@app/scoring';
import { ActorNames } from '../people/actor-names';
import { type AuthenticatedRequest, actorOf } from '../auth/api-key.guard';
import { READERS, Roles, TRIAGERS } from '../auth/access.decorators';

class ListIrritantsQuery {
  @ApiPropertyOptional({ description: 'Category key' })
  @IsOptional()
  @Matches(/^[a-z][a-z0-9_]{0,31}$/, { message: 'category must be a category key' })
  category?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

class SplitIrritantBody {
  @ApiProperty({
    type: [String],
    description: 'Verbatims of this irritant that make a new irritant of their own (at least one stays)',
  })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(1_000)
  @IsUUID('all', { each: true, message: 'verbatimIds must be verbatim ids' })
  verbatimIds: string[];
}

class OverrideAxisBody {
  @ApiProperty({
    nullable: true,
    type: Number,
    minimum: 0,
    maximum: 100,
    description: 'null lifts the override',
  })
  @ValidateIf((body: OverrideAxisBody) => body.score !== null)
  @IsNumber({}, { message: 'score must be a number 0-100, or null to lift the override' })
  @Min(0)
  @Max(100)
  score: number | null;

  @ApiProperty({ description: 'Why: shown on the board next to the score' })
  @IsString()
  @Length(3, 500)
  reason: string;
}

class OverrideView {
  @ApiProperty({ enum: AXES }) axis: string;
  @ApiProperty({ nullable: true, type: Number }) score: number | null;
  @ApiProperty() reason: string;
  @ApiProperty({ description: 'Who: `user:<id>` or `apikey:<id>`' }) by: string;
  @ApiProperty({ description: 'Who, as people read it: the person’s display name or the key’s name' })
  byName: string;
  @ApiProperty() at: string;
}

class WeeklyReachQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 104, default: 12 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(104)
  weeks?: number;
}

class WeeklyReachView {
  @ApiProperty({ example: '2026-W48' }) isoWeek: string;
  @ApiProperty({ description: 'Distinct customers (hashed authors) who wrote about it that week' })
  customers: number;
  @ApiProperty() verbatims: number;
  @ApiProperty({ description: 'The week is not over yet (the current week): its figures will grow' })
  partial: boolean;
}

class MergeIrritantBody {
  @ApiProperty({ description: 'The irritant this one is merged into (it keeps its id)' })
  @IsUUID('all', { message: 'into must be an irritant id' })
  into: string;
}

class IrritantView {
  @ApiProperty() id: string;
  @ApiProperty() category: string;
  @ApiProperty({ description: 'Its most distinctive words' }) label: string;
  @ApiProperty() verbatimCount: number;
  @ApiProperty({ description: 'Distinct customers (hashed authors) across channels' })
  distinctCustomers: number;
  @ApiProperty() firstSeenAt: string;
  @ApiProperty() lastSeenAt: string;
}

class IrritantQuote {
  @ApiProperty() id: string;
  @ApiProperty() source: string;
  @ApiProperty() channel: string;
  @ApiProperty() receivedAt: string;
  @ApiProperty({ description: 'Redacted text' }) text: string;
}

class IrritantDetail extends IrritantView {
  @ApiProperty({ type: [IrritantQuote], description: 'Its most recent verbatims, redacted' })
  quotes: IrritantQuote[];
}

const view = (irritant: Irritant): IrritantView => ({
  id: irritant.id,
  category: irritant.category,
  label: irritant.label,
  verbatimCount: irritant.verbatimCount,
  distinctCustomers: irritant.distinctCustomers,
  firstSeenAt: irritant.firstSeenAt.toISOString(),
  lastSeenAt: irritant.lastSeenAt.toISOString(),
});

@ApiTags('irritants')
@ApiBearerAuth()
// Verbatim ids come by the thousand (1,000 per request): more than the default megabyte.
@AcceptsBody({ limit: BATCH_BODY_BYTES })
@Controller('api/v1/irritants')
export class IrritantsController {
  constructor(
    private readonly irritants: IrritantRepository,
    private readonly triage: IrritantTriageService,
    private readonly boards: BoardService,
    private readonly boardRows: BoardRepository,
    private readonly redirects: RedirectRepository,
    private readonly names: ActorNames,
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @Roles(...READERS)
  @ApiOperation({ summary: 'Irritants, most customers hurt first' })
  async list(@Query() query: ListIrritantsQuery): Promise<IrritantView[]> {
    return (await this.irritants.list({ category: query.category, limit: query.limit ?? 50 })).map(view);
  }

  @Post(':id/merge')
  @Roles(...TRIAGERS)
  @HttpCode(200)
  @ApiOperation({
    summary: 'Merge this irritant into another (audited); later verbatims of its topic join the merged one',
  })
  async merge(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: MergeIrritantBody,
    @Req() request: AuthenticatedRequest,
  ): Promise<IrritantDetail> {
    await this.triage.merge(id, body.into, actorOf(request));
    // The live boards that showed either (or hold their verbatims) show the merged one at once.
    await this.boards.refreshFor([id, body.into]);
    return this.detail(body.into);
  }

  @Post(':id/split')
  @Roles(...TRIAGERS)
  @HttpCode(201)
  @ApiOperation({
    summary:
      'Split verbatims off this irritant into a new one (audited); they stay there, and later verbatims like them join it',
  })
  async split(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: SplitIrritantBody,
    @Req() request: AuthenticatedRequest,
  ): Promise<IrritantDetail> {
    const created = await this.triage.split(id, body.verbatimIds, actorOf(request));
    await this.boards.refreshFor([id, created]);
    return this.detail(created);
  }

  @Put(':id/axes/:axis')
  @Roles(...TRIAGERS)
  @ApiOperation({
    summary:
      'Override one axis score of an irritant with a reason (audited); live boards use it from now on, frozen ones keep theirs',
  })
  async overrideAxis(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('axis') axis: string,
    @Body() body: OverrideAxisBody,
    @Req() request: AuthenticatedRequest,
  ): Promise<OverrideView[]> {
    if (!(AXES as readonly string[]).includes(axis)) {
      throw new BadRequestException(`axis must be one of ${AXES.join(', ')}`);
    }
    await this.boards.overrideAxis(id, axis as Axis, body.score, body.reason, actorOf(request));
    return this.overrides(id);
  }

  @Get(':id/overrides')
  @Roles(...READERS)
  @ApiOperation({ summary: 'Every axis override of an irritant, oldest first (who, when, score, reason)' })
  async overrides(@Param('id', new ParseUUIDPipe()) id: string): Promise<OverrideView[]> {
    return this.names.name(
      (await this.boardRows.overrideHistory(id)).map((row) => ({
        axis: row.axis,
        score: row.score,
        reason: row.reason,
        by: row.actor,
        at: row.createdAt.toISOString(),
      })),
    );
  }

  @Get(':id/weekly')
  @Roles(...READERS)
  @ApiOperation({
    summary:
      'Customers (and verbatims) per ISO week over the last weeks, oldest first, weeks without any included; the current week is partial',
  })
  async weekly(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() query: WeeklyReachQuery,
  ): Promise<WeeklyReachView[]> {
    if (!(await this.irritants.findById(id))) throw new NotFoundException(`irritant ${id} does not exist`);
    const weeks = query.weeks ?? 12;
    const zone = this.config.timeZone;
    const now = DateTime.fromJSDate(this.clock.now(), { zone });
    const from = now.startOf('week').minus({ weeks: weeks - 1 });
    const rows: { monday: string; customers: number; verbatims: number }[] = await this.dataSource.query(
      `SELECT to_char(date_trunc('week', received_at AT TIME ZONE $3), 'YYYY-MM-DD') AS monday,
              count(DISTINCT author_key)::int AS customers, count(*)::int AS verbatims
         FROM verbatim
        WHERE irritant_id = $1 AND received_at >= $2 AND received_at < $4
        GROUP BY 1`,
      [id, from.toJSDate(), zone, now.startOf('week').plus({ weeks: 1 }).toJSDate()],
    );
    const byMonday = new Map(rows.map((row) => [row.monday, row]));
    return Array.from({ length: weeks }, (_, index) => {
      const monday = from.plus({ weeks: index });
      const row = byMonday.get(monday.toFormat('yyyy-MM-dd'));
      return {
        isoWeek: isoWeekOf(monday.toJSDate(), zone),
        customers: row?.customers ?? 0,
        verbatims: row?.verbatims ?? 0,
        partial: index === weeks - 1,
      };
    });
  }

  @Get(':id')
  @Roles(...READERS)
  @ApiOperation({ summary: 'One irritant with its most recent verbatims (redacted)' })
  @ApiResponse({
    status: 301,
    description:
      'It was merged into another (or emptied by moves): Location names the irritant it lives on as',
  })
  async get(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<IrritantDetail | undefined> {
    const irritant = await this.irritants.findById(id);
    if (!irritant) {
      const moved = await this.redirects.find(id);
      if (!moved) throw new NotFoundException(`irritant ${id} does not exist`);
      response.redirect(301, `/api/v1/irritants/${moved.toId}`);
      return undefined;
    }
    return this.detail(id);
  }

  private async detail(id: string): Promise<IrritantDetail> {
    const irritant = await this.irritants.findById(id);
    if (!irritant) throw new NotFoundException(`irritant ${id} does not exist`);
    const samples = await this.irritants.samples(id, 10);
    return {
      ...view(irritant),
      // Clustered verbatims have passed the ingest stage: their redacted text is always there.
      quotes: samples.map((verbatim) => ({
        id: verbatim.id,
        source: verbatim.source?.name ?? '',
        channel: verbatim.channel,
        receivedAt: verbatim.receivedAt.toISOString(),
        text: verbatim.redactedText ?? '',
      })),
    };
  }
}
