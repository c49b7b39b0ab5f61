import { HttpException } from '@nestjs/common';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { ApiKeyService } from '@app/auth';
import type { Role } from '@app/database';
import {
  BASIC_CHALLENGE,
  BASIC_REFUSED,
  BEARER_CHALLENGE,
  basicAllowed,
  credentialId,
  presentedKey,
} from './credentials';
import type { FailureLimiter } from './failure-limiter';

/**
 * The same rule as the guard, for the HTML pages Nest does not route itself (Swagger UI, Bull
 * Board): a key of one of `roles`, wrong keys counted by the failure limiter. A browser may open
 * them with its own login prompt (HTTP Basic, challenged here only), for GET alone: anything that
 * changes something (Bull Board's retry, clean, pause) needs `Authorization: Bearer`.
 */
export function requireKey(
  apiKeys: ApiKeyService,
  limiter: FailureLimiter,
  roles: readonly Role[],
): RequestHandler {
  return (request: Request, response: Response, next: NextFunction) => {
    const deny = (status: number, message: string) => {
      // The browser's prompt only where Basic is taken (GET): a write must come with a Bearer key.
      if (status === 401)
        response.setHeader(
          'WWW-Authenticate',
          basicAllowed(request.method, request.originalUrl.split('?')[0])
            ? BASIC_CHALLENGE
            : BEARER_CHALLENGE,
        );
      const error = status === 401 ? 'Unauthorized' : status === 403 ? 'Forbidden' : 'Too Many Requests';
      response.status(status).json({ statusCode: status, error, message });
    };
    const presented = presentedKey(request.headers.authorization);
    if (presented === null) return deny(401, 'an API key is required');
    if (presented.scheme === 'basic' && !basicAllowed(request.method, request.originalUrl.split('?')[0]))
      return deny(401, BASIC_REFUSED);
    apiKeys.verify(presented.key).then(
      (principal) => {
        if (!principal) {
          try {
            limiter.failed(request.ip ?? 'unknown', credentialId(presented.key), response);
          } catch (refused) {
            if (refused instanceof HttpException) return deny(refused.getStatus(), refused.message);
            throw refused;
          }
          return deny(401, 'unknown or revoked API key');
        }
        if (!roles.includes(principal.role))
          return deny(403, `role ${principal.role} may not open ${request.baseUrl}`);
        next();
      },
      (error: unknown) => next(error),
    );
  };
}
