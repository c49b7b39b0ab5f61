import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Req } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { IsEnum, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { ApiKeyService } from '@app/auth';
import { ApiKey, Role } from '@app/database';
import { ADMINS, Roles } from './access.decorators';
import { type AuthenticatedRequest, actorOf } from './api-key.guard';

class CreateApiKey {
  @ApiProperty({ example: 'zendesk bridge' })
  @IsString()
  @Length(1, 80)
  name: string;

  @ApiProperty({ enum: Role })
  @IsEnum(Role, { message: `role must be one of ${Object.values(Role).join(', ')}` })
  role: Role;

  @ApiPropertyOptional({ description: 'Days until it expires (1-730); none: valid until revoked' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(730)
  expiresInDays?: number;
}

export class ApiKeyView {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'The public start of the key (lb_<prefix>_…), to tell keys apart' })
  prefix: string;
  @ApiProperty({ enum: Role }) role: Role;
  @ApiProperty() createdAt: string;
  @ApiProperty({ nullable: true, type: String, description: 'Last use, to the minute' })
  lastUsedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) expiresAt: string | null;
  @ApiProperty({ nullable: true, type: String }) revokedAt: string | null;
  @ApiProperty({ enum: ['active', 'expired', 'revoked'] }) status: 'active' | 'expired' | 'revoked';
}

export class CreatedApiKeyView {
  @ApiProperty({ description: 'The key itself: shown this once, never stored' }) key: string;
  @ApiProperty({ type: ApiKeyView }) apiKey: ApiKeyView;
}

function keyView(apiKey: ApiKey, now = Date.now()): ApiKeyView {
  return {
    id: apiKey.id,
    name: apiKey.name,
    prefix: apiKey.prefix,
    role: apiKey.role,
    createdAt: apiKey.createdAt.toISOString(),
    lastUsedAt: apiKey.lastUsedAt?.toISOString() ?? null,
    expiresAt: apiKey.expiresAt?.toISOString() ?? null,
    revokedAt: apiKey.revokedAt?.toISOString() ?? null,
    status:
      apiKey.revokedAt !== null
        ? 'revoked'
        : apiKey.expiresAt !== null && apiKey.expiresAt.getTime() <= now
          ? 'expired'
          : 'active',
  };
}

/** Admins list, create, revoke and rotate the API keys of programs; a key is shown once. */
@ApiTags('api-keys')
@ApiBearerAuth()
@Controller('api/v1/api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeyService) {}

  @Get()
  @Roles(...ADMINS)
  @ApiOperation({ summary: 'Every API key with its last use, expiry and revocation (admin); never a key' })
  @ApiOkResponse({ type: [ApiKeyView] })
  async list(): Promise<ApiKeyView[]> {
    return (await this.keys.list()).map((key) => keyView(key));
  }

  @Post()
  @Roles(...ADMINS)
  @ApiOperation({ summary: 'Create an API key (admin): the key is returned this once' })
  @ApiCreatedResponse({ type: CreatedApiKeyView })
  async create(@Body() body: CreateApiKey, @Req() request: AuthenticatedRequest): Promise<CreatedApiKeyView> {
    const { key, apiKey } = await this.keys.create(body.name, body.role, actorOf(request), {
      expiresAt:
        body.expiresInDays === undefined ? null : new Date(Date.now() + body.expiresInDays * 86_400_000),
    });
    return { key, apiKey: keyView(apiKey) };
  }

  @Delete(':id')
  @Roles(...ADMINS)
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke an API key (admin): refused from now on; 409 if already revoked' })
  @ApiOkResponse({ type: ApiKeyView })
  async revoke(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Req() request: AuthenticatedRequest,
  ): Promise<ApiKeyView> {
    return keyView(await this.keys.revoke(id, actorOf(request)));
  }

  @Post(':id/rotate')
  @Roles(...ADMINS)
  @ApiOperation({
    summary:
      'Rotate an API key (admin): a new key with the same name, role and lifetime, returned this once; the old one revoked',
  })
  @ApiCreatedResponse({ type: CreatedApiKeyView })
  async rotate(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Req() request: AuthenticatedRequest,
  ): Promise<CreatedApiKeyView> {
    const { key, apiKey } = await this.keys.rotate(id, actorOf(request));
    return { key, apiKey: keyView(apiKey) };
  }
}
