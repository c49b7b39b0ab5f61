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
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
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
import { BoardService, BoardWithItems, DecisionInForce, DecisionService } from '@app/board';
import { BoardItem, Decision, DecisionKind, MonitorLinkView, RedirectRepository } from '@app/database';
import { AXES, Axis, Language } from '@app/scoring';
import { ADMINS, READERS, Roles, TRIAGERS } from '../auth/access.decorators';
import { ActorNames } from '../people/actor-names';
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
  @ValidateIf((query: BoardQuery) => query.axis !== undefined || query.above !== undefined)
  @IsIn(AXES, {
    message: `axis must be one of ${AXES.join(', ')} (above filters on an axis: give both)`,
  })
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

class TicketBrief {
  @ApiProperty() id: string;
  @ApiProperty({ enum: ['todo', 'in_progress', 'fixed', 'deployed', 'dropped'] }) status: string;
  @ApiProperty({ nullable: true, type: String }) release: string | null;
  @ApiProperty({ nullable: true, type: String }) claimedBy: string | null;
  @ApiProperty({ nullable: true, type: String }) deployedAt: string | null;
}

export class DecisionView {
  @ApiProperty() id: string;
  @ApiProperty({ description: 'The week of the board it was taken on' }) isoWeek: string;
  @ApiProperty() irritantId: string;
  @ApiProperty({ enum: DecisionKind }) kind: string;
  @ApiProperty({ nullable: true, type: String }) department: string | null;
  @ApiProperty({ nullable: true, type: String }) owner: string | null;
  @ApiProperty({ nullable: true, type: String }) targetRelease: string | null;
  @ApiProperty({ nullable: true, type: String }) comment: string | null;
  @ApiProperty({ description: 'Who: `user:<id>` or `apikey:<id>`' }) by: string;
  @ApiPropertyOptional({
    description: 'Who, as people read it (decision history): the display name or the key’s name',
  })
  byName?: string;
  @ApiProperty() at: string;
  @ApiProperty({ nullable: true, type: String, description: 'When the department last answered (route)' })
  answeredAt: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Its latest answer' }) answer: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'The ticket it opened or updated' })
  ticketId?: string | null;
}

class DecisionInForceView extends DecisionView {
  @ApiProperty({
    description:
      'The irritant it shows on: the decision’s own, or the one it was merged into (`decidedOn` then names the first)',
  })
  declare irritantId: string;
  @ApiProperty({ description: 'The irritant it was taken on' }) decidedOn: string;
  @ApiProperty({ description: 'Taken on an earlier week’s board and still in force' }) carried: boolean;
  @ApiProperty({ nullable: true, type: TicketBrief }) ticket: TicketBrief | null;
  @ApiProperty({ description: 'Answers its department gave (route)' }) answers: number;
  @ApiProperty({
    nullable: true,
    type: Number,
    description:
      'Ticket: days from the irritant’s first verbatim to its deployment or now; route: days from the decision to its answer or now',
  })
  ageDays: number | null;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'TIME_TO_FIX_TARGET_DAYS for a ticket, ROUTED_ANSWER_TARGET_DAYS for a route',
  })
  targetDays: number | null;
  @ApiProperty({ description: 'An open ticket past its target, or a route unanswered past its target' })
  overdue: boolean;
}

class MonitorFailureView {
  @ApiProperty({ description: 'First failed run of the week' }) from: string;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'First good run after the last failure (null: still failing)',
  })
  to: string | null;
  @ApiProperty({ type: [String], description: 'The steps that failed' }) steps: string[];
}

export class MonitorLinkItemView {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({
    enum: ['ok', 'slow', 'failing', 'recovered', 'no runs', 'not measured'],
    description:
      'Its state that week: failing (latest run failed), recovered (failed, then passed again), slow, ok, no runs, not measured (its runner could not start: an infrastructure error)',
  })
  status: string;
  @ApiPropertyOptional({ description: 'Runs that measured the journey' }) runs?: number;
  @ApiPropertyOptional() failedRuns?: number;
  @ApiPropertyOptional({ nullable: true, type: MonitorFailureView }) failure?: MonitorFailureView | null;
}

export class KpiLinkView {
  @ApiProperty() key: string;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: Number, description: 'Its value that week' }) value: number | null;
  @ApiProperty({ nullable: true, type: Number }) target: number | null;
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
  @ApiProperty({ type: [MonitorLinkItemView], description: 'Linked monitors and how they did that week' })
  monitors: MonitorLinkView[];
  @ApiProperty({ type: [KpiLinkView], description: 'Linked KPIs that week' })
  kpis: KpiLinkView[];
  @ApiProperty({
    nullable: true,
    type: DecisionInForceView,
    description:
      'The decision in force (taken this week or carried from an earlier one); null: awaiting a call',
  })
  decision: DecisionInForceView | null;
}

class BoardView {
  @ApiProperty({ example: '2026-W48' }) isoWeek: string;
  @ApiProperty({ enum: ['live', 'frozen'] }) status: string;
  @ApiProperty() computedAt: string;
  @ApiProperty({ nullable: true, type: String }) frozenAt: string | null;
  @ApiProperty({ description: 'Scoring profile' }) profile: string;
  @ApiProperty({ nullable: true, type: String, description: 'The week before' }) previousWeek: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The week after, once it has begun' })
  nextWeek: string | null;
  @ApiProperty({ type: [BoardItemView] }) items: BoardItemView[];
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

export const inForceView = (week: string, inForce: DecisionInForce): DecisionInForceView => ({
  ...decisionView(inForce.decision, inForce.ticket?.id ?? null),
  irritantId: inForce.irritantId,
  decidedOn: inForce.decision.irritantId,
  carried: inForce.decision.isoWeek !== week,
  ticket: inForce.ticket && {
    id: inForce.ticket.id,
    status: inForce.ticket.status,
    release: inForce.ticket.release,
    claimedBy: inForce.ticket.claimedBy,
    deployedAt: inForce.ticket.deployedAt?.toISOString() ?? null,
  },
  answers: inForce.answers,
  ageDays: inForce.ageDays,
  targetDays: inForce.targetDays,
  overdue: inForce.overdue,
});

const itemView = (
  item: BoardItem,
  week: string,
  inForce: DecisionInForce | undefined | null,
  lang: Language,
): BoardItemView => ({
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
  decision: inForce ? inForceView(week, inForce) : null,
});

const view = (
  { board, items, decisions, previousWeek, nextWeek }: BoardWithItems,
  lang: Language,
): BoardView => ({
  isoWeek: board.isoWeek,
  status: board.status,
  computedAt: board.computedAt.toISOString(),
  frozenAt: board.frozenAt?.toISOString() ?? null,
  profile: board.profile,
  previousWeek,
  nextWeek,
  items: items.map((item) => itemView(item, board.isoWeek, decisions.get(item.irritantId), lang)),
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

class MeetingView {
  @ApiProperty({ example: '2026-W48', description: 'The board the meeting opens' }) isoWeek: string;
  @ApiProperty() currentWeek: string;
  @ApiProperty() lastWeek: string;
  @ApiProperty({
    nullable: true,
    enum: ['monday', 'current_empty'],
    description:
      'Why last week’s board: it is Monday (until the freeze if later in the day), or the current week has no verbatim yet; null: the current week’s',
  })
  reason: string | null;
  @ApiProperty({ description: 'When last week’s board freezes (or froze)' }) lastWeekFreezesAt: string;
  @ApiProperty({ enum: ['live', 'frozen'], description: 'Last week’s board' }) lastWeekStatus: string;
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

class PinnedView {
  @ApiProperty({ description: 'Always true' }) pinned: boolean;
}

class PinQuoteBody {
  @ApiProperty({ description: 'A verbatim of this irritant' })
  @IsUUID('all', { message: 'verbatimId must be a verbatim id' })
  verbatimId: string;
}

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
    private readonly redirects: RedirectRepository,
    private readonly names: ActorNames,
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

  @Get('meeting')
  @Roles(...READERS)
  @ApiOperation({
    summary:
      'Which board the Monday meeting opens: last week’s on Monday and while the current week is empty, else the current week’s',
  })
  @ApiOkResponse({ type: MeetingView })
  async meeting(): Promise<MeetingView> {
    const meeting = await this.boards.meeting();
    const last = await this.boards.get(meeting.lastWeek, { limit: 1 });
    return {
      isoWeek: meeting.isoWeek,
      currentWeek: meeting.currentWeek,
      lastWeek: meeting.lastWeek,
      reason: meeting.reason,
      lastWeekFreezesAt: meeting.lastWeekFreezesAt.toISOString(),
      lastWeekStatus: last.board.status,
    };
  }

  @Post(':isoWeek/freeze')
  @Roles(...ADMINS)
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Freeze a past week’s board now, without waiting for Monday’s time (admin; audited under your name): 409 for the current week or a frozen one',
  })
  @ApiOkResponse({ type: BoardWeekView })
  async freeze(
    @Param('isoWeek') isoWeek: string,
    @Req() request: AuthenticatedRequest,
  ): Promise<BoardWeekView> {
    const board = await this.boards.freezeNow(isoWeek, actorOf(request));
    return {
      isoWeek: board.isoWeek,
      status: board.status,
      computedAt: board.computedAt.toISOString(),
      frozenAt: board.frozenAt?.toISOString() ?? null,
    };
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
  @ApiCreatedResponse({ type: DecisionView })
  async decide(
    @Param('isoWeek') isoWeek: string,
    @Param('irritantId', new ParseUUIDPipe()) irritantId: string,
    @Body() body: DecisionBody,
    @Req() request: AuthenticatedRequest,
  ): Promise<DecisionView> {
    // A decision is taken on a stored board: a week never stored (reads do not store) is now.
    await this.boards.ensure(isoWeek);
    const { decision, ticket } = await this.decisions.decide(isoWeek, irritantId, body, actorOf(request));
    return decisionView(decision, ticket?.id ?? null);
  }

  @Put(':isoWeek/items/:irritantId/quote')
  @Roles(...TRIAGERS)
  @ApiOperation({
    summary: 'Pin one of the irritant’s verbatims as its quote in the week’s digest (triager)',
  })
  @ApiOkResponse({ type: PinnedView })
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
  @ApiOperation({
    summary:
      'The decision in force on each item of a week’s board: the latest taken on it that week or an earlier one, until closed or re-decided',
  })
  @ApiOkResponse({ type: [DecisionInForceView] })
  async inForce(@Param('isoWeek') isoWeek: string): Promise<DecisionInForceView[]> {
    const read = await this.boards.get(isoWeek, { limit: 100_000 });
    return read.items.flatMap((item) => {
      const inForce = read.decisions.get(item.irritantId);
      return inForce ? [inForceView(isoWeek, inForce)] : [];
    });
  }

  @Get(':isoWeek/items/:irritantId')
  @Roles(...READERS)
  @ApiOperation({ summary: 'One irritant’s item on a week’s board: axes with their reasons, quotes, links' })
  @ApiLanguage()
  @ApiOkResponse({ type: BoardItemRead })
  @ApiResponse({ status: 301, description: 'The irritant was merged: Location names the one it lives on as' })
  async item(
    @Param('isoWeek') isoWeek: string,
    @Param('irritantId', new ParseUUIDPipe()) irritantId: string,
    @Query() query: LanguageQuery,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<BoardItemRead | undefined> {
    const lang = answerLanguage(request, response, query.lang);
    try {
      const { board, item, decision, pinnedVerbatimId } = await this.boards.item(isoWeek, irritantId);
      return {
        isoWeek: board.isoWeek,
        status: board.status,
        item: itemView(item, board.isoWeek, decision, lang),
        pinnedVerbatimId,
      };
    } catch (error) {
      const moved = error instanceof NotFoundException ? await this.redirects.find(irritantId) : null;
      if (!moved) throw error;
      response.redirect(301, `/api/v1/boards/${isoWeek}/items/${moved.toId}`);
      return undefined;
    }
  }

  @Get(':isoWeek/items/:irritantId/decisions')
  @Roles(...READERS)
  @ApiOperation({ summary: 'Every decision on a board item, oldest first' })
  @ApiOkResponse({ type: [DecisionView] })
  async history(
    @Param('isoWeek') isoWeek: string,
    @Param('irritantId', new ParseUUIDPipe()) irritantId: string,
  ): Promise<DecisionView[]> {
    return this.names.name(
      (await this.decisions.history(isoWeek, irritantId)).map((decision) => decisionView(decision)),
    );
  }
}
