import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  HttpException,
  HttpStatus,
  Inject,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { LRUCache } from 'lru-cache';
import { APP_CONFIG, AppConfig } from '@app/config';
import { ApiKeyService, Principal } from '@app/auth';
import { Role } from '@app/database';
import { PUBLIC, ROLES } from './access.decorators';
import { keyFromAuthorization } from './credentials';

export type AuthenticatedRequest = Request & { principal?: Principal };

/** Who acts, as audit records and triage decisions name them. */
export function actorOf(request: AuthenticatedRequest): string {
  return `apikey:${request.principal?.id ?? 'unknown'}`;
}

const FAILURE_WINDOW_MS = 60_000;

/**
 * Global guard: deny by default; a route opens only to the roles it names. An address that keeps
 * presenting wrong keys is refused (429) for the rest of the minute, valid key or not: guessing
 * keys costs a minute per AUTH_FAILURES_PER_MINUTE tries.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly failures = new LRUCache<string, { count: number; until: number }>({ max: 100_000 });

  constructor(
    private readonly reflector: Reflector,
    private readonly apiKeys: ApiKeyService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const address = request.ip ?? 'unknown';
    const now = Date.now();
    const failed = this.failures.get(address);
    if (failed && failed.until > now && failed.count >= this.config.authFailuresPerMinute) {
      context
        .switchToHttp()
        .getResponse<Response>()
        .setHeader('Retry-After', String(Math.ceil((failed.until - now) / 1000)));
      throw new HttpException(
        'too many failed authentications from this address: try again later',
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
    const key = keyFromAuthorization(request.headers.authorization);
    if (key === null) throw new UnauthorizedException('an API key is required: Authorization: Bearer <key>');
    const principal = await this.apiKeys.verify(key);
    if (!principal) {
      const current = failed && failed.until > now ? failed : { count: 0, until: now + FAILURE_WINDOW_MS };
      this.failures.set(address, { count: current.count + 1, until: current.until });
      throw new UnauthorizedException('unknown or revoked API key');
    }
    request.principal = principal;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, targets);
    if (!roles || !roles.includes(principal.role)) {
      throw new ForbiddenException(`role ${principal.role} may not ${request.method} ${request.path}`);
    }
    return true;
  }
}
