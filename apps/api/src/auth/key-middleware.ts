import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { ApiKeyService } from '@app/auth';
import type { Role } from '@app/database';
import { BASIC_CHALLENGE, keyFromAuthorization } from './credentials';

/**
 * The same rule as the guard, for what Nest does not route itself (Swagger UI, Bull Board). Answers
 * a Basic challenge so that a browser asks for the key.
 */
export function requireKey(apiKeys: ApiKeyService, roles: readonly Role[]): RequestHandler {
  return (request: Request, response: Response, next: NextFunction) => {
    const key = keyFromAuthorization(request.headers.authorization);
    const deny = (status: number, message: string) => {
      if (status === 401) response.setHeader('WWW-Authenticate', BASIC_CHALLENGE);
      response
        .status(status)
        .json({ statusCode: status, error: status === 401 ? 'Unauthorized' : 'Forbidden', message });
    };
    if (key === null) return deny(401, 'an API key is required');
    apiKeys.verify(key).then(
      (principal) => {
        if (!principal) return deny(401, 'unknown or revoked API key');
        if (!roles.includes(principal.role))
          return deny(403, `role ${principal.role} may not open ${request.baseUrl}`);
        next();
      },
      (error: unknown) => next(error),
    );
  };
}
