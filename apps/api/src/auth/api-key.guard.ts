import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { ApiKeyService, Principal, SessionService } from '@app/auth';
import { Role } from '@app/database';
import { PUBLIC, ROLES } from './access.decorators';
import { BASIC_REFUSED, credentialId, presentedKey } from './credentials';
import { FailureLimiter } from './failure-limiter';
import { CSRF_HEADER, SESSION_COOKIE, cookieOf, csrfMatches } from './session-cookie';

export type AuthenticatedRequest = Request & {
  principal?: Principal;
  /** Set for cookie sessions: what the UI must send back in X-CSRF-Token. */
  csrfToken?: string;
};

/** Who acts, as audit records and triage decisions name them: `apikey:<id>` or `user:<id>`. */
export function actorOf(request: AuthenticatedRequest): string {
  const principal = request.principal;
  return `${principal?.kind === 'user' ? 'user' : 'apikey'}:${principal?.id ?? 'unknown'}`;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Global guard: deny by default; a route opens only to the roles it names. Programs present an
 * API key (Authorization header, which wins when both are present), people their session cookie;
 * a cookie alone never changes anything: state-changing requests must also carry the session's
 * CSRF token in X-CSRF-Token. HTTP Basic, which a browser replays by itself (CSRF), is refused
 * here: it opens the docs and queue pages only (`basicAllowed`). Wrong keys count towards the
 * failure limiter (a right key is never refused for others' failures); stale cookies do not (a
 * session token has 256 random bits: there is nothing to guess, and an idle tab must not lock its
 * person out).
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly apiKeys: ApiKeyService,
    private readonly sessions: SessionService,
    private readonly limiter: FailureLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const sent = presentedKey(request.headers.authorization);
    // Basic is ignored, not refused outright: a browser that opened /api/docs may replay it to the
    // API beside the person's session cookie, whose CSRF rule then applies as if it were absent.
    const presented = sent?.scheme === 'bearer' ? sent : null;
    const cookie = cookieOf(request, SESSION_COOKIE);
    let principal: Principal | null;
    if (presented !== null) {
      principal = await this.apiKeys.verify(presented.key);
      if (!principal) {
        const response = context.switchToHttp().getResponse<Response>();
        this.limiter.failed(request.ip ?? 'unknown', credentialId(presented.key), response);
        throw new UnauthorizedException('unknown or revoked API key');
      }
    } else if (cookie !== undefined) {
      const session = await this.sessions.resolve(cookie);
      if (!session) throw new UnauthorizedException('your session has ended: sign in again');
      principal = session.principal;
      request.csrfToken = session.csrfToken;
      if (!SAFE_METHODS.has(request.method)) {
        const sent = request.headers[CSRF_HEADER];
        if (typeof sent !== 'string' || sent === '')
          throw new ForbiddenException('missing X-CSRF-Token header (the csrfToken of GET /api/v1/me)');
        if (!csrfMatches(request, session.csrfToken))
          throw new ForbiddenException('X-CSRF-Token does not match this session');
      }
    } else if (sent?.scheme === 'basic') {
      throw new UnauthorizedException(BASIC_REFUSED);
    } else {
      throw new UnauthorizedException('sign in, or present an API key: Authorization: Bearer <key>');
    }
    request.principal = principal;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, targets);
    if (!roles || !roles.includes(principal.role)) {
      throw new ForbiddenException(`role ${principal.role} may not ${request.method} ${request.path}`);
    }
    return true;
  }
}
