import { BadRequestException, Controller, Get, Header, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import type { Response } from 'express';
import { DigestService } from '@app/digest';
import { isIsoWeek } from '@app/scoring';
import { READERS, Roles } from '../auth/access.decorators';

class DigestQuery {
  @ApiPropertyOptional({ enum: ['fr', 'en'], default: 'fr' })
  @IsOptional()
  @IsIn(['fr', 'en'], { message: 'lang must be fr or en' })
  lang?: 'fr' | 'en';

  @ApiPropertyOptional({ enum: ['html', 'text'], default: 'html' })
  @IsOptional()
  @IsIn(['html', 'text'], { message: 'format must be html or text' })
  format?: 'html' | 'text';
}

@ApiTags('digests')
@ApiBearerAuth()
@Controller('api/v1/digests')
export class DigestsController {
  constructor(private readonly digests: DigestService) {}

  @Get(':isoWeek')
  @Roles(...READERS)
  @Header('cache-control', 'no-store')
  @ApiProduces('text/html', 'text/plain')
  @ApiOperation({ summary: 'The Monday digest of an ISO week, as the CEO receives it (HTML, or text)' })
  async preview(
    @Param('isoWeek') isoWeek: string,
    @Query() query: DigestQuery,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string> {
    if (!isIsoWeek(isoWeek)) throw new BadRequestException(`not an ISO week (like 2026-W48): ${isoWeek}`);
    const digest = await this.digests.render(isoWeek, query.lang ?? 'fr');
    response.type(query.format === 'text' ? 'text/plain' : 'text/html');
    return query.format === 'text' ? digest.text : digest.html;
  }
}
