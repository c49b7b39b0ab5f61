/**
 * The process environment, validated once at boot into a typed, frozen config.
 *
 * Every variable is listed in `.env.example` with its default. A missing or malformed variable stops
 * the process with one line that names it and says what it expects (see `ConfigError`).
 */
import { hostname } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { IANAZone } from 'luxon';

export type RunMode = 'embedded' | 'server';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export interface AppConfig {
  readonly nodeEnv: 'development' | 'production' | 'test';
  readonly host: string;
  readonly port: number;
  /** `null`: embedded PostgreSQL (PGlite) persisted under `dataDir`. */
  readonly databaseUrl: string | null;
  /** `null`: jobs run in-process through the same handlers. */
  readonly redisUrl: string | null;
  readonly dataDir: string;
  readonly logLevel: LogLevel;
  /**
   * `null`: logs go to stdout only. Otherwise every process also appends its log lines to
   * `<logDir>/<app>-<pid>.log` (for log shippers that read files, and for the tests' log scan).
   */
  readonly logDir: string | null;
  /** Level of the lines written under `logDir` (default: `logLevel`). */
  readonly logDirLevel: LogLevel;
  /** Jobs a process runs at once (per queue for BullMQ workers, in total in-process). */
  readonly jobConcurrency: number;
  /** How long a BullMQ worker holds a job before another worker may take it over (ms). */
  readonly jobLockMs: number;
  /** Prefix of every BullMQ key in Redis, so that several installations can share one Redis. */
  readonly queuePrefix: string;
  /** Load the demo verbatims on the first start (default: on in embedded mode). */
  readonly demoData: boolean;
  /** Secret mixed into the hash of author identities, so that the hashes cannot be reversed by lookup. */
  readonly authorKeySecret: string | null;
  /** Key that seals stored secrets (webhook and connector secrets); embedded mode makes its own. */
  readonly secretsKey: string | null;
  readonly databasePoolSize: number;
  /** Seconds a verbatim or import chunk may wait in a stage before the sweeper enqueues it again. */
  readonly sweepAfterSeconds: number;
  /** How often a process looks for a newer classifier model (seconds). */
  readonly modelRefreshSeconds: number;
  /** How often the classifier is retrained from the triage team's decisions (hours; 0: never). */
  readonly modelRetrainHours: number;
  /** The company's time zone: ISO weeks, the Monday freeze and the digest follow it. */
  readonly timeZone: string;
  /** Local time on Monday at which the previous week's board freezes ("08:00"). */
  readonly boardFreezeAt: string;
  /** How often the live board of the current week is recomputed (minutes). */
  readonly boardRefreshMinutes: number;
  /** A scoring profile file (JSON) in place of the default one; validated at boot. */
  readonly scoringProfilePath: string | null;
  /** Where the Monday meeting may route an irritant (decision `route`). */
  readonly departments: readonly string[];
  /** Time-to-fix target, first verbatim to deployed (days). */
  readonly timeToFixTargetDays: number;
  /** Days a department has to answer a routed decision before it is flagged on the board and digest. */
  readonly routedAnswerTargetDays: number;
  /** Where the Monday digest is sent through (`smtp://user:pass@host:port`); null: not sent. */
  readonly smtpUrl: string | null;
  readonly digestFrom: string;
  /** Who receives the digest, and in which language. */
  readonly digestRecipients: readonly { address: string; lang: 'fr' | 'en' }[];
  /** Local time on Monday at which last week's digest is sent ("08:30", after the board freezes). */
  readonly digestSendAt: string;
  /** Irritants in the digest. */
  readonly digestTop: number;
  /** The window (days, ending at the week's end or now) over which an irritant's survey impact is measured. */
  readonly surveyImpactDays: number;
  /** A routed decision unanswered this many days is announced in chat. */
  readonly chatUnansweredDays: number;
  /** Mid-week alerts on emerging irritants (docs/ARCHITECTURE.md, "Alerts"). */
  readonly alerts: AlertThresholds;
  /** The address people open the product at, for links in the digest. */
  readonly publicUrl: string;
  /** PUBLIC_URL was given: else `publicUrl` is where the API listens (see PublicUrl). */
  readonly publicUrlSet: boolean;
  /** Where the demo shop the demo monitors watch is served (null: not served). */
  readonly demoShopPort: number | null;
  /** Failed authentications an address may make in a minute before it is refused for a while. */
  readonly authFailuresPerMinute: number;
  /** Ingestion requests (batches of up to 1,000) a key may make in a minute. */
  readonly ingestRequestsPerMinute: number;
  /** Raw text (personal data included) older than this is replaced by its redacted form (days; 0: kept). */
  readonly rawTextRetentionDays: number;
  /**
   * Outgoing webhooks, chat and tracker URLs may reach private, loopback and link-local addresses
   * (off by default: a URL an admin types must not reach the cloud's metadata service or the database).
   */
  readonly outboundPrivateAllowed: boolean;
  /** How long a person's session lasts without a request (hours; each request slides it). */
  readonly sessionHours: number;
  /** People may sign in with an e-mail and a password kept here (default: on in embedded mode). */
  readonly localAccounts: boolean;
  /** Single sign-on with the company's OpenID provider; null: not offered. */
  readonly oidc: OidcConfig | null;
  readonly mode: RunMode;
  /**
   * The instant the product's clock starts at (`Clock`), running on from there; null: the system
   * clock. For tests that start processes and for rehearsing a past Monday; refused in production.
   */
  readonly clockStart: Date | null;
}

/** When an irritant's distinct customers count as a jump above its own baseline. */
export interface AlertThresholds {
  /** Off: no scan. */
  readonly enabled: boolean;
  /** Distinct customers in the last hour / the last 24 hours below which nothing alerts. */
  readonly minCustomersHour: number;
  readonly minCustomersDay: number;
  /** The Poisson upper-tail probability under the baseline below which a count is a jump. */
  readonly pValue: number;
  /** And the count must be at least this many times the baseline's expectation. */
  readonly minRatio: number;
  /** Days before the window that make the irritant's baseline. */
  readonly baselineDays: number;
  /** The least baseline rate assumed (customers per day), for irritants with little or no history. */
  readonly floorPerDay: number;
  /** An episode ends once its irritant has not jumped for this many hours; a later jump alerts again. */
  readonly quietHours: number;
  /** New alerts announced per 24 hours at most; more are kept (API) but not announced. */
  readonly maxPerDay: number;
}

/** A role a person may hold (API keys may also be `developer`). */
export type PersonRole = 'viewer' | 'triager' | 'admin';
export const PERSON_ROLES: readonly PersonRole[] = Object.freeze(['viewer', 'triager', 'admin']);

export interface OidcConfig {
  /** The issuer identifier; its discovery document is at `<issuer>/.well-known/openid-configuration`. */
  readonly issuer: string;
  readonly clientId: string;
  /** null: a public client (PKCE alone, no client authentication at the token endpoint). */
  readonly clientSecret: string | null;
  /** The sign-in button's text. */
  readonly label: string;
  /** The claim that carries the person's groups (a dotted path reaches into objects: `realm_access.roles`). */
  readonly roleClaim: string;
  /** Claim value → role; the highest mapped role wins. */
  readonly roleMap: ReadonlyMap<string, PersonRole>;
  /** The role of a person none of whose claim values is mapped. */
  readonly defaultRole: PersonRole;
  /** `${PUBLIC_URL}/auth/oidc/callback`, registered at the provider. */
  readonly redirectUri: string;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly expected: string,
    readonly got: string | undefined,
  ) {
    super(
      `${variable}: expected ${expected}${got === undefined ? ', got nothing' : `, got ${JSON.stringify(got)}`}`,
    );
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function read(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  if (!/^-?\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(name, `an integer from ${min} to ${max}`, raw);
  }
  return Number(raw);
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(raw))
    throw new ConfigError(name, `one of ${allowed.join('|')}`, raw);
  return raw as T;
}

function decimal(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+(?:\.\d+)?(?:e-?\d+)?$/i.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(name, `a number from ${min} to ${max}`, raw);
  }
  return Number(raw);
}

function timeZone(env: Env, name: string, fallback: string): string {
  const value = read(env, name) ?? fallback;
  if (!IANAZone.isValidZone(value))
    throw new ConfigError(name, 'an IANA time zone such as Europe/Paris', value);
  return value;
}

function clockTime(env: Env, name: string, fallback: string): string {
  const value = read(env, name) ?? fallback;
  if (!/^(?:[01]\d|2[0-3]):[0-5]\d$/.test(value)) throw new ConfigError(name, 'a local time HH:MM', value);
  return value;
}

function departments(env: Env, name: string, fallback: string): readonly string[] {
  const value = read(env, name) ?? fallback;
  const list = value.split(',').map((item) => item.trim());
  if (list.length === 0 || list.some((item) => !/^[a-z][a-z0-9_]{0,39}$/.test(item))) {
    throw new ConfigError(name, 'comma-separated keys like customer_service,legal', value);
  }
  return Object.freeze([...new Set(list)]);
}

function recipients(env: Env, name: string): readonly { address: string; lang: 'fr' | 'en' }[] {
  const value = read(env, name);
  if (value === undefined || value.trim() === '') return Object.freeze([]);
  return Object.freeze(
    value.split(',').map((entry): { address: string; lang: 'fr' | 'en' } => {
      const [address, lang = 'fr'] = entry.trim().split(':');
      if (!/^[^\s@<>]+@[^\s@<>]+$/.test(address) || (lang !== 'fr' && lang !== 'en')) {
        throw new ConfigError(name, 'addresses with an optional :fr or :en, comma-separated', value);
      }
      return { address: address.toLowerCase(), lang };
    }),
  );
}

function instant(env: Env, name: string): Date | null {
  const raw = read(env, name);
  if (raw === undefined) return null;
  // An offset or Z is required: a bare local time would depend on the machine's zone.
  const parsed = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/.test(raw)
    ? new Date(raw)
    : null;
  if (parsed === null || Number.isNaN(parsed.getTime()))
    throw new ConfigError(name, 'an ISO instant with its offset, like 2026-12-07T08:00:00+01:00', raw);
  return parsed;
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  if (['true', '1', 'yes'].includes(raw.toLowerCase())) return true;
  if (['false', '0', 'no'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(name, 'true or false', raw);
}

function url(env: Env, name: string, protocols: readonly string[]): string | null {
  const raw = read(env, name);
  if (raw === undefined) return null;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, `a URL (${protocols.join(' or ')})`, redactUrl(raw));
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `a URL (${protocols.join(' or ')})`, redactUrl(raw));
  }
  return raw;
}

function roleMap(env: Env, name: string): ReadonlyMap<string, PersonRole> {
  const value = read(env, name);
  const map = new Map<string, PersonRole>();
  if (value === undefined) return map;
  for (const entry of value.split(',')) {
    const at = entry.lastIndexOf('=');
    const claim = entry.slice(0, at).trim();
    const role = entry.slice(at + 1).trim() as PersonRole;
    if (at <= 0 || claim === '' || !PERSON_ROLES.includes(role)) {
      throw new ConfigError(
        name,
        'claim values with their role, like lb-admins=admin,lb-triagers=triager',
        value,
      );
    }
    map.set(claim, role);
  }
  return map;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Where a server bound to `host:port` is opened from: the machine's name when it listens on every
 * interface (other machines reach it by that name), the address it is bound to otherwise.
 */
export function listeningUrl(host: string, port: number): string {
  const name =
    host === '0.0.0.0' || host === '::' || host === '' ? hostname() : host.includes(':') ? `[${host}]` : host;
  return `http://${name}:${port}`;
}

/**
 * The provider's settings, all or nothing. Plain http only on the loopback (a provider on the same
 * machine, tests): anywhere else the codes and tokens would cross the network in clear.
 */
function oidc(env: Env, publicUrl: string): OidcConfig | null {
  const issuer = read(env, 'OIDC_ISSUER');
  const clientId = read(env, 'OIDC_CLIENT_ID');
  const clientSecret = read(env, 'OIDC_CLIENT_SECRET') ?? null;
  if (issuer === undefined) {
    if (clientId !== undefined || clientSecret !== null)
      throw new ConfigError(
        'OIDC_ISSUER',
        'the provider URL when OIDC_CLIENT_ID or OIDC_CLIENT_SECRET is set',
        undefined,
      );
    return null;
  }
  let parsed: URL;
  try {
    parsed = new URL(issuer);
  } catch {
    throw new ConfigError('OIDC_ISSUER', 'an https URL', issuer);
  }
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && LOOPBACK_HOSTS.has(parsed.hostname))) {
    throw new ConfigError('OIDC_ISSUER', 'an https URL (http only on the loopback)', issuer);
  }
  if (clientId === undefined)
    throw new ConfigError('OIDC_CLIENT_ID', 'the client id registered at the provider', undefined);
  const roleClaim = read(env, 'OIDC_ROLE_CLAIM') ?? 'groups';
  if (!/^[A-Za-z0-9_:/-]+(?:\.[A-Za-z0-9_:/-]+)*$/.test(roleClaim)) {
    throw new ConfigError(
      'OIDC_ROLE_CLAIM',
      'a claim name, or a dotted path such as realm_access.roles',
      roleClaim,
    );
  }
  const label = read(env, 'OIDC_LABEL') ?? 'Company SSO';
  if (label.length > 60) throw new ConfigError('OIDC_LABEL', 'at most 60 characters', label);
  return Object.freeze({
    issuer,
    clientId,
    clientSecret,
    label,
    roleClaim,
    roleMap: roleMap(env, 'OIDC_ROLE_MAP'),
    defaultRole: defaultRoleOf(env),
    redirectUri: `${publicUrl}/auth/oidc/callback`,
  });
}

/**
 * The role of a person the provider's claims map to nothing. Admin is refused: anyone the company's
 * provider lets sign in (a contractor, a new hire in another department) would administer the product.
 */
function defaultRoleOf(env: Env): PersonRole {
  const role = oneOf(env, 'OIDC_DEFAULT_ROLE', PERSON_ROLES, 'viewer');
  if (role === 'admin') {
    throw new ConfigError(
      'OIDC_DEFAULT_ROLE',
      'a role other than admin (map admins by group with OIDC_ROLE_MAP)',
      role,
    );
  }
  return role;
}

/** Passwords in connection strings must not reach the error line (it is printed and logged). */
export function redactUrl(raw: string): string {
  return raw.replace(/\/\/([^:/@]+):([^@]*)@/, '//$1:***@');
}

export function loadConfig(env: Env = process.env): AppConfig {
  const databaseUrl = url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']);
  const redisUrl = url(env, 'REDIS_URL', ['redis:', 'rediss:']);
  const nodeEnv = oneOf(env, 'NODE_ENV', ['development', 'production', 'test'] as const, 'development');
  const authorKeySecret = read(env, 'AUTHOR_KEY_SECRET') ?? null;
  if (authorKeySecret !== null && authorKeySecret.length < 16) {
    throw new ConfigError('AUTHOR_KEY_SECRET', 'at least 16 characters', '(hidden)');
  }
  // A shared database outlives any one process: its author hashes must not depend on a secret made
  // up on the spot, so server mode in production requires one. Embedded mode keeps one in DATA_DIR.
  if (databaseUrl !== null && nodeEnv === 'production' && authorKeySecret === null) {
    throw new ConfigError(
      'AUTHOR_KEY_SECRET',
      'a secret of at least 16 characters when DATABASE_URL is set',
      undefined,
    );
  }
  const secretsKey = read(env, 'SECRETS_KEY') ?? null;
  if (secretsKey !== null && secretsKey.length < 32) {
    throw new ConfigError('SECRETS_KEY', 'at least 32 characters', '(hidden)');
  }
  if (databaseUrl !== null && nodeEnv === 'production' && secretsKey === null) {
    throw new ConfigError(
      'SECRETS_KEY',
      'a key of at least 32 characters when DATABASE_URL is set',
      undefined,
    );
  }
  const queuePrefix = read(env, 'QUEUE_PREFIX') ?? 'loveboard';
  if (!/^[A-Za-z0-9_-]{1,40}$/.test(queuePrefix)) {
    throw new ConfigError('QUEUE_PREFIX', 'letters, digits, _ or -, at most 40', queuePrefix);
  }
  const dataDirRaw = read(env, 'DATA_DIR') ?? './data';
  // Unset, links point where this installation listens (HOST and PORT), not to a guess.
  const publicUrl = (
    read(env, 'PUBLIC_URL') ??
    listeningUrl(read(env, 'HOST') ?? '127.0.0.1', integer(env, 'PORT', 3000, 0, 65535))
  ).replace(/\/+$/, '');
  if (url(env, 'PUBLIC_URL', ['http:', 'https:']) !== null && new URL(publicUrl).pathname !== '/') {
    // Cookies are set on Path=/ and the callback is built from it: a sub-path deployment is not supported.
    throw new ConfigError(
      'PUBLIC_URL',
      'the origin people open, without a path (https://loveboard.example.com)',
      publicUrl,
    );
  }
  const mode: RunMode = databaseUrl !== null && redisUrl !== null ? 'server' : 'embedded';
  const logLevel = oneOf(env, 'LOG_LEVEL', LOG_LEVELS, 'info');
  const logDirRaw = read(env, 'LOG_DIR');
  const config: AppConfig = {
    nodeEnv,
    host: read(env, 'HOST') ?? '127.0.0.1',
    port: integer(env, 'PORT', 3000, 0, 65535),
    databaseUrl,
    redisUrl,
    dataDir: isAbsolute(dataDirRaw) ? dataDirRaw : resolve(process.cwd(), dataDirRaw),
    logLevel,
    logDir:
      logDirRaw === undefined ? null : isAbsolute(logDirRaw) ? logDirRaw : resolve(process.cwd(), logDirRaw),
    logDirLevel: oneOf(env, 'LOG_DIR_LEVEL', LOG_LEVELS, logLevel),
    jobConcurrency: integer(env, 'JOB_CONCURRENCY', 4, 1, 256),
    jobLockMs: integer(env, 'JOB_LOCK_MS', 30_000, 1_000, 3_600_000),
    queuePrefix,
    demoData: boolean(env, 'DEMO_DATA', databaseUrl === null),
    authorKeySecret,
    secretsKey,
    databasePoolSize: integer(env, 'DATABASE_POOL_SIZE', 10, 1, 200),
    sweepAfterSeconds: integer(env, 'SWEEP_AFTER_SECONDS', 120, 5, 86_400),
    modelRefreshSeconds: integer(env, 'MODEL_REFRESH_SECONDS', 60, 1, 86_400),
    modelRetrainHours: integer(env, 'MODEL_RETRAIN_HOURS', 24, 0, 24 * 31),
    timeZone: timeZone(env, 'TIME_ZONE', 'Europe/Paris'),
    boardFreezeAt: clockTime(env, 'BOARD_FREEZE_AT', '08:00'),
    boardRefreshMinutes: integer(env, 'BOARD_REFRESH_MINUTES', 10, 1, 1_440),
    scoringProfilePath: read(env, 'SCORING_PROFILE') ?? null,
    departments: departments(
      env,
      'DEPARTMENTS',
      'customer_service,marketing,legal,operations,finance,product',
    ),
    timeToFixTargetDays: integer(env, 'TIME_TO_FIX_TARGET_DAYS', 21, 1, 365),
    routedAnswerTargetDays: integer(env, 'ROUTED_ANSWER_TARGET_DAYS', 7, 1, 365),
    smtpUrl: url(env, 'SMTP_URL', ['smtp:', 'smtps:']),
    digestFrom: read(env, 'DIGEST_FROM') ?? 'LoveBoard <loveboard@localhost>',
    digestRecipients: recipients(env, 'DIGEST_RECIPIENTS'),
    digestSendAt: clockTime(env, 'DIGEST_SEND_AT', '08:30'),
    digestTop: integer(env, 'DIGEST_TOP', 5, 1, 20),
    surveyImpactDays: integer(env, 'SURVEY_IMPACT_DAYS', 90, 7, 730),
    chatUnansweredDays: integer(env, 'CHAT_UNANSWERED_DAYS', 7, 1, 365),
    alerts: Object.freeze({
      enabled: boolean(env, 'ALERTS', true),
      minCustomersHour: integer(env, 'ALERT_MIN_CUSTOMERS_HOUR', 5, 1, 100_000),
      minCustomersDay: integer(env, 'ALERT_MIN_CUSTOMERS_DAY', 10, 1, 1_000_000),
      pValue: decimal(env, 'ALERT_P_VALUE', 0.0001, 1e-12, 0.05),
      minRatio: decimal(env, 'ALERT_MIN_RATIO', 3, 1, 1_000),
      baselineDays: integer(env, 'ALERT_BASELINE_DAYS', 28, 1, 365),
      floorPerDay: decimal(env, 'ALERT_FLOOR_PER_DAY', 0.5, 0.001, 1_000),
      quietHours: integer(env, 'ALERT_QUIET_HOURS', 24, 1, 24 * 31),
      maxPerDay: integer(env, 'ALERT_MAX_PER_DAY', 5, 1, 1_000),
    }),
    demoShopPort:
      read(env, 'DEMO_SHOP_PORT') !== undefined
        ? integer(env, 'DEMO_SHOP_PORT', 0, 0, 65535)
        : boolean(env, 'DEMO_DATA', databaseUrl === null)
          ? (() => {
              const port = integer(env, 'PORT', 3000, 0, 65535);
              return port === 0 ? 0 : port + 1;
            })()
          : null,
    authFailuresPerMinute: integer(env, 'AUTH_FAILURES_PER_MINUTE', 30, 1, 100_000),
    ingestRequestsPerMinute: integer(env, 'INGEST_REQUESTS_PER_MINUTE', 600, 1, 1_000_000),
    rawTextRetentionDays: integer(env, 'RAW_TEXT_RETENTION_DAYS', 0, 0, 36_500),
    outboundPrivateAllowed: boolean(env, 'OUTBOUND_ALLOW_PRIVATE', false),
    publicUrl,
    publicUrlSet: read(env, 'PUBLIC_URL') !== undefined,
    sessionHours: integer(env, 'SESSION_HOURS', 12, 1, 24 * 31),
    localAccounts: boolean(env, 'LOCAL_ACCOUNTS', mode === 'embedded'),
    oidc: oidc(env, publicUrl),
    mode,
    clockStart: instant(env, 'CLOCK_START'),
  };
  if (config.clockStart !== null && nodeEnv === 'production') {
    throw new ConfigError('CLOCK_START', 'nothing in production (the system clock is the truth)', '(set)');
  }
  return Object.freeze(config);
}

/**
 * For entry points: validate or stop the process with one line on stderr naming the variable.
 */
export function loadConfigOrExit(env: Env = process.env): AppConfig {
  try {
    return loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Invalid configuration: ${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
}
