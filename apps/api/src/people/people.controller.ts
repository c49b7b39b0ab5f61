import { BadRequestException, Controller, Delete, Get, HttpCode, Param, Query, Req } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, Length } from 'class-validator';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { AuthorKeys } from '@app/ingest';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PrivacyService } from '@app/analysis';
import { ADMINS, Roles } from '../auth/access.decorators';
import { type AuthenticatedRequest, actorOf } from '../auth/api-key.guard';
import { AuthorKeyPipe } from './author-key.pipe';

class LookupQuery {
  @ApiPropertyOptional({ description: 'An e-mail address the person wrote from' })
  @IsOptional()
  @IsEmail({}, { message: 'email must be an e-mail address' })
  email?: string;

  @ApiPropertyOptional({
    description: 'A phone number the person wrote from (+33 6 12 34 56 78, 0612345678)',
  })
  @IsOptional()
  @IsString()
  @Length(4, 40)
  phone?: string;
}

class PersonTraces {
  @ApiProperty({ description: 'The keyed hash the API shows for their verbatims; erase with DELETE' })
  authorKey: string;
  @ApiProperty() verbatims: number;
  @ApiProperty({ description: 'Erased: their replayed messages are skipped' }) erased: boolean;
}

class ErasureView {
  @ApiProperty({ description: 'Verbatims erased' }) verbatims: number;
  @ApiProperty() surveyAnswers: number;
  @ApiProperty() identityLinks: number;
  @ApiProperty({ description: 'Irritants whose counts were taken again without them' })
  irritantsRecounted: number;
}

/**
 * The ways a phone number may have been written by a source: as given, in E.164 with and without
 * its "+", and national digits (French numbering when no country code is given).
 */
function phoneForms(phone: string): string[] {
  const given = phone.trim();
  const parsed = parsePhoneNumberFromString(given, 'FR');
  const forms = [given, given.replace(/[^0-9+]/g, '')];
  if (parsed)
    forms.push(parsed.number, parsed.number.slice(1), `0${parsed.nationalNumber}`, parsed.nationalNumber);
  return [...new Set(forms)];
}

@ApiTags('privacy')
@ApiBearerAuth()
@Controller('api/v1/people')
export class PeopleController {
  constructor(
    private readonly privacy: PrivacyService,
    private readonly authorKeys: AuthorKeys,
  ) {}

  @Get('lookup')
  @Roles(...ADMINS)
  @ApiOperation({
    summary:
      'Find a person by e-mail or phone (admin, before an erasure): hashed the way authors are, never stored',
  })
  @ApiOkResponse({ type: [PersonTraces] })
  async lookup(@Query() query: LookupQuery): Promise<PersonTraces[]> {
    if (!query.email && !query.phone) throw new BadRequestException('give email or phone');
    const forms = [...(query.email ? [query.email] : []), ...(query.phone ? phoneForms(query.phone) : [])];
    const traces = await this.privacy.traces([...new Set(forms.map((form) => this.authorKeys.of(form)))]);
    // Only keys something is known of: the others name no one here.
    return traces.filter((trace) => trace.verbatims > 0 || trace.erased);
  }

  @Delete(':authorKey')
  @Roles(...ADMINS)
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Erase a person (GDPR, admin): their verbatims, survey answers, identity links and quotes; their irritants recounted',
  })
  @ApiOkResponse({ type: ErasureView })
  erase(
    @Param('authorKey', AuthorKeyPipe) authorKey: string,
    @Req() request: AuthenticatedRequest,
  ): Promise<ErasureView> {
    return this.privacy.erase(authorKey, actorOf(request));
  }
}
