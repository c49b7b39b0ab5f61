import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsEnum,
  IsIn,
  IsISO8601,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import type { Response } from 'express';
import { Channel, TicketStatus } from '@app/database';
import {
  CONTENT_TYPES,
  EXPORT_FORMATS,
  ExportFormat,
  ExportService,
  ExportTable,
  MAX_VERBATIM_ROWS,
  write,
} from '@app/exports';
import { READERS, Roles } from '../auth/access.decorators';
import { SOURCE_NAME_PATTERN } from '@app/ingest';

class FormatQuery {
  @ApiPropertyOptional({ enum: EXPORT_FORMATS, default: 'xlsx' })
  @IsOptional()
  @IsIn(EXPORT_FORMATS, { message: 'format must be csv or xlsx' })
  format?: ExportFormat;
}

class BoardExportQuery extends FormatQuery {
  @ApiPropertyOptional({ enum: ['en', 'fr'], default: 'en', description: 'The language of the reasons' })
  @IsOptional()
  @IsIn(['en', 'fr'], { message: 'lang must be en or fr' })
  lang?: 'en' | 'fr';
}

class TicketExportQuery extends FormatQuery {
  @ApiPropertyOptional({
    description: 'Comma-separated statuses (default: all)',
    example: 'todo,in_progress',
  })
  @IsOptional()
  @Matches(/^(?:todo|in_progress|fixed|deployed|dropped)(?:,(?:todo|in_progress|fixed|deployed|dropped))*$/, {
    message: 'status must be a comma-separated list of todo, in_progress, fixed, deployed, dropped',
  })
  status?: string;
}

class VerbatimExportQueryDto extends FormatQuery {
  @ApiPropertyOptional({ description: 'Full-text query, French and English (web-search syntax)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({ description: 'Source name' })
  @IsOptional()
  @Matches(SOURCE_NAME_PATTERN, { message: 'source must be a source name' })
  source?: string;

  @ApiPropertyOptional({ enum: Channel })
  @IsOptional()
  @IsEnum(Channel, { message: `channel must be one of ${Object.values(Channel).join(', ')}` })
  channel?: Channel;

  @ApiPropertyOptional({ description: 'Category key' })
  @IsOptional()
  @Matches(/^[a-z][a-z0-9_]{0,31}$/, { message: 'category must be a category key' })
  category?: string;

  @ApiPropertyOptional({ description: 'Only the verbatims of this irritant' })
  @IsOptional()
  @IsUUID('all', { message: 'irritant must be an irritant id' })
  irritant?: string;

  @ApiPropertyOptional({ description: 'Received at or after (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'from must be an ISO 8601 date' })
  from?: string;

  @ApiPropertyOptional({ description: 'Received before (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'to must be an ISO 8601 date' })
  to?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_VERBATIM_ROWS, default: MAX_VERBATIM_ROWS })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_VERBATIM_ROWS)
  limit?: number;
}

/** A file to download (Content-Disposition: attachment), CSV or XLSX as `format` says. */
const ApiFileResponse = () =>
  ApiOkResponse({ schema: { type: 'string', format: 'binary' }, description: 'The file (attachment)' });

/** Sends a table as a file to download. */
async function send(
  response: Response,
  table: ExportTable,
  name: string,
  format: ExportFormat,
): Promise<void> {
  const body = await write(table, format);
  response
    .status(200)
    .type(CONTENT_TYPES[format])
    .setHeader('Content-Disposition', `attachment; filename="${name}.${format}"`)
    .setHeader('Cache-Control', 'no-store')
    .send(body);
}

@ApiTags('exports')
@ApiBearerAuth()
@Controller('api/v1/exports')
export class ExportsController {
  constructor(private readonly exports: ExportService) {}

  @Get('boards/:isoWeek')
  @Roles(...READERS)
  @ApiProduces(CONTENT_TYPES.csv, CONTENT_TYPES.xlsx)
  @ApiOperation({
    summary:
      'A week’s board as CSV or XLSX: ranks, the four axes and their reasons, decisions, tickets, quotes (redacted)',
  })
  @ApiFileResponse()
  async board(
    @Param('isoWeek') isoWeek: string,
    @Query() query: BoardExportQuery,
    @Res() response: Response,
  ): Promise<void> {
    await send(
      response,
      await this.exports.board(isoWeek, query.lang ?? 'en'),
      `loveboard-board-${isoWeek}`,
      query.format ?? 'xlsx',
    );
  }

  @Get('tickets')
  @Roles(...READERS)
  @ApiProduces(CONTENT_TYPES.csv, CONTENT_TYPES.xlsx)
  @ApiOperation({ summary: 'Tickets as CSV or XLSX, highest priority first (up to 10,000)' })
  @ApiFileResponse()
  async tickets(@Query() query: TicketExportQuery, @Res() response: Response): Promise<void> {
    const statuses = (query.status ?? 'todo,in_progress,fixed,deployed,dropped').split(',') as TicketStatus[];
    await send(response, await this.exports.tickets(statuses), 'loveboard-tickets', query.format ?? 'xlsx');
  }

  @Get('verbatims')
  @Roles(...READERS)
  @ApiProduces(CONTENT_TYPES.csv, CONTENT_TYPES.xlsx)
  @ApiOperation({
    summary: `A verbatim search as CSV or XLSX, newest first (redacted texts, up to ${MAX_VERBATIM_ROWS.toLocaleString('en-US')})`,
  })
  @ApiFileResponse()
  async verbatims(@Query() query: VerbatimExportQueryDto, @Res() response: Response): Promise<void> {
    const table = await this.exports.verbatimSearch({
      q: query.q,
      source: query.source,
      channel: query.channel,
      category: query.category,
      irritant: query.irritant,
      from: query.from ? new Date(query.from) : undefined,
      to: query.to ? new Date(query.to) : undefined,
      limit: query.limit,
    });
    await send(response, table, 'loveboard-verbatims', query.format ?? 'xlsx');
  }
}
