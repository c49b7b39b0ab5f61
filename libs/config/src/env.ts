/**
 * The process environment, validated once at boot into a typed, frozen config.
 *
 * Every variable is declared in schema.ts (default, description, secret or not, check), from which
 * `.env.example` and docs/CONFIGURATION.md are generated. A missing or malformed variable stops the
 * process with one line that names it and says what it expects (see `ConfigError`).
 */
import { hostname } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { ConfigError } from './config-error';
import { LogLevel, PERSON_ROLES, PersonRole, Settings, readSettings, redactUrl } from './schema';

export { ConfigError, PERSON_ROLES, redactUrl };
export type { LogLevel, PersonRole };
export type RunMode = 'embedded' | 'server';

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
  /**
   * How often the debounced irritant regrouping looks whether it is due (seconds; 0: only on an
   * admin's demand). Due when verbatims were clustered since it last ran and things went quiet
   * for 20 s, or 90 s have passed: it runs within two minutes of a burst.
   */
  readonly regroupCheckSeconds: number;
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
  /**
   * Which proxies in front of the API to believe about the client's address (X-Forwarded-For), as
   * Express's `trust proxy`: `false` (none: the socket's peer is the client), a hop count, or a
   * list of addresses, subnets and the names loopback, linklocal, uniquelocal.
   */
  readonly trustProxy: false | number | readonly string[];
  readonly authFailuresPerMinute: number;
  /** Ingestion requests (batches of up to 1,000) a key may make in a minute. */
  readonly ingestRequestsPerMinute: number;
  /** Raw text (personal data included) older than this is replaced by its redacted form (days; 0: kept). */
  readonly rawTextRetentionDays: number;
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
  /** The Chromium that browser monitors drive. */
  readonly chromiumPath: string;
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
function oidc(settings: Settings, publicUrl: string): OidcConfig | null {
  const issuer = settings.OIDC_ISSUER;
  const clientId = settings.OIDC_CLIENT_ID;
  const clientSecret = settings.OIDC_CLIENT_SECRET;
  if (issuer === null) {
    if (clientId !== null || clientSecret !== null)
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
  if (clientId === null)
    throw new ConfigError('OIDC_CLIENT_ID', 'the client id registered at the provider', undefined);
  return Object.freeze({
    issuer,
    clientId,
    clientSecret,
    label: settings.OIDC_LABEL,
    roleClaim: settings.OIDC_ROLE_CLAIM,
    roleMap: settings.OIDC_ROLE_MAP ?? new Map<string, PersonRole>(),
    defaultRole: settings.OIDC_DEFAULT_ROLE,
    redirectUri: `${publicUrl}/auth/oidc/callback`,
  });
}

const absolute = (path: string) => (isAbsolute(path) ? path : resolve(process.cwd(), path));

/**
 * The config from the environment: each variable checked and defaulted by the schema, then the rules
 * that tie several together (the run mode, what production requires, the defaults that follow it).
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const settings = readSettings(env);
  const { DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, NODE_ENV: nodeEnv } = settings;
  const authorKeySecret = settings.AUTHOR_KEY_SECRET;
  // A shared database outlives any one process: its author hashes must not depend on a secret made
  // up on the spot, so server mode in production requires one. Embedded mode keeps one in DATA_DIR.
  if (databaseUrl !== null && nodeEnv === 'production' && authorKeySecret === null) {
    throw new ConfigError(
      'AUTHOR_KEY_SECRET',
      'a secret of at least 16 characters when DATABASE_URL is set',
      undefined,
    );
  }
  const secretsKey = settings.SECRETS_KEY;
  if (databaseUrl !== null && nodeEnv === 'production' && secretsKey === null) {
    throw new ConfigError(
      'SECRETS_KEY',
      'a key of at least 32 characters when DATABASE_URL is set',
      undefined,
    );
  }
  // Unset, links point where this installation listens (HOST and PORT), not to a guess.
  const publicUrl = (settings.PUBLIC_URL ?? listeningUrl(settings.HOST, settings.PORT)).replace(/\/+$/, '');
  if (settings.PUBLIC_URL !== null && new URL(publicUrl).pathname !== '/') {
    // Cookies are set on Path=/ and the callback is built from it: a sub-path deployment is not supported.
    throw new ConfigError(
      'PUBLIC_URL',
      'the origin people open, without a path (https://loveboard.example.com)',
      publicUrl,
    );
  }
  const mode: RunMode = databaseUrl !== null && redisUrl !== null ? 'server' : 'embedded';
  const demoData = settings.DEMO_DATA ?? databaseUrl === null;
  const config: AppConfig = {
    nodeEnv,
    host: settings.HOST,
    port: settings.PORT,
    databaseUrl,
    redisUrl,
    dataDir: absolute(settings.DATA_DIR),
    logLevel: settings.LOG_LEVEL,
    logDir: settings.LOG_DIR === null ? null : absolute(settings.LOG_DIR),
    logDirLevel: settings.LOG_DIR_LEVEL ?? settings.LOG_LEVEL,
    jobConcurrency: settings.JOB_CONCURRENCY,
    jobLockMs: settings.JOB_LOCK_MS,
    queuePrefix: settings.QUEUE_PREFIX,
    demoData,
    authorKeySecret,
    secretsKey,
    databasePoolSize: settings.DATABASE_POOL_SIZE,
    sweepAfterSeconds: settings.SWEEP_AFTER_SECONDS,
    modelRefreshSeconds: settings.MODEL_REFRESH_SECONDS,
    modelRetrainHours: settings.MODEL_RETRAIN_HOURS,
    regroupCheckSeconds: settings.REGROUP_CHECK_SECONDS,
    timeZone: settings.TIME_ZONE,
    boardFreezeAt: settings.BOARD_FREEZE_AT,
    boardRefreshMinutes: settings.BOARD_REFRESH_MINUTES,
    scoringProfilePath: settings.SCORING_PROFILE,
    departments: settings.DEPARTMENTS,
    timeToFixTargetDays: settings.TIME_TO_FIX_TARGET_DAYS,
    routedAnswerTargetDays: settings.ROUTED_ANSWER_TARGET_DAYS,
    smtpUrl: settings.SMTP_URL,
    digestFrom: settings.DIGEST_FROM,
    digestRecipients: settings.DIGEST_RECIPIENTS ?? Object.freeze([]),
    digestSendAt: settings.DIGEST_SEND_AT,
    digestTop: settings.DIGEST_TOP,
    surveyImpactDays: settings.SURVEY_IMPACT_DAYS,
    chatUnansweredDays: settings.CHAT_UNANSWERED_DAYS,
    alerts: Object.freeze({
      enabled: settings.ALERTS,
      minCustomersHour: settings.ALERT_MIN_CUSTOMERS_HOUR,
      minCustomersDay: settings.ALERT_MIN_CUSTOMERS_DAY,
      pValue: settings.ALERT_P_VALUE,
      minRatio: settings.ALERT_MIN_RATIO,
      baselineDays: settings.ALERT_BASELINE_DAYS,
      floorPerDay: settings.ALERT_FLOOR_PER_DAY,
      quietHours: settings.ALERT_QUIET_HOURS,
      maxPerDay: settings.ALERT_MAX_PER_DAY,
    }),
    // Beside the API when the demo is on (its monitors watch it); PORT 0: any free port for both.
    demoShopPort:
      settings.DEMO_SHOP_PORT ?? (demoData ? (settings.PORT === 0 ? 0 : settings.PORT + 1) : null),
    trustProxy: settings.TRUST_PROXY,
    authFailuresPerMinute: settings.AUTH_FAILURES_PER_MINUTE,
    ingestRequestsPerMinute: settings.INGEST_REQUESTS_PER_MINUTE,
    rawTextRetentionDays: settings.RAW_TEXT_RETENTION_DAYS,
    publicUrl,
    publicUrlSet: settings.PUBLIC_URL !== null,
    sessionHours: settings.SESSION_HOURS,
    localAccounts: settings.LOCAL_ACCOUNTS ?? mode === 'embedded',
    oidc: oidc(settings, publicUrl),
    mode,
    clockStart: settings.CLOCK_START,
    chromiumPath: settings.CHROMIUM_PATH,
  };
  if (config.clockStart !== null && nodeEnv === 'production') {
    throw new ConfigError('CLOCK_START', 'nothing in production (the system clock is the truth)', '(set)');
  }
  return Object.freeze(config);
}

/**
 * For entry points: validate or stop the process with one line on stderr naming the variable.
 */
export function loadConfigOrExit(env: Record<string, string | undefined> = process.env): AppConfig {
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
