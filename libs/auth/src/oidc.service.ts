import { Inject, Injectable, Logger } from '@nestjs/common';
import * as client from 'openid-client';
import { APP_CONFIG, AppConfig, OidcConfig, PersonRole, SecretBox } from '@app/config';
import { AuditRepository, Role, Transactions, User, UserConflictError, UserRepository } from '@app/database';
import { normaliseEmail } from './user.service';

/** Where the browser goes to sign in, and the sealed cookie that must come back with it. */
export interface OidcStart {
  url: string;
  /** state, nonce, PKCE verifier and return path, sealed (AES-GCM): unreadable and unalterable. */
  cookie: string;
}

/**
 * A sign-in that did not happen, with a code the sign-in page can explain. Never a 5xx: the
 * provider, the browser and the link are all outside our control.
 */
export class OidcSignInError extends Error {
  constructor(
    readonly code:
      | 'oidc_not_configured'
      | 'provider_unavailable'
      | 'access_denied'
      | 'provider_error'
      | 'bad_state'
      | 'expired'
      | 'token_rejected'
      | 'email_missing'
      | 'account_conflict'
      | 'account_disabled',
    reason?: string,
  ) {
    super(reason ?? code);
    this.name = 'OidcSignInError';
  }
}

interface PendingSignIn {
  state: string;
  nonce: string;
  verifier: string;
  returnTo: string;
  /** ms since the epoch. */
  expiresAt: number;
}

/** Long enough to type a password and pass a second factor at the provider, short enough to not linger. */
export const OIDC_ATTEMPT_TTL_MS = 10 * 60_000;
// A provider that failed discovery is asked again at the next sign-in, but not more often than this.
const REDISCOVER_AFTER_MS = 5_000;
const RANK: Record<PersonRole, number> = { viewer: 0, triager: 1, admin: 2 };

/** A claim by name, or by a dotted path into nested objects (`realm_access.roles`). */
function claimAt(claims: Record<string, unknown>, path: string): unknown {
  if (path in claims) return claims[path];
  let value: unknown = claims;
  for (const part of path.split('.')) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** The highest role the claim's values map to, or the default role when none is mapped. */
export function roleFromClaims(claims: Record<string, unknown>, oidc: OidcConfig): Role {
  const raw = claimAt(claims, oidc.roleClaim);
  const values = (Array.isArray(raw) ? raw : [raw]).filter(
    (item): item is string => typeof item === 'string',
  );
  let best: PersonRole | null = null;
  for (const value of values) {
    const role = oidc.roleMap.get(value);
    if (role && (best === null || RANK[role] > RANK[best])) best = role;
  }
  return (best ?? oidc.defaultRole) as Role;
}

/**
 * Single sign-on with the company's OpenID provider: authorization code flow with PKCE, state and
 * nonce. The provider's metadata is fetched at the first need and again after a failure, so that a
 * provider down when the API starts delays no start and breaks only the sign-ins of its downtime.
 */
@Injectable()
export class OidcService {
  private readonly logger = new Logger(OidcService.name);
  private discovered: Promise<client.Configuration> | null = null;
  private failedAt = 0;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly box: SecretBox,
    private readonly users: UserRepository,
    private readonly audit: AuditRepository,
    private readonly transactions: Transactions,
  ) {}

  get enabled(): boolean {
    return this.config.oidc !== null;
  }

  get label(): string | null {
    return this.config.oidc?.label ?? null;
  }

  /** Fetches the provider's metadata in the background (at boot): a failure is only logged. */
  warmUp(): void {
    if (this.config.oidc) this.configuration().catch(() => undefined);
  }

  private settings(): OidcConfig {
    if (!this.config.oidc) throw new OidcSignInError('oidc_not_configured');
    return this.config.oidc;
  }

  private configuration(): Promise<client.Configuration> {
    const oidc = this.settings();
    if (this.discovered) return this.discovered;
    if (Date.now() - this.failedAt < REDISCOVER_AFTER_MS)
      return Promise.reject(new OidcSignInError('provider_unavailable'));
    const issuer = new URL(oidc.issuer);
    const attempt = client
      .discovery(
        issuer,
        oidc.clientId,
        undefined,
        oidc.clientSecret === null ? client.None() : client.ClientSecretBasic(oidc.clientSecret),
        {
          timeout: 10,
          // Plain http is accepted by the config on the loopback only (a local provider, tests).
          // The ID token's signature is checked against the provider's published keys (jwks_uri):
          // TLS alone would trust a token signed by any key, one outside the provider's set included.
          execute:
            issuer.protocol === 'http:'
              ? [client.allowInsecureRequests, client.enableNonRepudiationChecks]
              : [client.enableNonRepudiationChecks],
        },
      )
      .catch((error: unknown) => {
        this.discovered = null;
        this.failedAt = Date.now();
        this.logger.warn(
          `OpenID provider ${oidc.issuer} unreachable (${error instanceof Error ? error.message : String(error)}); sign-ins through it fail until it answers`,
        );
        throw new OidcSignInError('provider_unavailable');
      });
    this.discovered = attempt;
    return attempt;
  }

  /** The provider's authorization URL for a new attempt, and the cookie that ties the browser to it. */
  async start(returnTo: string, now = Date.now()): Promise<OidcStart> {
    const configuration = await this.configuration();
    const pending: PendingSignIn = {
      state: client.randomState(),
      nonce: client.randomNonce(),
      verifier: client.randomPKCECodeVerifier(),
      returnTo,
      expiresAt: now + OIDC_ATTEMPT_TTL_MS,
    };
    const url = client.buildAuthorizationUrl(configuration, {
      redirect_uri: this.settings().redirectUri,
      scope: 'openid email profile',
      response_type: 'code',
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: await client.calculatePKCECodeChallenge(pending.verifier),
      code_challenge_method: 'S256',
    });
    return { url: url.href, cookie: this.box.seal(JSON.stringify(pending)) };
  }

  /** The attempt a cookie stands for, or null when it is not one of ours or was altered. */
  private open(cookie: string): PendingSignIn | null {
    try {
      const value = JSON.parse(this.box.open(cookie)) as Partial<PendingSignIn>;
      const valid =
        typeof value.state === 'string' &&
        typeof value.nonce === 'string' &&
        typeof value.verifier === 'string' &&
        typeof value.returnTo === 'string' &&
        typeof value.expiresAt === 'number';
      return valid ? (value as PendingSignIn) : null;
    } catch {
      return null;
    }
  }

  /**
   * Finishes an attempt: checks the provider's answer against the cookie, exchanges the code,
   * validates the ID token (signature, issuer, audience, expiry, nonce), then finds or provisions
   * the person and sets their role from the claims.
   * @param query the callback's query string, as received.
   */
  async finish(
    query: string,
    cookie: string | undefined,
    now = Date.now(),
  ): Promise<{ user: User; returnTo: string }> {
    const oidc = this.settings();
    const params = new URLSearchParams(query);
    const error = params.get('error');
    if (error !== null)
      throw new OidcSignInError(error === 'access_denied' ? 'access_denied' : 'provider_error');
    if (!cookie) throw new OidcSignInError('bad_state', 'no sign-in in progress in this browser');
    const pending = this.open(cookie);
    if (!pending) throw new OidcSignInError('bad_state', 'the sign-in cookie was altered');
    if (pending.expiresAt <= now) throw new OidcSignInError('expired');
    if (params.get('state') !== pending.state) throw new OidcSignInError('bad_state', 'state does not match');
    const configuration = await this.configuration();
    const currentUrl = new URL(oidc.redirectUri);
    currentUrl.search = params.toString();
    let claims: Record<string, unknown>;
    let accessToken: string;
    try {
      const tokens = await client.authorizationCodeGrant(configuration, currentUrl, {
        pkceCodeVerifier: pending.verifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      claims = { ...(tokens.claims() ?? {}) };
      accessToken = tokens.access_token;
    } catch (failure) {
      // The reason, never the token or the code: openid-client's messages name neither.
      this.logger.warn(
        `OpenID sign-in refused: ${failure instanceof Error ? failure.message : String(failure)}`,
      );
      throw new OidcSignInError('token_rejected');
    }
    const subject = claims.sub;
    if (typeof subject !== 'string' || subject === '') throw new OidcSignInError('token_rejected');
    if (claimAt(claims, oidc.roleClaim) === undefined || typeof claims.email !== 'string') {
      // Some providers keep groups and e-mail to the userinfo endpoint.
      const userinfo = await this.userinfo(configuration, accessToken, subject);
      for (const [name, value] of Object.entries(userinfo)) if (!(name in claims)) claims[name] = value;
    }
    const user = await this.provision(oidc, subject, claims);
    return { user, returnTo: pending.returnTo };
  }

  private async userinfo(
    configuration: client.Configuration,
    accessToken: string,
    subject: string,
  ): Promise<Record<string, unknown>> {
    if (!configuration.serverMetadata().userinfo_endpoint) return {};
    try {
      return { ...(await client.fetchUserInfo(configuration, accessToken, subject)) };
    } catch (failure) {
      this.logger.warn(
        `OpenID userinfo unavailable: ${failure instanceof Error ? failure.message : String(failure)}`,
      );
      return {};
    }
  }

  /** By issuer and subject; else by verified e-mail (linking an account made beforehand); else a new account. */
  private provision(oidc: OidcConfig, subject: string, claims: Record<string, unknown>): Promise<User> {
    const issuer = oidc.issuer;
    const role = roleFromClaims(claims, oidc);
    const email = typeof claims.email === 'string' ? normaliseEmail(claims.email) : null;
    const verified = claims.email_verified === true;
    const name =
      [claims.name, claims.preferred_username]
        .find((value): value is string => typeof value === 'string' && value.trim() !== '')
        ?.trim()
        .slice(0, 120) ?? null;
    const now = new Date();
    return this.transactions
      .run(async (tx) => {
        let user = await this.users.findByOidc(issuer, subject, tx);
        if (!user && email !== null && verified) {
          const byEmail = await this.users.findByEmail(email, tx);
          if (byEmail) {
            if (byEmail.oidcSubject !== null) throw new OidcSignInError('account_conflict');
            await this.users.update(byEmail.id, { oidcIssuer: issuer, oidcSubject: subject }, tx);
            await this.audit.record(
              {
                actor: `user:${byEmail.id}`,
                action: 'user.link',
                subjectType: 'app_user',
                subjectId: byEmail.id,
                after: { issuer },
              },
              tx,
            );
            user = byEmail;
          }
        }
        if (!user) {
          if (email === null) throw new OidcSignInError('email_missing');
          const created = await this.users.create(
            {
              email,
              displayName: name ?? email.split('@')[0],
              role,
              oidcIssuer: issuer,
              oidcSubject: subject,
            },
            tx,
          );
          await this.audit.record(
            {
              actor: `user:${created.id}`,
              action: 'user.provision',
              subjectType: 'app_user',
              subjectId: created.id,
              after: { issuer, role },
            },
            tx,
          );
          user = created;
        }
        if (user.disabledAt !== null) throw new OidcSignInError('account_disabled');
        if (user.role !== role) {
          await this.audit.record(
            {
              actor: `oidc:${issuer}`,
              action: 'user.update',
              subjectType: 'app_user',
              subjectId: user.id,
              before: { role: user.role },
              after: { role },
            },
            tx,
          );
        }
        const changes = { role, lastSignInAt: now, ...(name !== null ? { displayName: name } : {}) };
        await this.users.update(user.id, changes, tx);
        return { ...user, ...changes };
      })
      .catch((error: unknown) => {
        // Two first sign-ins of one new person at once: the loser of the race is told to retry.
        if (error instanceof UserConflictError) throw new OidcSignInError('account_conflict');
        throw error;
      });
  }
}
