import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Req } from '@nestjs/common';
import {
  ApiAcceptedResponse,
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
  IsBoolean,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  ValidateNested,
} from 'class-validator';
import { Role, TicketLink, TicketStatus, Tracker, TrackerKind } from '@app/database';
import { TRACKER_KINDS, TrackerService } from '@app/trackers';
import { ADMINS, Public, READERS, Roles } from '../auth/access.decorators';
import { AcceptsBody, type RequestWithRawBody, WEBHOOK_BODY_BYTES } from '../http/body-parser';

class TrackerSettingsBody {
  @ApiPropertyOptional({ description: 'Jira: https://acme.atlassian.net or a Data Center base URL' })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  baseUrl?: string;

  @ApiPropertyOptional({ enum: ['cloud', 'datacenter'], default: 'cloud' })
  @IsOptional()
  @IsIn(['cloud', 'datacenter'], { message: 'deployment must be cloud or datacenter' })
  deployment?: 'cloud' | 'datacenter';

  @ApiPropertyOptional({ description: 'Jira Cloud: the e-mail of the account the API token belongs to' })
  @IsOptional()
  @IsString()
  @Length(3, 200)
  email?: string;

  @ApiPropertyOptional({ example: 'PAY' })
  @IsOptional()
  @Matches(/^[A-Z][A-Z0-9_]{0,19}$/, { message: 'projectKey must be a Jira project key like PAY' })
  projectKey?: string;

  @ApiPropertyOptional({ default: 'Bug' })
  @IsOptional()
  @IsString()
  @Length(1, 60)
  issueType?: string;

  @ApiPropertyOptional({ description: 'GitHub: the repository owner' })
  @IsOptional()
  @IsString()
  @Length(1, 39)
  owner?: string;

  @ApiPropertyOptional({ description: 'GitHub: the repository' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  repo?: string;

  @ApiPropertyOptional({ description: 'GitHub Enterprise Server or Linear API base' })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  apiUrl?: string;

  @ApiPropertyOptional({ description: 'Linear: the team id' })
  @IsOptional()
  @IsUUID('all', { message: 'teamId must be a Linear team id' })
  teamId?: string;

  @ApiPropertyOptional({
    description:
      'A status name (Jira, Linear) or label (GitHub) meaning the fix is released (the ticket is deployed); default released|deployed|shipped, GitHub label "released"',
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  releasedPattern?: string;
}

class CreateTrackerBody {
  @ApiProperty({ enum: TRACKER_KINDS })
  @IsIn(TRACKER_KINDS, { message: `kind must be one of ${TRACKER_KINDS.join(', ')}` })
  kind: TrackerKind;

  @ApiProperty({ example: 'Payments Jira' })
  @IsString()
  @Length(1, 120)
  name: string;

  @ApiProperty({
    description: 'The API token (Jira API token or PAT, GitHub token, Linear API key); stored sealed',
  })
  @IsString()
  @Length(8, 500)
  token: string;

  @ApiPropertyOptional({
    description: 'The secret its webhooks are signed with (16+ characters); none: polled',
  })
  @IsOptional()
  @IsString()
  @Length(16, 200)
  webhookSecret?: string;

  @ApiPropertyOptional({ default: true, description: 'Every new fix or small evolution gets its issue here' })
  @IsOptional()
  @IsBoolean()
  autoCreate?: boolean;

  @ApiPropertyOptional({ default: false, description: 'Read the linked issues’ statuses every 5 minutes' })
  @IsOptional()
  @IsBoolean()
  poll?: boolean;

  @ApiProperty({ type: TrackerSettingsBody })
  @IsObject()
  @ValidateNested()
  @Type(() => TrackerSettingsBody)
  settings: TrackerSettingsBody;
}

class IssueRequestBody {
  @ApiProperty()
  @IsUUID('all', { message: 'trackerId must be a tracker id' })
  trackerId: string;
}

class TrackerView {
  @ApiProperty() id: string;
  @ApiProperty({ enum: TRACKER_KINDS }) kind: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Where it is (no secret)' })
  settings: Record<string, unknown>;
  @ApiProperty() autoCreate: boolean;
  @ApiProperty() poll: boolean;
  @ApiProperty({ description: 'Its webhooks are verified (a secret is set)' }) signedWebhooks: boolean;
  @ApiProperty({ description: 'Where the tracker posts its webhooks' }) webhookPath: string;
  @ApiProperty() active: boolean;
  @ApiProperty() createdAt: string;
}

class TicketLinkView {
  @ApiProperty() id: string;
  @ApiProperty() ticketId: string;
  @ApiProperty() trackerId: string;
  @ApiProperty({ enum: ['pending', 'created', 'failed'] }) status: string;
  @ApiProperty({ nullable: true, type: String }) key: string | null;
  @ApiProperty({ nullable: true, type: String }) url: string | null;
  @ApiProperty({ nullable: true, type: String }) externalStatus: string | null;
  @ApiProperty({ nullable: true, type: String }) lastError: string | null;
}

class IrritantIssueView {
  @ApiProperty() ticketId: string;
  @ApiProperty({ enum: TicketStatus }) ticketStatus: string;
  @ApiProperty({ nullable: true, type: String, example: 'PAY-123' }) key: string | null;
  @ApiProperty({ nullable: true, type: String }) url: string | null;
  @ApiProperty({ enum: TRACKER_KINDS, description: 'The tracker it is in' }) kind: string;
  @ApiProperty({ nullable: true, type: String, description: 'The issue’s status as the tracker names it' })
  externalStatus: string | null;
  @ApiProperty({ enum: ['pending', 'created', 'failed'], description: 'Its creation in the tracker' })
  status: string;
}

class TrackerReceiptView {
  @ApiProperty({ description: 'A ticket changed status' }) moved: boolean;
  @ApiPropertyOptional({ description: 'Why nothing was done (an event it does not act on)' })
  ignored?: string;
}

const view = (tracker: Tracker): TrackerView => ({
  id: tracker.id,
  kind: tracker.kind,
  name: tracker.name,
  settings: { ...tracker.settings },
  autoCreate: tracker.autoCreate,
  poll: tracker.poll,
  signedWebhooks: tracker.webhookSecretSealed !== null,
  webhookPath: `/api/v1/webhooks/trackers/${tracker.id}`,
  active: tracker.active,
  createdAt: tracker.createdAt.toISOString(),
});

const linkView = (link: TicketLink): TicketLinkView => ({
  id: link.id,
  ticketId: link.ticketId,
  trackerId: link.trackerId,
  status: link.status,
  key: link.externalKey,
  url: link.externalUrl,
  externalStatus: link.externalStatus,
  lastError: link.lastError,
});

@ApiTags('trackers')
@ApiBearerAuth()
@Controller('api/v1')
export class TrackersController {
  constructor(private readonly trackers: TrackerService) {}

  @Post('trackers')
  @Roles(...ADMINS)
  @ApiOperation({ summary: 'Connect a Jira (Cloud, Data Center), GitHub Issues or Linear project (admin)' })
  @ApiCreatedResponse({ type: TrackerView })
  async create(@Body() body: CreateTrackerBody): Promise<TrackerView> {
    return view(await this.trackers.create(body));
  }

  @Get('trackers')
  @Roles(...ADMINS)
  @ApiOperation({ summary: 'Connected trackers (tokens and secrets are never returned)' })
  @ApiOkResponse({ type: [TrackerView] })
  async list(): Promise<TrackerView[]> {
    return (await this.trackers.list()).map(view);
  }

  @Delete('trackers/:id')
  @Roles(...ADMINS)
  @HttpCode(204)
  @ApiOperation({ summary: 'Disconnect a tracker (the issues’ keys stay on the tickets)' })
  async remove(@Param('id', new ParseUUIDPipe()) id: string): Promise<void> {
    await this.trackers.deactivate(id);
  }

  @Post('tickets/:id/tracker-issues')
  @Roles(Role.Triager, Role.Admin, Role.Developer)
  @HttpCode(202)
  @ApiOperation({ summary: 'Create the ticket’s issue in a tracker (once: asking again answers the same)' })
  @ApiAcceptedResponse({ type: TicketLinkView })
  async request(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: IssueRequestBody,
  ): Promise<TicketLinkView> {
    return linkView(await this.trackers.requestIssue(id, body.trackerId));
  }

  @Get('irritants/:id/tracker-issues')
  @Roles(...READERS)
  @ApiOperation({ summary: 'The issues of an irritant’s tickets in the trackers, latest ticket first' })
  @ApiOkResponse({ type: [IrritantIssueView] })
  async ofIrritant(@Param('id', new ParseUUIDPipe()) id: string): Promise<IrritantIssueView[]> {
    return (await this.trackers.linksOfIrritants([id])).get(id) ?? [];
  }
}

/** Where trackers post their status changes: no API key, each request verified by the tracker's signature. */
@ApiTags('inbound webhooks')
@AcceptsBody({ limit: WEBHOOK_BODY_BYTES, keepRaw: true })
@Controller('api/v1/webhooks/trackers')
export class TrackerWebhooksController {
  constructor(private readonly trackers: TrackerService) {}

  @Post(':trackerId')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary:
      'A tracker’s webhook: GitHub X-Hub-Signature-256, Jira X-Hub-Signature (sha256=HMAC of the body), Linear Linear-Signature (hex HMAC of the body, webhookTimestamp within a minute)',
  })
  @ApiOkResponse({ type: TrackerReceiptView })
  async receive(
    @Param('trackerId', new ParseUUIDPipe()) trackerId: string,
    @Req() request: RequestWithRawBody,
  ): Promise<TrackerReceiptView> {
    return this.trackers.receive(
      trackerId,
      request.headers,
      request.rawBody ?? Buffer.alloc(0),
      request.body,
    );
  }
}
