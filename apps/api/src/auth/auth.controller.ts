import { randomUUID } from 'node:crypto';
import {
  Body,
  Controller,
  ForbiddenException,
  Get,
  HttpCode,
  Inject,
  Logger,
  OnApplicationBootstrap,
  Post,
  Query,
  Req,
  Res,
  UnauthorizedException,
} from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import {
  ApiKeyService,
  OIDC_ATTEMPT_TTL_MS,
  OidcService,
  OidcSignInError,
  type Principal,
  SessionService,
  UserService,
} from '@app/auth';
import { APP_CONFIG, AppConfig } from '@app/config';
import { Public } from './access.decorators';
import { LocalSignIn, Providers, SessionView } from './auth.dto';
import { credentialId, presentedKey } from './credentials';
import { FailureLimiter } from './failure-limiter';
import {
  OIDC_COOKIE,
  SESSION_COOKIE,
  clearSessionCookie,
  cookieOf,
  cookieOptions,
  csrfMatches,
  setSessionCookie,
} from './session-cookie';

const OIDC_COOKIE_PATH = '/auth/oidc';

/**
 * Where a sign-in may send the browser back to: a path of this site only. `//evil.example`,
 * `/\evil.example`, absolute URLs and control characters all become `/` (no open redirect).
 */
export function safeReturnTo(value: unknown): string {
  if (typeof value !== 'string' || value.length > 2_000 || !value.startsWith('/')) return '/';
  // Control characters (browsers drop tabs and newlines: `/\t/evil.example` is `//evil.example`)
  // and backslashes (read as slashes) never belong in a path of ours.
  if (value.startsWith('//') || [...value].some((char) => char <= ' ' || char === '\x7f' || char === '\\'))
    return '/';
  try {
    const base = 'http://loveboard.invalid';
    const parsed = new URL(value, base);
    if (parsed.origin !== base) return '/';
    return `${parsed.pathname}${parsed.search}${parsed.hash}`;
  } catch {
    return '/';
  }
}

const signInError = (code: string) => `/sign-in?error=${encodeURIComponent(code)}`;

/** Signing in and out: public routes, each guarding itself. */
@ApiTags('sign-in')
@Controller('auth')
export class AuthController implements OnApplicationBootstrap {
  private readonly logger = new Logger(AuthController.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly users: UserService,
    private readonly sessions: SessionService,
    private readonly oidc: OidcService,
    private readonly limiter: FailureLimiter,
    private readonly apiKeys: ApiKeyService,
  ) {}

  onApplicationBootstrap(): void {
    // In the background: a provider that is down delays no start.
    this.oidc.warmUp();
  }

  @Get('providers')
  @Public()
  @ApiOperation({ summary: 'How people may sign in here: local accounts, single sign-on' })
  @ApiResponse({ status: 200, type: Providers })
  providers(): Providers {
    const label = this.oidc.label;
    return { local: this.config.localAccounts, oidc: label === null ? null : { label } };
  }

  @Get('session')
  @Public()
  @ApiOperation({
    summary:
      'Whether this browser is signed in, and who: always 200 (signedIn false rather than a 401 the console would log)',
  })
  @ApiResponse({ status: 200, type: SessionView })
  async session(
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SessionView> {
    // The same credentials as the guard, in the same order: an API key (the UI's dev proxy) wins.
    // Bearer only: Basic is for the documentation and queue pages alone (CSRF, docs/AUTH.md).
    const presented = presentedKey(request.headers.authorization);
    const key = presented?.scheme === 'bearer' ? presented.key : null;
    const cookie = cookieOf(request, SESSION_COOKIE);
    let principal: Principal | null = null;
    let csrfToken: string | undefined;
    if (key !== null) {
      // Wrong keys count here as they do everywhere: this route is no way round the limit. As in
      // the guard, a right key is never refused for others' failures (256 bits: nothing to guess).
      const address = request.ip ?? 'unknown';
      principal = await this.apiKeys.verify(key);
      if (!principal) this.limiter.failed(address, credentialId(key), response);
    } else if (cookie !== undefined) {
      const session = await this.sessions.resolve(cookie);
      principal = session?.principal ?? null;
      csrfToken = session?.csrfToken;
    }
    if (!principal) return { signedIn: false };
    return {
      signedIn: true,
      me: {
        id: principal.id,
        kind: principal.kind,
        ...(principal.email !== undefined ? { email: principal.email } : {}),
        displayName: principal.name,
        role: principal.role,
        ...(csrfToken !== undefined ? { csrfToken } : {}),
      },
    };
  }

  @Post('local')
  @Public()
  @HttpCode(204)
  @ApiOperation({ summary: 'Sign in with an e-mail address and password; sets the lb_session cookie' })
  @ApiResponse({ status: 204, description: 'Signed in: Set-Cookie lb_session (HttpOnly, SameSite=Lax)' })
  @ApiResponse({ status: 401, description: 'Wrong e-mail address or password (one message for both)' })
  @ApiResponse({ status: 403, description: 'Local accounts are off on this installation' })
  @ApiResponse({ status: 429, description: 'Too many failures from this address; see Retry-After' })
  async local(
    @Body() body: LocalSignIn,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<void> {
    const address = request.ip ?? 'unknown';
    // Passwords can be guessed: an account that failed too often from this address is refused
    // before its password is checked; other accounts from the same address are not.
    const account = `user:${body.email.trim().toLowerCase()}`;
    this.limiter.checkCredential(address, account, response);
    if (!this.config.localAccounts)
      throw new ForbiddenException('local accounts are off here (LOCAL_ACCOUNTS): use single sign-on');
    const user = await this.users.authenticate(body.email, body.password);
    if (!user) {
      this.limiter.failed(address, account, response);
      throw new UnauthorizedException('wrong e-mail address or password');
    }
    await this.replaceSession(request, response, user.id);
  }

  /** A new token at every sign-in (no fixation); the browser's previous session, if any, ends. */
  private async replaceSession(request: Request, response: Response, userId: string): Promise<void> {
    const previous = cookieOf(request, SESSION_COOKIE);
    if (previous !== undefined) await this.sessions.end(previous);
    const session = await this.sessions.create(userId);
    setSessionCookie(request, response, this.config, session.token);
  }

  @Post('logout')
  @Public()
  @HttpCode(204)
  @ApiOperation({
    summary: 'Sign out: ends the session and clears its cookie (X-CSRF-Token required with a live session)',
  })
  @ApiResponse({ status: 204, description: 'Signed out (or was not signed in)' })
  @ApiResponse({ status: 403, description: 'A live session without its X-CSRF-Token' })
  async logout(@Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<void> {
    const token = cookieOf(request, SESSION_COOKIE);
    if (token !== undefined) {
      const session = await this.sessions.resolve(token);
      // Another site must not sign people out either: the same CSRF rule as every state change.
      if (session && !csrfMatches(request, session.csrfToken))
        throw new ForbiddenException('missing or wrong X-CSRF-Token header');
      await this.sessions.end(token);
    }
    clearSessionCookie(request, response, this.config);
  }

  @Get('oidc/login')
  @Public()
  @ApiOperation({ summary: 'Start single sign-on: 302 to the OpenID provider' })
  @ApiQuery({
    name: 'returnTo',
    required: false,
    type: String,
    description: 'A path of this site to land on once signed in (anything else: /)',
  })
  @ApiResponse({ status: 302, description: 'To the provider; to /sign-in?error=<code> when it cannot start' })
  async oidcLogin(
    @Query('returnTo') returnTo: unknown,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    try {
      const start = await this.oidc.start(safeReturnTo(returnTo));
      response.cookie(OIDC_COOKIE, start.cookie, {
        ...cookieOptions(request, this.config, OIDC_COOKIE_PATH),
        maxAge: OIDC_ATTEMPT_TTL_MS,
      });
      response.redirect(302, start.url);
    } catch (error) {
      response.redirect(302, signInError(this.codeOf(error)));
    }
  }

  @Get('oidc/callback')
  @Public()
  @ApiOperation({
    summary: "The provider's redirect back: signs the person in, 302 to where they were going",
  })
  @ApiResponse({ status: 302, description: 'To returnTo, signed in; to /sign-in?error=<code> otherwise' })
  async oidcCallback(@Req() request: Request, @Res() response: Response): Promise<void> {
    const query = request.originalUrl.includes('?')
      ? request.originalUrl.slice(request.originalUrl.indexOf('?') + 1)
      : '';
    response.clearCookie(OIDC_COOKIE, cookieOptions(request, this.config, OIDC_COOKIE_PATH));
    try {
      const { user, returnTo } = await this.oidc.finish(query, cookieOf(request, OIDC_COOKIE));
      await this.replaceSession(request, response, user.id);
      response.redirect(302, safeReturnTo(returnTo));
    } catch (error) {
      response.redirect(302, signInError(this.codeOf(error)));
    }
  }

  private codeOf(error: unknown): string {
    if (error instanceof OidcSignInError) return error.code;
    const errorId = randomUUID();
    this.logger.error({ errorId, err: error }, 'single sign-on failed');
    return 'server_error';
  }
}
