import {
  Body,
  Controller,
  Get,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Put,
  Query,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import { AcceptsBody, MAX_BODY_BYTES } from '../http/body-parser';
import {
  ApiBearerAuth,
  ApiBody,
  ApiExtraModels,
  ApiOperation,
  ApiResponse,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { Role } from '@app/database';
import { VerbatimInput } from '@app/ingest';
import { READERS, Roles, TRIAGERS } from '../auth/access.decorators';
import { type AuthenticatedRequest, actorOf } from '../auth/api-key.guard';
import { IngestThrottlerGuard } from '../auth/ingest-throttler.guard';
import {
  CorrectCategoryBody,
  CorrectSentimentBody,
  IngestResult,
  ListVerbatimsQuery,
  MoveVerbatimBody,
  VerbatimPage,
  VerbatimView,
} from './verbatims.dto';
import { VerbatimsService } from './verbatims.service';

const roleOf = (request: AuthenticatedRequest): Role => request.principal?.role ?? Role.Viewer;

@ApiTags('verbatims')
@ApiBearerAuth()
@ApiExtraModels(VerbatimInput)
@Controller('api/v1/verbatims')
export class VerbatimsController {
  constructor(private readonly verbatims: VerbatimsService) {}

  @Post()
  @Roles(...TRIAGERS)
  @UseGuards(IngestThrottlerGuard)
  @AcceptsBody({ limit: MAX_BODY_BYTES })
  @ApiOperation({
    summary:
      'Ingest one verbatim or a batch of up to 1,000; replays create nothing; INGEST_REQUESTS_PER_MINUTE per key (429 beyond)',
  })
  @ApiBody({
    schema: {
      oneOf: [
        { $ref: getSchemaPath(VerbatimInput) },
        { type: 'array', maxItems: 1000, items: { $ref: getSchemaPath(VerbatimInput) } },
      ],
    },
  })
  @ApiResponse({ status: 201, type: IngestResult, description: 'At least one verbatim was new' })
  @ApiResponse({ status: 200, type: IngestResult, description: 'All were already stored: their ids' })
  @ApiResponse({ status: 400, description: 'Invalid verbatims, with the reason of each; nothing stored' })
  @ApiResponse({
    status: 413,
    description: 'Text over 20,000 characters or batch over 1,000; nothing stored',
  })
  async ingest(@Body() body: unknown, @Res({ passthrough: true }) response: Response): Promise<IngestResult> {
    const result = await this.verbatims.ingestBatch(body);
    response.status(result.created > 0 ? 201 : 200);
    return result;
  }

  @Get()
  @Roles(...READERS)
  @ApiOperation({
    summary: 'Verbatims, newest first, with filters and full-text search (French and English)',
  })
  @ApiResponse({ status: 200, type: VerbatimPage })
  list(@Query() query: ListVerbatimsQuery, @Req() request: AuthenticatedRequest): Promise<VerbatimPage> {
    return this.verbatims.list(query, roleOf(request));
  }

  @Patch(':id/category')
  @Roles(...TRIAGERS)
  @ApiOperation({ summary: 'Correct the category of a verbatim (audited; trains the next model)' })
  @ApiResponse({ status: 200, type: VerbatimView })
  correctCategory(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: CorrectCategoryBody,
    @Req() request: AuthenticatedRequest,
  ): Promise<VerbatimView> {
    return this.verbatims.correctCategory(id, body.category, actorOf(request), roleOf(request));
  }

  @Patch(':id/sentiment')
  @Roles(...TRIAGERS)
  @ApiOperation({ summary: 'Correct the sentiment of a verbatim (audited; trains the next sentiment model)' })
  @ApiResponse({ status: 200, type: VerbatimView })
  correctSentiment(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: CorrectSentimentBody,
    @Req() request: AuthenticatedRequest,
  ): Promise<VerbatimView> {
    return this.verbatims.correctSentiment(id, body.label, actorOf(request), roleOf(request));
  }

  @Put(':id/irritant')
  @Roles(...TRIAGERS)
  @ApiOperation({
    summary:
      'Move a verbatim to another irritant (audited); it stays there, and the move teaches clustering and the classifier',
  })
  @ApiResponse({ status: 200, type: VerbatimView })
  moveToIrritant(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: MoveVerbatimBody,
    @Req() request: AuthenticatedRequest,
  ): Promise<VerbatimView> {
    return this.verbatims.moveToIrritant(id, body.irritantId, actorOf(request), roleOf(request));
  }

  @Get(':id')
  @Roles(...READERS)
  @ApiOperation({ summary: 'One verbatim; triagers and admins also see the raw text' })
  @ApiResponse({ status: 200, type: VerbatimView })
  get(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Req() request: AuthenticatedRequest,
  ): Promise<VerbatimView> {
    return this.verbatims.get(id, roleOf(request));
  }
}
