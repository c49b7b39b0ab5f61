import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { SessionService } from '@app/auth';
import { Role } from '@app/database';
import { SESSION_COOKIE, cookieOf } from './session-cookie';

const READS = new Set(['GET', 'HEAD']);

/**
 * The API documentation opened from the browser by a signed-in admin: their session cookie is
 * enough to read it (GET and HEAD only: the cookie alone never acts). Everyone else, and every
 * other method, goes through `byKey` (the API key rule, with its Basic challenge).
 */
export function adminSessionOrKey(sessions: SessionService, byKey: RequestHandler): RequestHandler {
  return (request: Request, response: Response, next: NextFunction) => {
    const cookie = cookieOf(request, SESSION_COOKIE);
    if (request.headers.authorization !== undefined || cookie === undefined || !READS.has(request.method))
      return byKey(request, response, next);
    sessions.resolve(cookie).then(
      (session) => {
        if (!session) return byKey(request, response, next);
        if (session.principal.role === Role.Admin) return next();
        response.status(403).json({
          statusCode: 403,
          error: 'Forbidden',
          message: `role ${session.principal.role} may not open ${request.baseUrl}: admins only`,
        });
      },
      (error: unknown) => next(error),
    );
  };
}
