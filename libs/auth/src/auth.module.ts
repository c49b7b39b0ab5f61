import { Global, Module } from '@nestjs/common';
import { ApiKeyService } from './api-key.service';
import { OidcService } from './oidc.service';
import { SessionService } from './session.service';
import { UserService } from './user.service';

@Global()
@Module({
  providers: [ApiKeyService, UserService, SessionService, OidcService],
  exports: [ApiKeyService, UserService, SessionService, OidcService],
})
export class AuthModule {}
