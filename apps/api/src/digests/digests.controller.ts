import {
  BadRequestException,
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  Param,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';
import type { Response } from 'express';
import { DigestService } from '@app/digest';
import { ISO_WEEK_RULE, isIsoWeek } from '@app/scoring';
import { ADMINS, READERS, Roles } from '../auth/access.decorators';

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

class SendBody {
  @ApiPropertyOptional({ description: 'Send a week whose board is not frozen yet (it says so)' })
  @IsOptional()
  @IsBoolean()
  force?: boolean;

  @ApiPropertyOptional({ description: 'Send again to recipients who had it' })
  @IsOptional()
  @IsBoolean()
  resend?: boolean;
}

class SendView {
  @ApiProperty({ type: [String] }) sent: string[];
  @ApiProperty({ description: 'Sent before the board froze' }) forced: boolean;
}

class DigestDeliveryView {
  @ApiProperty() recipient: string;
  @ApiProperty() lang: string;
  @ApiProperty({ description: '0: the week’s send; more: resends' }) sequence: number;
  @ApiProperty({ enum: ['sending', 'sent', 'failed'] }) status: string;
  @ApiProperty() attempts: number;
  @ApiProperty() forced: boolean;
  @ApiProperty({ nullable: true, type: String }) sentAt: string | null;
  @ApiProperty({ nullable: true, type: String }) lastError: string | null;
}

export const DIGEST_PREVIEW_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "style-src 'unsafe-inline'",
  'img-src data:',
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'self'",
  'sandbox',
].join('; ');

const checkWeek = (isoWeek: string) => {
  if (!isIsoWeek(isoWeek)) throw new BadRequestException(`not ${ISO_WEEK_RULE}: ${isoWeek}`);
};

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
  @ApiOkResponse({ schema: { type: 'string' }, description: 'The HTML page, or the text with format=text' })
  async preview(
    @Param('isoWeek') isoWeek: string,
    @Query() query: DigestQuery,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string> {
    checkWeek(isoWeek);
    const digest = await this.digests.render(isoWeek, query.lang ?? 'fr');
    response.type(query.format === 'text' ? 'text/plain' : 'text/html');
    // An e-mail needs its styles inline (mail clients drop style sheets), which the UI's policy
    // forbids. The preview gets a policy of its own that it keeps, as webmails show a message: the
    // document is sandboxed (a unique origin, no script, no form, no navigation of the app), loads
    // nothing, and only its inline styles and data: images apply.
    response.setHeader('Content-Security-Policy', DIGEST_PREVIEW_CONTENT_SECURITY_POLICY);
    return query.format === 'text' ? digest.text : digest.html;
  }

  @Post(':isoWeek/send')
  @Roles(...ADMINS)
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Send a week’s digest now to DIGEST_RECIPIENTS who have not had it (admin): 409 while its board is not frozen unless force; resend sends it again',
  })
  @ApiOkResponse({ type: SendView })
  async send(@Param('isoWeek') isoWeek: string, @Body() body: SendBody): Promise<SendView> {
    checkWeek(isoWeek);
    const sent = await this.digests.send(isoWeek, { force: body.force, resend: body.resend });
    return { sent, forced: body.force === true };
  }

  @Get(':isoWeek/deliveries')
  @Roles(...ADMINS)
  @ApiOperation({ summary: 'Who had a week’s digest, when, and resends (admin)' })
  @ApiOkResponse({ type: [DigestDeliveryView] })
  async deliveries(@Param('isoWeek') isoWeek: string): Promise<DigestDeliveryView[]> {
    checkWeek(isoWeek);
    return (await this.digests.history(isoWeek)).map((delivery) => ({
      recipient: delivery.recipient,
      lang: delivery.lang,
      sequence: delivery.sequence,
      status: delivery.status,
      attempts: delivery.attempts,
      forced: delivery.forced,
      sentAt: delivery.sentAt?.toISOString() ?? null,
      lastError: delivery.lastError,
    }));
  }
}
