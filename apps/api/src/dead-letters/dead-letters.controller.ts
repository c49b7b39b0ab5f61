import { Controller, Get, Param, ParseUUIDPipe, Post, Query, Req } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsEnum, IsInt, IsOptional, Max, Min } from 'class-validator';
import { DeadLetter, DeadLetterStatus } from '@app/database';
import { DeadLetterService } from '@app/jobs';
import { ADMINS, Roles } from '../auth/access.decorators';
import { type AuthenticatedRequest, actorOf } from '../auth/api-key.guard';

class ListDeadLettersQuery {
  @ApiPropertyOptional({ enum: DeadLetterStatus })
  @IsOptional()
  @IsEnum(DeadLetterStatus)
  status?: DeadLetterStatus;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

/** A dead letter as the API sends it (the entity, serialised). */
class DeadLetterView {
  @ApiProperty() id: string;
  @ApiProperty({ example: 'verbatim.analyse' }) jobName: string;
  @ApiProperty({ nullable: true, type: String }) jobId: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) payload: Record<string, unknown>;
  @ApiProperty({
    nullable: true,
    oneOf: [
      { type: 'object', additionalProperties: true },
      { type: 'array', items: {} },
      { type: 'string' },
      { type: 'number' },
      { type: 'boolean' },
    ],
    description: 'The poison input itself when the job carried one (a raw row, an event), any JSON',
  })
  input: unknown;
  @ApiProperty() cause: string;
  @ApiProperty() attempts: number;
  @ApiProperty({ enum: DeadLetterStatus }) status: DeadLetterStatus;
  @ApiProperty() createdAt: string;
  @ApiProperty({ nullable: true, type: String }) retriedAt: string | null;
}

@ApiTags('operations')
@ApiBearerAuth()
@Controller('api/v1/dead-letters')
export class DeadLettersController {
  constructor(private readonly deadLetters: DeadLetterService) {}

  @Get()
  @Roles(...ADMINS)
  @ApiOperation({ summary: 'Work that failed for good, with its cause' })
  @ApiOkResponse({ type: [DeadLetterView] })
  list(@Query() query: ListDeadLettersQuery): Promise<DeadLetter[]> {
    return this.deadLetters.list(query.status, query.limit ?? 100);
  }

  @Post(':id/retry')
  @Roles(...ADMINS)
  @ApiOperation({ summary: 'Run the job of a dead letter again' })
  @ApiCreatedResponse({ type: DeadLetterView })
  retry(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Req() request: AuthenticatedRequest,
  ): Promise<DeadLetter> {
    return this.deadLetters.retry(id, actorOf(request));
  }
}
