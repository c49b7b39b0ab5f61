import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Req } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import {
  IsBoolean,
  IsEnum,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
} from 'class-validator';
import { SourceHealth, SourcePoller, SourcesService } from '@app/connectors';
import { Source, SourceKind } from '@app/database';
import { SOURCE_NAME_PATTERN } from '@app/ingest';
import { ADMINS, READERS, Roles } from '../auth/access.decorators';
import { type AuthenticatedRequest, actorOf } from '../auth/api-key.guard';

class UpdateSourceBody {
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'Connector settings (see docs/CONNECTORS.md for each kind)',
  })
  @IsOptional()
  @IsObject()
  settings?: Record<string, unknown>;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'Tokens, passwords, signing secrets: stored sealed, never returned or logged',
    example: { signingSecret: 'a-long-random-secret' },
  })
  @IsOptional()
  @IsObject()
  secrets?: Record<string, string>;

  @ApiPropertyOptional({ minimum: 15, maximum: 86_400, default: 300 })
  @IsOptional()
  @IsInt()
  @Min(15)
  @Max(86_400)
  pollEverySeconds?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

class CreateSourceBody extends UpdateSourceBody {
  @ApiProperty({ example: 'support-mailbox' })
  @Matches(SOURCE_NAME_PATTERN, { message: 'name must be 1-64 characters of a-z, 0-9, ".", "_" or "-"' })
  name: string;

  @ApiProperty({ enum: SourceKind })
  @IsEnum(SourceKind, { message: `kind must be one of ${Object.values(SourceKind).join(', ')}` })
  kind: SourceKind;
}

class IdentityLinkBody {
  @ApiProperty({ description: 'An identity as a connector gives it', example: 'twitter:1234567' })
  @IsString()
  @Length(1, 320)
  identity: string;

  @ApiProperty({ description: 'The identity it is the same customer as', example: 'jeanne@example.com' })
  @IsString()
  @Length(1, 320)
  sameAs: string;
}

class SourceView {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: SourceKind }) kind: string;
  @ApiProperty() enabled: boolean;
  @ApiProperty({ type: 'object', additionalProperties: true }) settings: Record<string, unknown>;
  @ApiProperty({ description: 'Whether secrets are set (they are never returned)' }) hasSecrets: boolean;
  @ApiProperty() pollEverySeconds: number;
  @ApiProperty({ nullable: true, type: String }) lastSuccessAt: string | null;
  @ApiProperty({ nullable: true, type: String }) lastErrorAt: string | null;
}

class SourceHealthView {
  @ApiProperty({ nullable: true, type: String }) lastSuccessAt: string | null;
  @ApiProperty({ nullable: true, type: String }) lastErrorAt: string | null;
  @ApiProperty({ nullable: true, type: String }) lastError: string | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Seconds since its newest verbatim' })
  lagSeconds: number | null;
  @ApiProperty() itemsLast24h: number;
  @ApiProperty() consecutiveFailures: number;
  @ApiProperty({ nullable: true, type: String }) backoffUntil: string | null;
}

class PollView {
  @ApiProperty({ description: 'New verbatims stored' }) stored: number;
  @ApiProperty({ description: 'Items that are not verbatims (a bounce, an auto-reply…)' }) skipped: number;
  @ApiProperty({ description: 'Items refused (dead letters, with their cause)' }) refused: number;
}

class RecountView {
  @ApiProperty({ description: 'Irritants whose customers were counted again' }) recounted: number;
}

const view = (source: Source): SourceView => ({
  id: source.id,
  name: source.name,
  kind: source.kind,
  enabled: source.enabled,
  settings: source.settings,
  hasSecrets: source.secretsSealed !== null,
  pollEverySeconds: source.pollEverySeconds,
  lastSuccessAt: source.lastSuccessAt?.toISOString() ?? null,
  lastErrorAt: source.lastErrorAt?.toISOString() ?? null,
});

const healthView = (health: SourceHealth): SourceHealthView => ({
  ...health,
  lastSuccessAt: health.lastSuccessAt?.toISOString() ?? null,
  lastErrorAt: health.lastErrorAt?.toISOString() ?? null,
  backoffUntil: health.backoffUntil?.toISOString() ?? null,
});

@ApiTags('sources')
@ApiBearerAuth()
@Controller('api/v1')
export class SourcesController {
  constructor(
    private readonly sources: SourcesService,
    private readonly poller: SourcePoller,
  ) {}

  @Post('sources')
  @Roles(...ADMINS)
  @ApiOperation({ summary: 'Configure a source (admin); its secrets are sealed and never returned' })
  @ApiCreatedResponse({ type: SourceView })
  async create(@Body() body: CreateSourceBody): Promise<SourceView> {
    return view(await this.sources.create(body));
  }

  @Get('sources')
  @Roles(...READERS)
  @ApiOperation({ summary: 'Sources, without their secrets' })
  @ApiOkResponse({ type: [SourceView] })
  async list(): Promise<SourceView[]> {
    return (await this.sources.list()).map(view);
  }

  @Get('sources/:id')
  @Roles(...READERS)
  @ApiOperation({ summary: 'One source, without its secrets' })
  @ApiOkResponse({ type: SourceView })
  async get(@Param('id', new ParseUUIDPipe()) id: string): Promise<SourceView> {
    return view(await this.sources.get(id));
  }

  @Patch('sources/:id')
  @Roles(...ADMINS)
  @ApiOperation({ summary: 'Change a source’s settings, secrets, schedule, or switch it on or off (admin)' })
  @ApiOkResponse({ type: SourceView })
  async update(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: UpdateSourceBody,
  ): Promise<SourceView> {
    return view(await this.sources.update(id, body));
  }

  @Get('sources/:id/health')
  @Roles(...READERS)
  @ApiOperation({ summary: 'Last success, last error, lag, items in the last 24 h' })
  @ApiOkResponse({ type: SourceHealthView })
  async health(@Param('id', new ParseUUIDPipe()) id: string): Promise<SourceHealthView> {
    return healthView(await this.sources.health(id));
  }

  @Post('sources/:id/poll')
  @Roles(...ADMINS)
  @HttpCode(200)
  @ApiOperation({ summary: 'Poll a pull source now (admin), whatever its schedule' })
  @ApiOkResponse({ type: PollView })
  async poll(@Param('id', new ParseUUIDPipe()) id: string): Promise<PollView> {
    await this.sources.get(id);
    return this.poller.pollNow(id);
  }

  @Post('identity-links')
  @Roles(...ADMINS)
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Declare two identities one customer (admin): counted once across channels from now on, stored verbatims included',
  })
  @ApiOkResponse({ type: RecountView })
  async link(@Body() body: IdentityLinkBody, @Req() request: AuthenticatedRequest): Promise<RecountView> {
    return this.sources.link(body.identity, body.sameAs, actorOf(request));
  }
}
