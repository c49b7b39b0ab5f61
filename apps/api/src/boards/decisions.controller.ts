import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Req } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { DecisionService } from '@app/board';
import { READERS, Roles, TRIAGERS } from '../auth/access.decorators';
import { type AuthenticatedRequest, actorOf } from '../auth/api-key.guard';
import { DecisionView, decisionView } from './boards.controller';

class AnswerBody {
  @ApiProperty({ description: 'What the department says it will do' })
  @IsString()
  @Length(1, 2000)
  answer: string;
}

class AnswerView {
  @ApiProperty() id: string;
  @ApiProperty() answer: string;
  @ApiProperty() by: string;
  @ApiProperty() at: string;
}

class UnansweredQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

@ApiTags('boards')
@ApiBearerAuth()
@Controller('api/v1/decisions')
export class DecisionsController {
  constructor(private readonly decisions: DecisionService) {}

  @Get('departments')
  @Roles(...READERS)
  @ApiOperation({ summary: 'The departments a board item may be routed to (DEPARTMENTS)' })
  @ApiOkResponse({ type: [String], description: 'Department keys, e.g. customer_service' })
  departments(): readonly string[] {
    return this.decisions.departments();
  }

  @Get('unanswered')
  @Roles(...READERS)
  @ApiOperation({ summary: 'Items routed to a department that has not answered yet, oldest first' })
  @ApiOkResponse({ type: [DecisionView] })
  async unanswered(@Query() query: UnansweredQuery): Promise<DecisionView[]> {
    return (await this.decisions.unanswered(query.limit ?? 100)).map((decision) => decisionView(decision));
  }

  @Get(':id/answers')
  @Roles(...READERS)
  @ApiOperation({ summary: 'Every answer of its department to a routed decision, oldest first' })
  @ApiOkResponse({ type: [AnswerView] })
  async answers(@Param('id', new ParseUUIDPipe()) id: string): Promise<AnswerView[]> {
    return (await this.decisions.answers(id)).map((answer) => ({
      id: answer.id,
      answer: answer.answer,
      by: answer.actor,
      at: answer.createdAt.toISOString(),
    }));
  }

  @Post(':id/answer')
  @Roles(...TRIAGERS)
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Record the department’s answer to a routed item (audited; a second answer is kept beside the first; sent as decision.answered)',
  })
  @ApiOkResponse({ type: DecisionView })
  async answer(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: AnswerBody,
    @Req() request: AuthenticatedRequest,
  ): Promise<DecisionView> {
    return decisionView(await this.decisions.answer(id, body.answer, actorOf(request)));
  }
}
