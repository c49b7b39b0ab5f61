import { Controller, Get, Param, ParseUUIDPipe, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
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

@ApiTags('operations')
@ApiBearerAuth()
@Controller('api/v1/dead-letters')
export class DeadLettersController {
  constructor(private readonly deadLetters: DeadLetterService) {}

  @Get()
  @Roles(...ADMINS)
  @ApiOperation({ summary: 'Work that failed for good, with its cause' })
  list(@Query() query: ListDeadLettersQuery): Promise<DeadLetter[]> {
    return this.deadLetters.list(query.status, query.limit ?? 100);
  }

  @Post(':id/retry')
  @Roles(...ADMINS)
  @ApiOperation({ summary: 'Run the job of a dead letter again' })
  retry(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Req() request: AuthenticatedRequest,
  ): Promise<DeadLetter> {
    return this.deadLetters.retry(id, actorOf(request));
  }
}
