import {
  BadRequestException,
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { Type } from 'class-transformer';
import type { Request, Response } from 'express';
import { IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { DecisionService, TimeToFixWeek } from '@app/board';
import { TrackerService } from '@app/trackers';
import { Role, TicketRow, TicketStatus } from '@app/database';
import type { Language } from '@app/scoring';
import { READERS, Roles } from '../auth/access.decorators';
import { type AuthenticatedRequest, actorOf } from '../auth/api-key.guard';
import { ApiLanguage, LanguageQuery, ReasonView, answerLanguage, axisView } from '../http/language';
import { KpiLinkView, MonitorLinkItemView } from '../boards/boards.controller';

class TicketQuery extends LanguageQuery {
  @ApiPropertyOptional({
    description: 'Comma-separated statuses (default: todo,in_progress,fixed)',
    example: 'todo,in_progress',
  })
  @IsOptional()
  @Matches(/^(?:todo|in_progress|fixed|deployed|dropped)(?:,(?:todo|in_progress|fixed|deployed|dropped))*$/, {
    message: 'status must be a comma-separated list of todo, in_progress, fixed, deployed, dropped',
  })
  status?: string;

  @ApiPropertyOptional({ description: 'The owning team (the decision’s owner)' })
  @IsOptional()
  @IsString()
  @Length(1, 120)
  team?: string;

  @ApiPropertyOptional({ enum: ['desktop_web', 'mobile_web', 'ios_app', 'android_app'] })
  @IsOptional()
  @IsIn(['desktop_web', 'mobile_web', 'ios_app', 'android_app'], {
    message: 'terminal must be a terminal name',
  })
  terminal?: string;

  @ApiPropertyOptional({ description: 'ISO week the decision was taken on', example: '2026-W48' })
  @IsOptional()
  @Matches(/^\d{4}-W\d{2}$/, { message: 'week must be an ISO week like 2026-W48' })
  week?: string;

  @ApiPropertyOptional({ description: 'The `next` of the previous page' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}

class UpdateTicketBody {
  @ApiPropertyOptional({
    enum: [TicketStatus.Todo, TicketStatus.InProgress, TicketStatus.Fixed, TicketStatus.Deployed],
  })
  @IsOptional()
  @IsIn([TicketStatus.Todo, TicketStatus.InProgress, TicketStatus.Fixed, TicketStatus.Deployed], {
    message: 'status must be one of todo, in_progress, fixed, deployed',
  })
  status?: TicketStatus;

  @ApiPropertyOptional({ description: 'The release that carries the fix', example: '12.5.0' })
  @IsOptional()
  @IsString()
  @Length(1, 60)
  release?: string;
}

class TimeToFixQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 104, default: 12 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(104)
  weeks?: number;
}

class TicketAxis {
  @ApiProperty() score: number;
  @ApiProperty({ type: [String], description: 'In the language asked (lang, Accept-Language)' })
  reasons: string[];
  @ApiProperty({ type: [ReasonView], description: 'The same reasons with their codes and figures' })
  details: ReasonView[];
}

class TicketQuote {
  @ApiProperty() verbatimId: string;
  @ApiProperty() channel: string;
  @ApiProperty() receivedAt: string;
  @ApiProperty({ description: 'Redacted' }) text: string;
}

class TicketIssueView {
  @ApiProperty({ enum: ['jira', 'github', 'linear'] }) tracker: string;
  @ApiProperty({ enum: ['pending', 'created', 'failed'] }) status: string;
  @ApiProperty({ nullable: true, type: String, example: 'PAY-123' }) key: string | null;
  @ApiProperty({ nullable: true, type: String }) url: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The issue’s status as the tracker names it' })
  externalStatus: string | null;
}

class TicketView {
  @ApiProperty() id: string;
  @ApiProperty() irritantId: string;
  @ApiProperty({ enum: ['fix', 'small_evolution'] }) kind: string;
  @ApiProperty({ enum: TicketStatus }) status: string;
  @ApiProperty({ description: 'The board total when decided' }) priority: number;
  @ApiProperty({ example: '2026-W48' }) isoWeek: string;
  @ApiProperty({ nullable: true, type: String }) team: string | null;
  @ApiProperty({ nullable: true, type: String }) claimedBy: string | null;
  @ApiProperty({ nullable: true, type: String }) release: string | null;
  @ApiProperty({ nullable: true, type: String }) label: string | null;
  @ApiProperty({ nullable: true, type: String }) category: string | null;
  @ApiProperty({
    description: 'The four axes from the irritant’s latest board',
    type: 'object',
    additionalProperties: { $ref: '#/components/schemas/TicketAxis' },
  })
  axes: Record<string, TicketAxis>;
  @ApiProperty({ type: [TicketQuote] }) quotes: TicketQuote[];
  @ApiProperty({ type: [String] }) terminals: string[];
  @ApiProperty({ type: [MonitorLinkItemView], description: 'Linked monitors and how they did that week' })
  monitors: MonitorLinkItemView[];
  @ApiProperty({ type: [KpiLinkView], description: 'Linked KPIs that week' })
  kpis: KpiLinkView[];
  @ApiProperty() firstSeenAt: string;
  @ApiProperty({ nullable: true, type: String }) deployedAt: string | null;
  @ApiProperty({ nullable: true, type: Number, description: 'First verbatim to deployed, in days' })
  timeToFixDays: number | null;
  @ApiProperty({
    type: [TicketIssueView],
    description: 'Its issues in the team’s trackers (Jira, GitHub, Linear)',
  })
  issues: TicketIssueView[];
}

class TicketPage {
  @ApiProperty({ type: [TicketView] }) items: TicketView[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as `cursor` for the next page' }) next:
    string | null;
}

class TimeToFixView implements TimeToFixWeek {
  @ApiProperty() isoWeek: string;
  @ApiProperty() deployed: number;
  @ApiProperty({ nullable: true, type: Number }) medianDays: number | null;
  @ApiProperty() targetDays: number;
  @ApiProperty({ nullable: true, type: Boolean }) onTarget: boolean | null;
}

type Links = Map<
  string,
  {
    trackerKind: string;
    status: string;
    externalKey: string | null;
    externalUrl: string | null;
    externalStatus: string | null;
  }[]
>;

const view = ({ ticket, item }: TicketRow, lang: Language = 'en', links: Links = new Map()): TicketView => ({
  id: ticket.id,
  irritantId: ticket.irritantId,
  kind: ticket.kind,
  status: ticket.status,
  priority: ticket.priority,
  isoWeek: ticket.isoWeek,
  team: ticket.team,
  claimedBy: ticket.claimedBy,
  release: ticket.release,
  label: item?.label ?? null,
  category: item?.category ?? null,
  axes: item
    ? Object.fromEntries(
        Object.entries(item.axes).map(([axis, value]) => {
          const { score, reasons, details } = axisView(value, lang);
          return [axis, { score, reasons, details }];
        }),
      )
    : {},
  quotes: item?.quotes ?? [],
  terminals: item?.terminals ?? [],
  monitors: item?.monitors ?? [],
  kpis: item?.kpis ?? [],
  firstSeenAt: ticket.firstSeenAt.toISOString(),
  deployedAt: ticket.deployedAt?.toISOString() ?? null,
  timeToFixDays:
    ticket.deployedAt === null
      ? null
      : Math.round(((ticket.deployedAt.getTime() - ticket.firstSeenAt.getTime()) / 86_400_000) * 10) / 10,
  issues: (links.get(ticket.id) ?? []).map((link) => ({
    tracker: link.trackerKind,
    status: link.status,
    key: link.externalKey,
    url: link.externalUrl,
    externalStatus: link.externalStatus,
  })),
});

function page(rows: TicketRow[], limit: number, lang: Language, links: Links): TicketPage {
  const last = rows.at(-1);
  return {
    items: rows.map((row) => view(row, lang, links)),
    next:
      rows.length === limit && last
        ? Buffer.from(`${last.ticket.priority}|${last.ticket.id}`).toString('base64url')
        : null,
  };
}

function decodeCursor(cursor: string): { priority: number; id: string } {
  const [priority, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (!Number.isFinite(Number(priority)) || priority === '' || !/^[0-9a-f-]{36}$/.test(id ?? '')) {
    throw new BadRequestException('cursor is not one this API gave out');
  }
  return { priority: Number(priority), id };
}

const DEVELOPERS = [Role.Developer, Role.Admin];
const WORKERS = [Role.Developer, Role.Triager, Role.Admin];

@ApiTags('tickets')
@ApiBearerAuth()
// Referenced by hand from TicketView.axes (a map): declared so the document's $ref resolves.
@ApiExtraModels(TicketAxis)
@Controller('api/v1/tickets')
export class TicketsController {
  constructor(
    private readonly decisions: DecisionService,
    private readonly trackers: TrackerService,
  ) {}

  private links(rows: TicketRow[]): Promise<Links> {
    return this.trackers.linksOfTickets(rows.map((row) => row.ticket.id));
  }

  private async one(row: TicketRow, lang: Language): Promise<TicketView> {
    return view(row, lang, await this.links([row]));
  }

  @Get()
  @Roles(...READERS)
  @ApiOperation({
    summary: 'Accepted work (fix, small evolution), highest priority first, with scores, reasons and quotes',
  })
  @ApiLanguage()
  @ApiOkResponse({ type: TicketPage })
  async list(@Query() query: TicketQuery, @Req() request: Request, @Res() response: Response): Promise<void> {
    const limit = query.limit ?? 50;
    const statuses = (query.status ?? 'todo,in_progress,fixed').split(',') as TicketStatus[];
    const list = await this.decisions.listTickets({
      statuses,
      team: query.team,
      terminal: query.terminal,
      isoWeek: query.week,
      after: query.cursor ? decodeCursor(query.cursor) : undefined,
      limit,
    });
    // Serialised once per cached read and language (see READ_CACHE_MS): developers' tools poll it.
    const lang = answerLanguage(request, response, query.lang);
    list.json ??= {};
    list.json[lang] ??= JSON.stringify(page(list.rows, limit, lang, await this.links(list.rows)));
    response.type('application/json').send(list.json[lang]);
  }

  @Get('time-to-fix')
  @Roles(...READERS)
  @ApiOperation({ summary: 'Median time-to-fix (first verbatim to deployed) per week, against the target' })
  @ApiOkResponse({ type: [TimeToFixView] })
  async timeToFix(@Query() query: TimeToFixQuery): Promise<TimeToFixView[]> {
    return this.decisions.timeToFix(query.weeks ?? 12);
  }

  @Get(':id')
  @Roles(...READERS)
  @ApiOperation({ summary: 'One ticket' })
  @ApiOkResponse({ type: TicketView })
  @ApiLanguage()
  async get(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() query: LanguageQuery,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<TicketView> {
    return this.one(await this.decisions.ticket(id), answerLanguage(request, response, query.lang));
  }

  @Post(':id/claim')
  @Roles(...DEVELOPERS)
  @HttpCode(200)
  @ApiOperation({ summary: 'Take a ticket (developer): in progress and yours; 409 if someone else has it' })
  @ApiOkResponse({ type: TicketView })
  async claim(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) response: Response,
  ): Promise<TicketView> {
    return this.one(await this.decisions.claim(id, actorOf(request)), answerLanguage(request, response));
  }

  @Patch(':id')
  @Roles(...WORKERS)
  @ApiOperation({
    summary:
      'Move a ticket along (todo, in_progress, fixed, deployed) and set its release; 403 for a developer when another one claimed it',
  })
  @ApiOkResponse({ type: TicketView })
  async update(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: UpdateTicketBody,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) response: Response,
  ): Promise<TicketView> {
    if (body.status === undefined && body.release === undefined)
      throw new BadRequestException('nothing to change: give status or release');
    return this.one(
      await this.decisions.update(id, body, actorOf(request), request.principal?.role),
      answerLanguage(request, response),
    );
  }
}
