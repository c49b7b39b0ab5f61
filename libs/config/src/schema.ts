/**
 * Every environment variable the product reads, declared once: its name, its default, what it
 * means, whether it is a secret, and how it is checked. `loadConfig` (env.ts) parses through it;
 * `.env.example` and docs/CONFIGURATION.md are generated from it (`npm run config:docs`) and a
 * unit test (schema.spec.ts) fails when either differs from what this file gives.
 */
import { isIP } from 'node:net';
import { IANAZone } from 'luxon';
import { ConfigError } from './config-error';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
export const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
/** A role a person may hold (API keys may also be `developer`). */
export type PersonRole = 'viewer' | 'triager' | 'admin';
export const PERSON_ROLES: readonly PersonRole[] = Object.freeze(['viewer', 'triager', 'admin']);

export interface Variable<T, V> {
  /** The section of `.env.example` and of the docs table. */
  readonly group: string;
  /** The value used when the variable is unset or blank; undefined: see `defaultText`. */
  readonly default?: string;
  /** When the default depends on other variables (or there is none): what happens unset. */
  readonly defaultText?: string;
  /** A value to show, commented out, in `.env.example` when there is no default. */
  readonly example?: string;
  readonly description: string;
  /** Never shown, logged or echoed in an error message. */
  readonly secret: boolean;
  readonly parse: (raw: string, name: string) => T;
  /** Type marker only: T when there is a default, T | null otherwise. */
  readonly _value?: V;
}

function variable<T>(spec: Omit<Variable<T, T>, '_value'> & { default: string }): Variable<T, T>;
function variable<T>(
  spec: Omit<Variable<T, T | null>, '_value'> & { default?: undefined },
): Variable<T, T | null>;
function variable<T>(spec: Omit<Variable<T, T>, '_value'>): Variable<T, T | null> {
  return spec;
}

// ---- the checks ---------------------------------------------------------------------------------

const text = (raw: string) => raw;

const integer =
  (min: number, max: number) =>
  (raw: string, name: string): number => {
    if (!/^-?\d+$/.test(raw) || Number(raw) < min || Number(raw) > max)
      throw new ConfigError(name, `an integer from ${min} to ${max}`, raw);
    return Number(raw);
  };

const decimal =
  (min: number, max: number) =>
  (raw: string, name: string): number => {
    if (!/^\d+(?:\.\d+)?(?:e-?\d+)?$/i.test(raw) || Number(raw) < min || Number(raw) > max)
      throw new ConfigError(name, `a number from ${min} to ${max}`, raw);
    return Number(raw);
  };

const oneOf =
  <T extends string>(allowed: readonly T[]) =>
  (raw: string, name: string): T => {
    if (!(allowed as readonly string[]).includes(raw))
      throw new ConfigError(name, `one of ${allowed.join('|')}`, raw);
    return raw as T;
  };

const boolean = (raw: string, name: string): boolean => {
  if (['true', '1', 'yes'].includes(raw.toLowerCase())) return true;
  if (['false', '0', 'no'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(name, 'true or false', raw);
};

/** Passwords in connection strings must not reach the error line (it is printed and logged). */
export function redactUrl(raw: string): string {
  return raw.replace(/\/\/([^:/@]+):([^@]*)@/, '//$1:***@');
}

const url =
  (protocols: readonly string[]) =>
  (raw: string, name: string): string => {
    let parsed: URL;
    try {
      parsed = new URL(raw);
    } catch {
      throw new ConfigError(name, `a URL (${protocols.join(' or ')})`, redactUrl(raw));
    }
    if (!protocols.includes(parsed.protocol))
      throw new ConfigError(name, `a URL (${protocols.join(' or ')})`, redactUrl(raw));
    return raw;
  };

const minLength =
  (length: number) =>
  (raw: string, name: string): string => {
    if (raw.length < length) throw new ConfigError(name, `at least ${length} characters`, '(hidden)');
    return raw;
  };

const timeZone = (raw: string, name: string): string => {
  if (!IANAZone.isValidZone(raw)) throw new ConfigError(name, 'an IANA time zone such as Europe/Paris', raw);
  return raw;
};

const clockTime = (raw: string, name: string): string => {
  if (!/^(?:[01]\d|2[0-3]):[0-5]\d$/.test(raw)) throw new ConfigError(name, 'a local time HH:MM', raw);
  return raw;
};

const departments = (raw: string, name: string): readonly string[] => {
  const list = raw.split(',').map((item) => item.trim());
  if (list.length === 0 || list.some((item) => !/^[a-z][a-z0-9_]{0,39}$/.test(item)))
    throw new ConfigError(name, 'comma-separated keys like customer_service,legal', raw);
  return Object.freeze([...new Set(list)]);
};

const recipients = (raw: string, name: string): readonly { address: string; lang: 'fr' | 'en' }[] =>
  Object.freeze(
    raw.split(',').map((entry): { address: string; lang: 'fr' | 'en' } => {
      const [address, lang = 'fr'] = entry.trim().split(':');
      if (!/^[^\s@<>]+@[^\s@<>]+$/.test(address) || (lang !== 'fr' && lang !== 'en'))
        throw new ConfigError(name, 'addresses with an optional :fr or :en, comma-separated', raw);
      return { address: address.toLowerCase(), lang };
    }),
  );

const instant = (raw: string, name: string): Date => {
  // An offset or Z is required: a bare local time would depend on the machine's zone.
  const parsed = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/.test(raw)
    ? new Date(raw)
    : null;
  if (parsed === null || Number.isNaN(parsed.getTime()))
    throw new ConfigError(name, 'an ISO instant with its offset, like 2026-12-07T08:00:00+01:00', raw);
  return parsed;
};

const queuePrefix = (raw: string, name: string): string => {
  if (!/^[A-Za-z0-9_-]{1,40}$/.test(raw))
    throw new ConfigError(name, 'letters, digits, _ or -, at most 40', raw);
  return raw;
};

const roleMap = (raw: string, name: string): ReadonlyMap<string, PersonRole> => {
  const map = new Map<string, PersonRole>();
  for (const entry of raw.split(',')) {
    const at = entry.lastIndexOf('=');
    const claim = entry.slice(0, at).trim();
    const role = entry.slice(at + 1).trim() as PersonRole;
    if (at <= 0 || claim === '' || !PERSON_ROLES.includes(role))
      throw new ConfigError(
        name,
        'claim values with their role, like lb-admins=admin,lb-triagers=triager',
        raw,
      );
    map.set(claim, role);
  }
  return map;
};

const claimPath = (raw: string, name: string): string => {
  if (!/^[A-Za-z0-9_:/-]+(?:\.[A-Za-z0-9_:/-]+)*$/.test(raw))
    throw new ConfigError(name, 'a claim name, or a dotted path such as realm_access.roles', raw);
  return raw;
};

const label = (raw: string, name: string): string => {
  if (raw.length > 60) throw new ConfigError(name, 'at most 60 characters', raw);
  return raw;
};

// ---- the variables ------------------------------------------------------------------------------

const SERVER = 'The server';
const STORAGE = 'Storage and jobs';
const SECRETS = 'Secrets';
const ANALYSIS = 'Analysis and the weekly board';
const DIGEST = 'The Monday digest and chat';
const ALERTS = 'Mid-week alerts';
const LIMITS = 'Limits and retention';
const SIGN_IN = 'Signing in people (docs/AUTH.md)';
const MONITORS = 'Monitors';

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function proxyAddress(entry: string): boolean {
  if (PROXY_NAMES.has(entry)) return true;
  const [address, bits, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  if (!/^\d{1,3}$/.test(bits)) return isIP(bits) === 4 && family === 4;
  return Number(bits) <= (family === 4 ? 32 : 128);
}

/**
 * TRUST_PROXY: `false` by default. `true` (believe every hop) is refused: any client could then
 * name its own address in X-Forwarded-For and escape the failure limiter.
 */
const trustProxy = (raw: string, name: string): false | number | readonly string[] => {
  if (['false', 'no'].includes(raw.toLowerCase())) return false;
  if (/^\d+$/.test(raw)) {
    const hops = Number(raw);
    if (hops > 10) throw new ConfigError(name, 'a hop count from 0 to 10, or proxy addresses', raw);
    return hops === 0 ? false : hops;
  }
  const list = raw.split(',').map((entry) => entry.trim());
  if (list.some((entry) => !proxyAddress(entry)))
    throw new ConfigError(
      name,
      'false, a hop count (1), or proxy addresses and subnets (10.0.0.0/8, loopback, linklocal, uniquelocal), comma-separated',
      raw,
    );
  return Object.freeze(list);
};

export const SCHEMA = {
  NODE_ENV: variable({
    group: SERVER,
    default: 'development',
    description: 'development | production | test. Production requires the secrets of server mode.',
    secret: false,
    parse: oneOf(['development', 'production', 'test'] as const),
  }),
  HOST: variable({
    group: SERVER,
    default: '127.0.0.1',
    description: 'Address the HTTP API and the triage UI listen on; 0.0.0.0 in containers.',
    secret: false,
    parse: text,
  }),
  PORT: variable({
    group: SERVER,
    default: '3000',
    description: 'Port of the HTTP API and the triage UI (0: any free port).',
    secret: false,
    parse: integer(0, 65535),
  }),
  PUBLIC_URL: variable({
    group: SERVER,
    defaultText: 'where the API listens (HOST and PORT)',
    example: 'https://loveboard.example.com',
    description:
      'The origin people open the product at, without a path: links in the digest, chat and alerts, ' +
      'and the single sign-on callback.',
    secret: false,
    parse: url(['http:', 'https:']),
  }),
  LOG_LEVEL: variable({
    group: SERVER,
    default: 'info',
    description: 'fatal | error | warn | info | debug | trace | silent.',
    secret: false,
    parse: oneOf(LOG_LEVELS),
  }),
  LOG_DIR: variable({
    group: SERVER,
    defaultText: 'stdout only',
    example: './logs',
    description: 'Also append every log line to <LOG_DIR>/<app>-<pid>.log (the same scrubbed JSON).',
    secret: false,
    parse: text,
  }),
  LOG_DIR_LEVEL: variable({
    group: SERVER,
    defaultText: 'LOG_LEVEL',
    example: 'debug',
    description: 'Level of the lines written under LOG_DIR.',
    secret: false,
    parse: oneOf(LOG_LEVELS),
  }),
  CLOCK_START: variable({
    group: SERVER,
    defaultText: 'the system clock',
    example: '2026-12-07T08:00:00+01:00',
    description:
      'Start the product’s clock at this instant and let it run on from there (tests, rehearsing a ' +
      'past Monday); refused in production.',
    secret: false,
    parse: instant,
  }),
  DATA_DIR: variable({
    group: STORAGE,
    default: './data',
    description: 'Where embedded mode keeps its database (PGlite) and its generated secrets.',
    secret: false,
    parse: text,
  }),
  DATABASE_URL: variable({
    group: STORAGE,
    defaultText: 'the embedded database under DATA_DIR',
    example: 'postgres://postgres@127.0.0.1:5432/loveboard',
    description: 'PostgreSQL. Server mode: DATABASE_URL and REDIS_URL both set.',
    secret: true,
    parse: url(['postgres:', 'postgresql:']),
  }),
  REDIS_URL: variable({
    group: STORAGE,
    defaultText: 'jobs run in-process in the API',
    example: 'redis://127.0.0.1:6379',
    description: 'Redis, for BullMQ queues shared by the API and the workers.',
    secret: true,
    parse: url(['redis:', 'rediss:']),
  }),
  DATABASE_POOL_SIZE: variable({
    group: STORAGE,
    default: '10',
    description: 'Connections each process keeps to PostgreSQL.',
    secret: false,
    parse: integer(1, 200),
  }),
  QUEUE_PREFIX: variable({
    group: STORAGE,
    default: 'loveboard',
    description: 'Prefix of every BullMQ key, so that several installations can share one Redis.',
    secret: false,
    parse: queuePrefix,
  }),
  JOB_CONCURRENCY: variable({
    group: STORAGE,
    default: '4',
    description: 'Jobs one process runs at once (per queue for a BullMQ worker, in total in-process).',
    secret: false,
    parse: integer(1, 256),
  }),
  JOB_LOCK_MS: variable({
    group: STORAGE,
    default: '30000',
    description:
      'How long a BullMQ worker holds a job before another may take it over (ms): the recovery time ' +
      'after a worker is killed.',
    secret: false,
    parse: integer(1_000, 3_600_000),
  }),
  SWEEP_AFTER_SECONDS: variable({
    group: STORAGE,
    default: '120',
    description: 'Work left in a stage longer than this is enqueued again by the sweeper (seconds).',
    secret: false,
    parse: integer(5, 86_400),
  }),
  DEMO_DATA: variable({
    group: STORAGE,
    defaultText: 'true in embedded mode, false otherwise',
    example: 'true',
    description: 'Load the demo verbatims, KPIs and monitors on the first start.',
    secret: false,
    parse: boolean,
  }),
  AUTHOR_KEY_SECRET: variable({
    group: SECRETS,
    defaultText: 'made in DATA_DIR in embedded mode; required with DATABASE_URL in production',
    description:
      'Secret of the keyed hash of author identities (16+ characters). Never change it on a live ' +
      'installation: distinct-customer counts would split.',
    secret: true,
    parse: minLength(16),
  }),
  SECRETS_KEY: variable({
    group: SECRETS,
    defaultText: 'made in DATA_DIR in embedded mode; required with DATABASE_URL in production',
    description:
      'Key that seals the secrets stored in the database (webhook, connector, chat and tracker ' +
      'secrets), 32+ characters.',
    secret: true,
    parse: minLength(32),
  }),
  MODEL_REFRESH_SECONDS: variable({
    group: ANALYSIS,
    default: '60',
    description: 'How often a process looks for a newer classifier model, after `cli nlp:train` (seconds).',
    secret: false,
    parse: integer(1, 86_400),
  }),
  MODEL_RETRAIN_HOURS: variable({
    group: ANALYSIS,
    default: '24',
    description:
      'How often the classifier is retrained from the triage team’s corrections and decisions, when ' +
      'there are new ones (hours; 0: only by `cli nlp:train`).',
    secret: false,
    parse: integer(0, 24 * 31),
  }),
  REGROUP_CHECK_SECONDS: variable({
    group: ANALYSIS,
    default: '30',
    description:
      'How often the debounced irritant regrouping looks whether it is due (0: only on an admin demand). ' +
      'Due when verbatims were clustered since it last ran and things went quiet for 20 s, or 90 s have ' +
      'passed: it runs within two minutes of a burst.',
    secret: false,
    parse: integer(0, 3_600),
  }),
  TIME_ZONE: variable({
    group: ANALYSIS,
    default: 'Europe/Paris',
    description: 'The company’s time zone: ISO weeks, the Monday board freeze and the digest follow it.',
    secret: false,
    parse: timeZone,
  }),
  BOARD_FREEZE_AT: variable({
    group: ANALYSIS,
    default: '08:00',
    description: 'Local time on Monday at which the previous week’s board is frozen into a snapshot.',
    secret: false,
    parse: clockTime,
  }),
  BOARD_REFRESH_MINUTES: variable({
    group: ANALYSIS,
    default: '10',
    description: 'How often the live board of the current week is recomputed (minutes).',
    secret: false,
    parse: integer(1, 1_440),
  }),
  SCORING_PROFILE: variable({
    group: ANALYSIS,
    defaultText: 'the default profile',
    example: './scoring-profile.json',
    description:
      'A scoring profile (JSON, see docs/SCORING.md) in place of the default one; checked at boot.',
    secret: false,
    parse: text,
  }),
  DEPARTMENTS: variable({
    group: ANALYSIS,
    default: 'customer_service,marketing,legal,operations,finance,product',
    description: 'Departments the Monday meeting can route an irritant to (decision "route").',
    secret: false,
    parse: departments,
  }),
  TIME_TO_FIX_TARGET_DAYS: variable({
    group: ANALYSIS,
    default: '21',
    description: 'Time-to-fix target, from an irritant’s first verbatim to its fix deployed (days).',
    secret: false,
    parse: integer(1, 365),
  }),
  ROUTED_ANSWER_TARGET_DAYS: variable({
    group: ANALYSIS,
    default: '7',
    description: 'Days a department has to answer a routed decision before the board and the digest flag it.',
    secret: false,
    parse: integer(1, 365),
  }),
  SURVEY_IMPACT_DAYS: variable({
    group: ANALYSIS,
    default: '90',
    description: 'The NPS and CSAT points each irritant costs are measured over this many days of answers.',
    secret: false,
    parse: integer(7, 730),
  }),
  SMTP_URL: variable({
    group: DIGEST,
    defaultText: 'no digest is sent',
    example: 'smtp://user:password@smtp.example.com:587',
    description: 'The SMTP server the Monday digest is sent through.',
    secret: true,
    parse: url(['smtp:', 'smtps:']),
  }),
  DIGEST_FROM: variable({
    group: DIGEST,
    default: 'LoveBoard <loveboard@localhost>',
    description: 'The digest’s sender.',
    secret: false,
    parse: text,
  }),
  DIGEST_RECIPIENTS: variable({
    group: DIGEST,
    defaultText: 'nobody',
    example: 'ceo@example.com:fr,cto@example.com:en',
    description: 'Who receives the digest, each with its language (fr by default).',
    secret: false,
    parse: recipients,
  }),
  DIGEST_SEND_AT: variable({
    group: DIGEST,
    default: '08:30',
    description: 'Local time on Monday at which last week’s digest is sent (after the board freezes).',
    secret: false,
    parse: clockTime,
  }),
  DIGEST_TOP: variable({
    group: DIGEST,
    default: '5',
    description: 'Irritants in the digest.',
    secret: false,
    parse: integer(1, 20),
  }),
  CHAT_UNANSWERED_DAYS: variable({
    group: DIGEST,
    default: '7',
    description: 'Slack and Teams channels are told of routed decisions unanswered this many days.',
    secret: false,
    parse: integer(1, 365),
  }),
  ALERTS: variable({
    group: ALERTS,
    default: 'true',
    description:
      'Scan for irritants whose distinct customers jump above their own baseline (docs/ARCHITECTURE.md, ' +
      '"Alerts"); false: no scan.',
    secret: false,
    parse: boolean,
  }),
  ALERT_MIN_CUSTOMERS_HOUR: variable({
    group: ALERTS,
    default: '5',
    description: 'Distinct customers in the last hour below which nothing alerts.',
    secret: false,
    parse: integer(1, 100_000),
  }),
  ALERT_MIN_CUSTOMERS_DAY: variable({
    group: ALERTS,
    default: '10',
    description: 'Distinct customers in the last 24 hours below which nothing alerts.',
    secret: false,
    parse: integer(1, 1_000_000),
  }),
  ALERT_P_VALUE: variable({
    group: ALERTS,
    default: '0.0001',
    description: 'The Poisson upper-tail probability under the baseline below which a count is a jump.',
    secret: false,
    parse: decimal(1e-12, 0.05),
  }),
  ALERT_MIN_RATIO: variable({
    group: ALERTS,
    default: '3',
    description: 'And the count must be at least this many times the baseline’s expectation.',
    secret: false,
    parse: decimal(1, 1_000),
  }),
  ALERT_BASELINE_DAYS: variable({
    group: ALERTS,
    default: '28',
    description: 'Days before the window that make an irritant’s baseline.',
    secret: false,
    parse: integer(1, 365),
  }),
  ALERT_FLOOR_PER_DAY: variable({
    group: ALERTS,
    default: '0.5',
    description: 'The least baseline rate assumed (customers a day), for irritants with little history.',
    secret: false,
    parse: decimal(0.001, 1_000),
  }),
  ALERT_QUIET_HOURS: variable({
    group: ALERTS,
    default: '24',
    description: 'An episode ends once its irritant has not jumped for this many hours.',
    secret: false,
    parse: integer(1, 24 * 31),
  }),
  ALERT_MAX_PER_DAY: variable({
    group: ALERTS,
    default: '5',
    description: 'New alerts announced per 24 hours at most; more are kept (API) but not announced.',
    secret: false,
    parse: integer(1, 1_000),
  }),
  TRUST_PROXY: variable({
    group: LIMITS,
    default: 'false',
    description:
      'Which proxies in front of the API to believe about the client address (X-Forwarded-For), as ' +
      "Express's trust proxy: false (the socket's peer is the client), a hop count, or addresses and " +
      'subnets (10.0.0.0/8, loopback, linklocal, uniquelocal). true is refused: clients could forge it.',
    secret: false,
    parse: trustProxy,
  }),
  AUTH_FAILURES_PER_MINUTE: variable({
    group: LIMITS,
    default: '30',
    description: 'Failed authentications an address may make in a minute before it is refused (429).',
    secret: false,
    parse: integer(1, 100_000),
  }),
  INGEST_REQUESTS_PER_MINUTE: variable({
    group: LIMITS,
    default: '600',
    description: 'Ingestion requests (batches of up to 1,000 verbatims) per API key and minute.',
    secret: false,
    parse: integer(1, 1_000_000),
  }),
  RAW_TEXT_RETENTION_DAYS: variable({
    group: LIMITS,
    default: '0',
    description:
      'Raw text (personal data included) older than this is replaced by its redacted form (0: kept).',
    secret: false,
    parse: integer(0, 36_500),
  }),
  SESSION_HOURS: variable({
    group: SIGN_IN,
    default: '12',
    description: 'How long a person’s session lasts without a request (hours; each request slides it).',
    secret: false,
    parse: integer(1, 24 * 31),
  }),
  LOCAL_ACCOUNTS: variable({
    group: SIGN_IN,
    defaultText: 'true in embedded mode, false in server mode',
    example: 'true',
    description: 'People may sign in with an e-mail and a password kept here.',
    secret: false,
    parse: boolean,
  }),
  OIDC_ISSUER: variable({
    group: SIGN_IN,
    defaultText: 'no single sign-on',
    example: 'https://sso.example.com/realms/acme',
    description:
      'Single sign-on with OpenID Connect (code flow with PKCE): the issuer; register ' +
      '${PUBLIC_URL}/auth/oidc/callback at the provider. https only (http on the loopback).',
    secret: false,
    parse: text,
  }),
  OIDC_CLIENT_ID: variable({
    group: SIGN_IN,
    defaultText: 'required with OIDC_ISSUER',
    example: 'loveboard',
    description: 'The client id registered at the provider.',
    secret: false,
    parse: text,
  }),
  OIDC_CLIENT_SECRET: variable({
    group: SIGN_IN,
    defaultText: 'a public client (PKCE only)',
    description: 'The client secret, for a confidential client.',
    secret: true,
    parse: text,
  }),
  OIDC_LABEL: variable({
    group: SIGN_IN,
    default: 'Company SSO',
    description: 'The sign-in button’s text.',
    secret: false,
    parse: label,
  }),
  OIDC_ROLE_CLAIM: variable({
    group: SIGN_IN,
    default: 'groups',
    description:
      'The claim carrying the person’s groups (a dotted path reaches nested claims: realm_access.roles).',
    secret: false,
    parse: claimPath,
  }),
  OIDC_ROLE_MAP: variable({
    group: SIGN_IN,
    defaultText: 'nothing mapped',
    example: 'lb-admins=admin,lb-triagers=triager',
    description: 'Claim values mapped to roles; the highest wins, read again at every sign-in.',
    secret: false,
    parse: roleMap,
  }),
  OIDC_DEFAULT_ROLE: variable({
    group: SIGN_IN,
    default: 'viewer',
    description: 'The role of people none of whose claim values is mapped.',
    secret: false,
    parse: oneOf(PERSON_ROLES),
  }),
  DEMO_SHOP_PORT: variable({
    group: MONITORS,
    defaultText: 'PORT + 1 when DEMO_DATA is on, else not served',
    example: '3001',
    description: 'The demo shop the demo monitors watch (0: any free port).',
    secret: false,
    parse: integer(0, 65535),
  }),
  CHROMIUM_PATH: variable({
    group: MONITORS,
    default: '/usr/bin/chromium',
    description: 'The Chromium that browser monitors drive (Debian’s package by default).',
    secret: false,
    parse: text,
  }),
};

export type VariableName = keyof typeof SCHEMA;
/** Each variable parsed: its type, or null when unset and without a default. */
export type Settings = {
  readonly [K in VariableName]: (typeof SCHEMA)[K] extends Variable<unknown, infer V> ? V : never;
};

/** Blank is unset: a `.env` line `NAME=` must not mean the empty string. */
export function readRaw(env: Record<string, string | undefined>, name: VariableName): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/** Every variable read, checked and defaulted; a malformed one stops here, named. */
export function readSettings(env: Record<string, string | undefined>): Settings {
  const settings: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(SCHEMA) as [VariableName, Variable<unknown, unknown>][]) {
    const raw = readRaw(env, name) ?? spec.default;
    settings[name] = raw === undefined ? null : spec.parse(raw, name);
  }
  return settings as Settings;
}

// ---- what is generated from it ------------------------------------------------------------------

const WIDTH = 100;

function wrap(textToWrap: string, prefix: string): string[] {
  const lines: string[] = [];
  let line = prefix;
  for (const word of textToWrap.split(' ')) {
    if (line.length + word.length + 1 > WIDTH && line !== prefix) {
      lines.push(line.trimEnd());
      line = prefix;
    }
    line += `${word} `;
  }
  lines.push(line.trimEnd());
  return lines;
}

/** `.env.example`: every variable, its default set (or an example commented out), what it means. */
export function renderEnvExample(): string {
  const lines = [
    '# LoveBoard configuration. Generated from libs/config/src/schema.ts (`npm run config:docs`):',
    '# edit there. Every variable is optional unless said; the value shown is the default, a',
    '# commented-out one is an example. Validated once at boot: a malformed value stops the process',
    '# with one line naming it. docs/CONFIGURATION.md has the same as a table.',
  ];
  let group = '';
  for (const [name, spec] of Object.entries(SCHEMA) as [string, Variable<unknown, unknown>][]) {
    if (spec.group !== group) {
      group = spec.group;
      lines.push('', `# ---- ${group}`);
    }
    const unset = spec.defaultText === undefined ? '' : ` Unset: ${spec.defaultText}.`;
    lines.push(...wrap(`${spec.description}${unset}${spec.secret ? ' A secret.' : ''}`, '# '));
    lines.push(spec.default !== undefined ? `${name}=${spec.default}` : `# ${name}=${spec.example ?? ''}`);
  }
  return `${lines.join('\n')}\n`;
}

const cell = (value: string) => value.replace(/\|/g, '\\|');

/** The table of docs/CONFIGURATION.md. */
export function renderConfigTable(): string {
  const rows = (Object.entries(SCHEMA) as [string, Variable<unknown, unknown>][]).map(([name, spec]) => [
    `\`${name}\``,
    spec.default !== undefined ? `\`${cell(spec.default)}\`` : cell(spec.defaultText ?? 'unset'),
    spec.secret ? 'yes' : '',
    cell(spec.description),
    cell(spec.group),
  ]);
  const header = ['variable', 'default', 'secret', 'what', 'section'];
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i].length)));
  const line = (row: string[]) => `| ${row.map((value, i) => value.padEnd(widths[i])).join(' | ')} |`;
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}
