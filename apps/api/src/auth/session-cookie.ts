import { timingSafeEqual } from 'node:crypto';
import type { CookieOptions, Request, Response } from 'express';
import type { AppConfig } from '@app/config';

export const SESSION_COOKIE = 'lb_session';
export const OIDC_COOKIE = 'lb_oidc';
export const CSRF_HEADER = 'x-csrf-token';

/**
 * HttpOnly (scripts never read it), SameSite=Lax (no cross-site POST carries it), Secure whenever
 * the product is served over https. No Max-Age: the server decides when a session ends, and the
 * browser forgets it when it closes.
 */
export function cookieOptions(request: Request, config: AppConfig, path = '/'): CookieOptions {
  return {
    httpOnly: true,
    sameSite: 'lax',
    path,
    secure: request.secure || config.publicUrl.startsWith('https:'),
  };
}

export function setSessionCookie(
  request: Request,
  response: Response,
  config: AppConfig,
  token: string,
): void {
  response.cookie(SESSION_COOKIE, token, cookieOptions(request, config));
}

export function clearSessionCookie(request: Request, response: Response, config: AppConfig): void {
  response.clearCookie(SESSION_COOKIE, cookieOptions(request, config));
}

/** A cookie's value as cookie-parser read it; anything but a string (a `j:` JSON cookie) is none. */
export function cookieOf(request: Request, name: string): string | undefined {
  const value = (request.cookies as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The CSRF header against the session's token, in constant time. */
export function csrfMatches(request: Request, expected: string): boolean {
  const sent = request.headers[CSRF_HEADER];
  if (typeof sent !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(sent);
  return a.length === b.length && timingSafeEqual(a, b);
}
