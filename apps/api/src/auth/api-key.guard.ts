import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ApiKeyService, Principal } from '@app/auth';
import { Role } from '@app/database';
import { PUBLIC, ROLES } from './access.decorators';
import { keyFromAuthorization } from './credentials';

export type AuthenticatedRequest = Request & { principal?: Principal };

/** Who acts, as audit records and triage decisions name them. */
export function actorOf(request: AuthenticatedRequest): string {
  return `apikey:${request.principal?.id ?? 'unknown'}`;
}

/** Global guard: deny by default; a route opens only to the roles it names. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly apiKeys: ApiKeyService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const key = keyFromAuthorization(request.headers.authorization);
    if (key === null) throw new UnauthorizedException('an API key is required: Authorization: Bearer <key>');
    const principal = await this.apiKeys.verify(key);
    if (!principal) throw new UnauthorizedException('unknown or revoked API key');
    request.principal = principal;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, targets);
    if (!roles || !roles.includes(principal.role)) {
      throw new ForbiddenException(`role ${principal.role} may not ${request.method} ${request.path}`);
    }
    return true;
  }
}
