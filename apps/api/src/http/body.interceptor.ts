import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Observable, from, switchMap } from 'rxjs';
import {
  BODY_RULE,
  BodyRule,
  BodyStats,
  DEFAULT_BODY_RULE,
  RequestWithRawBody,
  hasBody,
  parseBody,
  readBody,
} from './body-parser';

/**
 * Reads and parses the request body, under the route's own rule (`@AcceptsBody`), once the access
 * guard has let the request through: guards run before interceptors, so an unauthenticated request
 * is answered 401 with its body unread (Node drops it unparsed). Validation pipes run after.
 */
@Injectable()
export class BodyInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly stats: BodyStats,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<RequestWithRawBody>();
    // `complete` says nothing here: a small body has often fully arrived, unread, by now.
    if (!hasBody(request) || request.readableEnded) return next.handle();
    const rule =
      this.reflector.getAllAndOverride<BodyRule | undefined>(BODY_RULE, [
        context.getHandler(),
        context.getClass(),
      ]) ?? DEFAULT_BODY_RULE;
    return from(readBody(request, rule, this.stats)).pipe(
      switchMap((bytes) => {
        if (rule.keepRaw) request.rawBody = bytes;
        request.body = parseBody(request, bytes, rule);
        return next.handle();
      }),
    );
  }
}
