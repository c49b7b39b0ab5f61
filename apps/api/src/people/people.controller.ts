import { Controller, Delete, HttpCode, Param, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PrivacyService } from '@app/analysis';
import { ADMINS, Roles } from '../auth/access.decorators';
import { type AuthenticatedRequest, actorOf } from '../auth/api-key.guard';
import { AuthorKeyPipe } from './author-key.pipe';

@ApiTags('privacy')
@ApiBearerAuth()
@Controller('api/v1/people')
export class PeopleController {
  constructor(private readonly privacy: PrivacyService) {}

  @Delete(':authorKey')
  @Roles(...ADMINS)
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Erase a person (GDPR, admin): their verbatims, survey answers, identity links and quotes; their irritants recounted',
  })
  erase(
    @Param('authorKey', AuthorKeyPipe) authorKey: string,
    @Req() request: AuthenticatedRequest,
  ): Promise<{
    verbatims: number;
    surveyAnswers: number;
    identityLinks: number;
    irritantsRecounted: number;
  }> {
    return this.privacy.erase(authorKey, actorOf(request));
  }
}
