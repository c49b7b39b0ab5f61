import {
  BadRequestException,
  Body,
  Controller,
  Get,
  HttpCode,
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
import { IrritantTitleService, IrritantTriageService } from '@app/analysis';
import { BoardService } from '@app/board';
import {
  BoardRepository,
  Irritant,
  IrritantRepository,
  RedirectRepository,
  irritantTitle,
} from '@app/database';
import { AXES, Axis } from '@app/scoring';
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
  @ApiProperty() by: string;
  @ApiProperty() at: string;
}

class RenameIrritantBody {
  @ApiProperty({
    nullable: true,
    type: String,
    maxLength: 200,
    description:
      'What the team calls it: shown instead of the generated title everywhere, kept across regroupings; null gives it back its generated title',
  })
  @ValidateIf((body: RenameIrritantBody) => body.name !== null)
  @IsString({ message: 'name must be a string, or null to go back to the generated title' })
  @Matches(/\S/, { message: 'name must not be blank' })
  @Length(1, 200)
  name: string | null;
}

class MergeIrritantBody {
  @ApiProperty({ description: 'The irritant this one is merged into (it keeps its id)' })
  @IsUUID('all', { message: 'into must be an irritant id' })
  into: string;
}

class OtherLanguageTitle {
  @ApiProperty({ enum: ['fr', 'en'] }) lang: string;
  @ApiProperty() title: string;
}

class IrritantView {
  @ApiProperty() id: string;
  @ApiProperty() category: string;
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
@Controller('api/v1/irritants')
export class IrritantsController {
  constructor(
    private readonly irritants: IrritantRepository,
    private readonly triage: IrritantTriageService,
    private readonly titles: IrritantTitleService,
    private readonly boards: BoardService,
    private readonly boardRows: BoardRepository,
    private readonly redirects: RedirectRepository,
  ) {}

  @Get()
  @Roles(...READERS)
  @ApiOperation({ summary: 'Irritants, most customers hurt first' })
  async list(@Query() query: ListIrritantsQuery): Promise<IrritantView[]> {
    return (await this.irritants.list({ category: query.category, limit: query.limit ?? 50 })).map(view);
  }

  @Patch(':id')
  @Roles(...TRIAGERS)
  @ApiOperation({
    summary:
      'Rename an irritant (audited): its name wins over the generated title on the board, tickets, the digest and exports, and is kept across regroupings',
  })
  async rename(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: RenameIrritantBody,
    @Req() request: AuthenticatedRequest,
  ): Promise<IrritantDetail> {
    const name = body.name === null ? null : body.name.trim().replace(/\s+/g, ' ');
    await this.titles.rename(id, name, actorOf(request));
    // Live boards copy what an irritant is called: they, and the tickets and digest that read them, show it at once.
    await this.boards.refreshFor([id]);
    return this.detail(id);
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
    return (await this.boardRows.overrideHistory(id)).map((row) => ({
      axis: row.axis,
      score: row.score,
      reason: row.reason,
      by: row.actor,
      at: row.createdAt.toISOString(),
    }));
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
