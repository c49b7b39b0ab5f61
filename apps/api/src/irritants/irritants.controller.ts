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
  Patch,
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
  ApiCreatedResponse,
  ApiOkResponse,
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
import {
  IrritantTitleService,
  IrritantTriageService,
  RegroupService,
  RegroupSummary,
  TaxonomyService,
} from '@app/analysis';
import { APP_CONFIG, AppConfig, Clock } from '@app/config';
import { BoardService } from '@app/board';
import {
  BoardRepository,
  Irritant,
  IrritantRepository,
  RedirectRepository,
  irritantTitle,
} from '@app/database';
import { AXES, Axis, isoWeekOf } from '@app/scoring';
import { ActorNames } from '../people/actor-names';
import { type AuthenticatedRequest, actorOf } from '../auth/api-key.guard';
import { ADMINS, READERS, Roles, TRIAGERS } from '../auth/access.decorators';

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

/** A PATCH of an irritant: its name, its category, or both. */
class UpdateIrritantBody {
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    maxLength: 200,
    description:
      'What the team calls it: shown instead of the generated title everywhere, kept across regroupings; null gives it back its generated title',
  })
  @IsOptional()
  @ValidateIf((body: UpdateIrritantBody) => body.name !== null)
  @IsString({ message: 'name must be a string, or null to go back to the generated title' })
  @Matches(/\S/, { message: 'name must not be blank' })
  @Length(1, 200)
  name?: string | null;

  @ApiPropertyOptional({
    example: 'payment',
    description:
      "The irritant's category (a key of GET /api/v1/categories): it no longer follows its verbatims' majority",
  })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z][a-z0-9_]{0,31}$/, { message: 'category must be a category key' })
  category?: string;
}

class MergeIrritantBody {
  @ApiProperty({ description: 'The irritant this one is merged into (it keeps its id)' })
  @IsUUID('all', { message: 'into must be an irritant id' })
  into: string;
}

class RegroupView implements RegroupSummary {
  @ApiProperty({ description: 'Verbatims of the recent window regrouped' }) windowVerbatims: number;
  @ApiProperty() irritantsBefore: number;
  @ApiProperty() irritantsAfter: number;
  @ApiProperty({ description: 'Irritants merged into another (their ids redirect to it)' }) merged: number;
  @ApiProperty({ description: 'Irritants started for topics split off others' }) created: number;
  @ApiProperty({ description: 'Verbatims that changed irritant' }) moved: number;
  @ApiProperty() seconds: number;
}

class OtherLanguageTitle {
  @ApiProperty({ enum: ['fr', 'en'] }) lang: string;
  @ApiProperty() title: string;
}

class IrritantView {
  @ApiProperty() id: string;
  @ApiProperty({
    description: 'The majority category of its verbatims, or the one a person set (categorySetBy)',
  })
  category: string;
  @ApiProperty({ nullable: true, type: String, description: 'Who set the category by hand' })
  categorySetBy: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The main language of its verbatims' })
  lang: string | null;
  @ApiProperty({
    description:
      'A person decided on it (merge, split, move): the regrouping leaves its verbatims where they are',
  })
  held: boolean;
  @ApiProperty({
    description:
      'What it is called: the name a triager gave it, else its generated title (the other language beside it), else its distinctive words until first titled',
  })
  label: string;
  @ApiProperty({ nullable: true, type: String, description: 'The name a triager gave it (null: none)' })
  name: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'A short phrase in its customers’ own words, in its main language (null: not yet titled)',
  })
  title: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The language of `title`' })
  titleLang: string | null;
  @ApiProperty({
    nullable: true,
    type: OtherLanguageTitle,
    description: 'The title in the other language, when some of its verbatims are in it',
  })
  otherTitle: OtherLanguageTitle | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Its most representative verbatim (redacted, closing and signature off)',
  })
  quote: string | null;
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
  categorySetBy: irritant.categorySetBy ?? null,
  lang: irritant.lang ?? null,
  held: irritant.heldAt !== null && irritant.heldAt !== undefined,
  label: irritantTitle(irritant),
  name: irritant.name,
  title: irritant.title,
  titleLang: irritant.titleLang,
  otherTitle:
    irritant.titleOther && irritant.titleOtherLang
      ? { lang: irritant.titleOtherLang, title: irritant.titleOther }
      : null,
  quote: irritant.titleQuote,
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
    private readonly titles: IrritantTitleService,
    private readonly boards: BoardService,
    private readonly boardRows: BoardRepository,
    private readonly redirects: RedirectRepository,
    private readonly names: ActorNames,
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly regrouping: RegroupService,
    private readonly taxonomy: TaxonomyService,
  ) {}

  @Post('regroup')
  @Roles(...ADMINS)
  @HttpCode(200)
  @ApiOperation({
    summary:
      "Regroup the recent window's irritants now (admin, audited): near-duplicates merged, incoherent ones split; people's decisions kept",
  })
  @ApiOkResponse({ type: RegroupView })
  async regroup(@Req() request: AuthenticatedRequest): Promise<RegroupView> {
    return this.regrouping.regroup('admin', actorOf(request));
  }

  @Patch(':id')
  @Roles(...TRIAGERS)
  @ApiOperation({
    summary:
      "Rename an irritant or set its category (audited): a name wins over the generated title on the board, tickets, the digest and exports and is kept across regroupings; a category set by hand no longer follows its verbatims' majority",
  })
  @ApiOkResponse({ type: IrritantDetail })
  async update(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: UpdateIrritantBody,
    @Req() request: AuthenticatedRequest,
  ): Promise<IrritantDetail> {
    if (body.name === undefined && body.category === undefined)
      throw new BadRequestException('nothing to change: give a name (or null), a category, or both');
    if (body.category !== undefined) {
      await this.taxonomy.check(body.category);
      await this.triage.setCategory(id, body.category, actorOf(request));
    }
    if (body.name !== undefined) {
      const name = body.name === null ? null : body.name.trim().replace(/\s+/g, ' ');
      await this.titles.rename(id, name, actorOf(request));
    }
    // Live boards copy what an irritant is called and its category: they, and the tickets and
    // digest that read them, show it at once.
    await this.boards.refreshFor([id]);
    return this.detail(id);
  }

  @Get()
  @Roles(...READERS)
  @ApiOperation({ summary: 'Irritants, most customers hurt first' })
  @ApiOkResponse({ type: [IrritantView] })
  async list(@Query() query: ListIrritantsQuery): Promise<IrritantView[]> {
    return (await this.irritants.list({ category: query.category, limit: query.limit ?? 50 })).map(view);
  }

  @Post(':id/merge')
  @Roles(...TRIAGERS)
  @HttpCode(200)
  @ApiOperation({
    summary: 'Merge this irritant into another (audited); later verbatims of its topic join the merged one',
  })
  @ApiOkResponse({ type: IrritantDetail, description: 'The irritant it was merged into' })
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
  @ApiCreatedResponse({ type: IrritantDetail, description: 'The new irritant' })
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
  @ApiOkResponse({ type: [OverrideView], description: 'Every override of the irritant, oldest first' })
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
  @ApiOkResponse({ type: [OverrideView] })
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
  @ApiOkResponse({ type: [WeeklyReachView] })
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
  @ApiOkResponse({ type: IrritantDetail })
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
