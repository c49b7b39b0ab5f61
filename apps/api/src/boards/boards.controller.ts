import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Put, Query, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { Type } from 'class-transformer';
import type { Request, Response } from 'express';
import {
  IsEnum,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
} from 'class-validator';
import { BoardService, BoardWithItems, DecisionService } from '@app/board';
import { BoardItem, Decision, DecisionKind } from '@app/database';
import { AXES, Axis, Language } from '@app/scoring';
import { READERS, Roles, TRIAGERS } from '../auth/access.decorators';
import { type AuthenticatedRequest, actorOf } from '../auth/api-key.guard';
import { ApiLanguage, AxisScoreView, LanguageQuery, answerLanguage, axisView } from '../http/language';

class BoardQuery extends LanguageQuery {
  @ApiPropertyOptional({ description: 'Category key' })
  @IsOptional()
  @Matches(/^[a-z][a-z0-9_]{0,31}$/, { message: 'category must be a category key' })
  category?: string;

  @ApiPropertyOptional({
    enum: AXES,
    description: 'With `above`: only items whose score on this axis is at least `above`',
  })
  @IsOptional()
  @IsIn(AXES, { message: `axis must be one of ${AXES.join(', ')}` })
  axis?: Axis;

  @ApiPropertyOptional({ minimum: 0, maximum: 100 })
  @ValidateIf((query: BoardQuery) => query.above !== undefined || query.axis !== undefined)
  @Type(() => Number)
  @IsNumber({}, { message: 'above must be a number 0-100 (and goes with axis)' })
  @Min(0)
  @Max(100)
  above?: number;

  @ApiPropertyOptional({ description: 'Only items with verbatims from this channel' })
  @IsOptional()
  @Matches(/^[a-z_]{1,16}$/, { message: 'channel must be a channel name' })
  channel?: string;

  @ApiPropertyOptional({ enum: ['desktop_web', 'mobile_web', 'ios_app', 'android_app'] })
  @IsOptional()
  @IsIn(['desktop_web', 'mobile_web', 'ios_app', 'android_app'], {
    message: 'terminal must be a terminal name',
  })
  terminal?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

class AxesView {
  @ApiProperty() client: AxisScoreView;
  @ApiProperty() business: AxisScoreView;
  @ApiProperty() legal: AxisScoreView;
  @ApiProperty() technical: AxisScoreView;
}

class QuoteView {
  @ApiProperty() verbatimId: string;
  @ApiProperty() channel: string;
  @ApiProperty() receivedAt: string;
  @ApiProperty({ description: 'Redacted text' }) text: string;
}

class BoardItemView {
  @ApiProperty() rank: number;
  @ApiProperty() irritantId: string;
  @ApiProperty() category: string;
  @ApiProperty() label: string;
  @ApiProperty({ description: 'Weighted total of the four axes, 0-100' }) total: number;
  @ApiProperty() axes: AxesView;
  @ApiProperty({ enum: ['new', 'up', 'down', 'unchanged'] }) movement: string;
  @ApiProperty({ nullable: true, type: Number, description: 'Places gained (+) or lost (-) since last week' })
  rankChange: number | null;
  @ApiProperty() verbatimCount: number;
  @ApiProperty() distinctCustomers: number;
  @ApiProperty({ type: [String] }) channels: string[];
  @ApiProperty({ type: [String] }) terminals: string[];
  @ApiProperty({ type: [QuoteView] }) quotes: QuoteView[];
  @ApiProperty({
    type: 'array',
    items: { type: 'object' },
    description: 'Linked monitors and how they did that week: {id, name, status: ok|slow|failing|no runs}',
  })
  monitors: { id: string; name: string; status: string }[];
  @ApiProperty({
    type: 'array',
    items: { type: 'object' },
    description: 'Linked KPIs that week: {key, name, value, target}',
  })
  kpis: { key: string; name: string; value: number | null; target: number | null }[];
}

class BoardView {
  @ApiProperty({ example: '2026-W48' }) isoWeek: string;
  @ApiProperty({ enum: ['live', 'frozen'] }) status: string;
  @ApiProperty() computedAt: string;
  @ApiProperty({ nullable: true, type: String }) frozenAt: string | null;
  @ApiProperty({ description: 'Scoring profile' }) profile: string;
  @ApiProperty({ type: [BoardItemView] }) items: BoardItemView[];
}

const itemView = (item: BoardItem, lang: Language): BoardItemView => ({
  rank: item.rank,
  irritantId: item.irritantId,
  category: item.category,
  label: item.label,
  total: item.total,
  axes: {
    client: axisView(item.axes.client, lang),
    business: axisView(item.axes.business, lang),
    legal: axisView(item.axes.legal, lang),
    technical: axisView(item.axes.technical, lang),
  },
  movement: item.movement,
  rankChange: item.rankChange,
  verbatimCount: item.verbatimCount,
  distinctCustomers: item.distinctCustomers,
  channels: item.channels,
  terminals: item.terminals,
  quotes: item.quotes,
  monitors: item.monitors,
  kpis: item.kpis,
});

const view = ({ board, items }: BoardWithItems, lang: Language): BoardView => ({
  isoWeek: board.isoWeek,
  status: board.status,
  computedAt: board.computedAt.toISOString(),
  frozenAt: board.frozenAt?.toISOString() ?? null,
  profile: board.profile,
  items: items.map((item) => itemView(item, lang)),
});

class BoardWeekView {
  @ApiProperty({ example: '2026-W48' }) isoWeek: string;
  @ApiProperty({ enum: ['live', 'frozen'] }) status: string;
  @ApiProperty() computedAt: string;
  @ApiProperty({ nullable: true, type: String }) frozenAt: string | null;
}

class WeeksQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 520, default: 104 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(520)
  limit?: number;
}

class BoardItemRead {
  @ApiProperty({ example: '2026-W48' }) isoWeek: string;
  @ApiProperty({ enum: ['live', 'frozen'] }) status: string;
  @ApiProperty({ type: BoardItemView }) item: BoardItemView;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'The verbatim pinned as its quote for the digest',
  })
  pinnedVerbatimId: string | null;
}

class DecisionBody {
  @ApiProperty({ enum: DecisionKind })
  @IsEnum(DecisionKind, { message: `kind must be one of ${Object.values(DecisionKind).join(', ')}` })
  kind: DecisionKind;

  @ApiPropertyOptional({ description: 'For `route` only: the department (see DEPARTMENTS)' })
  @IsOptional()
  @Matches(/^[a-z][a-z0-9_]{0,39}$/, { message: 'department must be a department key' })
  department?: string;

  @ApiPropertyOptional({ description: 'Who carries it (a person or a team); tickets are filtered by it' })
  @IsOptional()
  @IsString()
  @Length(1, 120)
  owner?: string;

  @ApiPropertyOptional({ example: '12.5.0' })
  @IsOptional()
  @IsString()
  @Length(1, 60)
  targetRelease?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  comment?: string;
}

class PinQuoteBody {
  @ApiProperty({ description: 'A verbatim of this irritant' })
  @IsUUID('all', { message: 'verbatimId must be a verbatim id' })
  verbatimId: string;
}

class DecisionView {
  @ApiProperty() id: string;
  @ApiProperty() isoWeek: string;
  @ApiProperty() irritantId: string;
  @ApiProperty({ enum: DecisionKind }) kind: string;
  @ApiProperty({ nullable: true, type: String }) department: string | null;
  @ApiProperty({ nullable: true, type: String }) owner: string | null;
  @ApiProperty({ nullable: true, type: String }) targetRelease: string | null;
  @ApiProperty({ nullable: true, type: String }) comment: string | null;
  @ApiProperty() by: string;
  @ApiProperty() at: string;
  @ApiProperty({ nullable: true, type: String, description: 'When the department answered (route)' })
  answeredAt: string | null;
  @ApiProperty({ nullable: true, type: String }) answer: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'The ticket it opened or updated' })
  ticketId?: string | null;
}

export const decisionView = (decision: Decision, ticketId?: string | null): DecisionView => ({
  id: decision.id,
  isoWeek: decision.isoWeek,
  irritantId: decision.irritantId,
  kind: decision.kind,
  department: decision.department,
  owner: decision.owner,
  targetRelease: decision.targetRelease,
  comment: decision.comment,
  by: decision.actor,
  at: decision.createdAt.toISOString(),
  answeredAt: decision.answeredAt?.toISOString() ?? null,
  answer: decision.answer,
  ...(ticketId !== undefined ? { ticketId } : {}),
});

/**
 * Sends a board read as JSON, serialised once per cached read and language: the board is the most
 * read answer of the product (every screen of the Monday meeting), and its serialisation was most
 * of its cost.
 */
function send(response: Response, read: BoardWithItems, lang: Language): void {
  read.json ??= {};
  read.json[lang] ??= JSON.stringify(view(read, lang));
  response.type('application/json').send(read.json[lang]);
}

/** The board filter of a query (the language is not one). */
const filterOf = ({ lang: _lang, ...query }: BoardQuery) => ({ ...query, limit: query.limit ?? 50 });

@ApiTags('boards')
@ApiBearerAuth()
@Controller('api/v1/boards')
export class BoardsController {
  constructor(
    private readonly boards: BoardService,
    private readonly decisions: DecisionService,
  ) {}

  @Get()
  @Roles(...READERS)
  @ApiOperation({ summary: 'The weeks that have a board (live or frozen), newest first' })
  @ApiOkResponse({ type: [BoardWeekView] })
  async weeks(@Query() query: WeeksQuery): Promise<BoardWeekView[]> {
    return (await this.boards.weeks(query.limit ?? 104)).map((board) => ({
      isoWeek: board.isoWeek,
      status: board.status,
      computedAt: board.computedAt.toISOString(),
      frozenAt: board.frozenAt?.toISOString() ?? null,
    }));
  }

  @Get('current')
  @Roles(...READERS)
  @ApiOperation({ summary: 'The live board of the current ISO week, ranked' })
  @ApiLanguage()
  @ApiOkResponse({ type: BoardView })
  async current(
    @Query() query: BoardQuery,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const lang = answerLanguage(request, response, query.lang);
    send(response, await this.boards.get(this.boards.currentWeek(), filterOf(query)), lang);
  }

  @Get(':isoWeek')
  @Roles(...READERS)
  @ApiOperation({ summary: 'The board of an ISO week (e.g. 2026-W48): frozen once its Monday has come' })
  @ApiLanguage()
  @ApiOkResponse({ type: BoardView })
  async week(
    @Param('isoWeek') isoWeek: string,
    @Query() query: BoardQuery,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const lang = answerLanguage(request, response, query.lang);
    send(response, await this.boards.get(isoWeek, filterOf(query)), lang);
  }

  @Post(':isoWeek/items/:irritantId/decision')
  @Roles(...TRIAGERS)
  @ApiOperation({
    summary:
      'Decide on a board item (fix, small evolution, route, watch, reject): audited, history kept; fix and small evolution open a ticket',
  })
  async decide(
    @Param('isoWeek') isoWeek: string,
    @Param('irritantId', new ParseUUIDPipe()) irritantId: string,
    @Body() body: DecisionBody,
    @Req() request: AuthenticatedRequest,
  ): Promise<DecisionView> {
    const { decision, ticket } = await this.decisions.decide(isoWeek, irritantId, body, actorOf(request));
    return decisionView(decision, ticket?.id ?? null);
  }

  @Put(':isoWeek/items/:irritantId/quote')
  @Roles(...TRIAGERS)
  @ApiOperation({
    summary: 'Pin one of the irritant’s verbatims as its quote in the week’s digest (triager)',
  })
  async pinQuote(
    @Param('isoWeek') isoWeek: string,
    @Param('irritantId', new ParseUUIDPipe()) irritantId: string,
    @Body() body: PinQuoteBody,
    @Req() request: AuthenticatedRequest,
  ): Promise<{ pinned: true }> {
    await this.decisions.pinQuote(isoWeek, irritantId, body.verbatimId, actorOf(request));
    return { pinned: true };
  }

  @Get(':isoWeek/decisions')
  @Roles(...READERS)
  @ApiOperation({ summary: 'The decision in force (the latest) for each item of a week’s board' })
  @ApiOkResponse({ type: [DecisionView] })
  async inForce(@Param('isoWeek') isoWeek: string): Promise<DecisionView[]> {
    return (await this.decisions.inForce(isoWeek)).map((decision) => decisionView(decision));
  }

  @Get(':isoWeek/items/:irritantId')
  @Roles(...READERS)
  @ApiOperation({ summary: 'One irritant’s item on a week’s board: axes with their reasons, quotes, links' })
  @ApiLanguage()
  @ApiOkResponse({ type: BoardItemRead })
  async item(
    @Param('isoWeek') isoWeek: string,
    @Param('irritantId', new ParseUUIDPipe()) irritantId: string,
    @Query() query: LanguageQuery,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<BoardItemRead> {
    const lang = answerLanguage(request, response, query.lang);
    const { board, item, pinnedVerbatimId } = await this.boards.item(isoWeek, irritantId);
    return { isoWeek: board.isoWeek, status: board.status, item: itemView(item, lang), pinnedVerbatimId };
  }

  @Get(':isoWeek/items/:irritantId/decisions')
  @Roles(...READERS)
  @ApiOperation({ summary: 'Every decision on a board item, oldest first' })
  async history(
    @Param('isoWeek') isoWeek: string,
    @Param('irritantId', new ParseUUIDPipe()) irritantId: string,
  ): Promise<DecisionView[]> {
    return (await this.decisions.history(isoWeek, irritantId)).map((decision) => decisionView(decision));
  }
}
