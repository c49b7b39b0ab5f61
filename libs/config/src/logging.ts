import { EventEmitter } from 'node:events';
import type { LoggerOptions } from 'pino';
import type { AppConfig } from './env';
import { effectiveLogLevel } from './logger-destination';

/**
 * What must never reach a log line: verbatim text and authors (customer data), credentials. Fields
 * with these names are censored wherever they sit; other strings are scrubbed of e-mail addresses,
 * API keys and bearer tokens, since a cause or a URL can quote them.
 */
const SECRET_FIELDS = new Set([
  'text',
  'rawtext',
  'redactedtext',
  'author',
  'authorization',
  'cookie',
  'set-cookie',
  'password',
  'secret',
  'token',
  'apikey',
  'key',
  'x-signature',
]);
/**
 * pino-http's request and response objects: left whole for the serializers that pick a few fields
 * from them (apps/api sets them), never walked: they reach sockets, parsers and buffers. Any other
 * stream or emitter is named only.
 */
const SERIALIZED = new Set(['req', 'res']);
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;
const API_KEY = /\blb_[a-z0-9]{12}_[A-Za-z0-9_-]{20,}/g;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi;
const URL_PASSWORD = /\/\/([^:/@\s]+):([^@\s]+)@/g;

/**
 * Longer strings are cut before they are scrubbed: the patterns above cost up to the square of a
 * string's length, and a hostile URL or body of 10,000 characters would otherwise hold a request for
 * seconds in its log line. A log line has no use for more.
 */
const MAX_LOGGED_STRING = 2_000;

export function scrubString(value: string): string {
  const bounded =
    value.length > MAX_LOGGED_STRING ? `${value.slice(0, MAX_LOGGED_STRING)}…[truncated]` : value;
  return bounded
    .replace(API_KEY, '[API_KEY]')
    .replace(BEARER, '$1 [TOKEN]')
    .replace(URL_PASSWORD, '//$1:***@')
    .replace(EMAIL, '[EMAIL]');
}

/** A copy of a log record with secret fields censored and every string scrubbed (depth-limited). */
export function scrubForLog(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubString(value);
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) {
    return {
      type: value.name,
      message: scrubString(value.message),
      stack: value.stack && scrubString(value.stack),
    };
  }
  if (value instanceof EventEmitter) return `[${value.constructor.name}]`;
  if (Array.isArray(value)) return value.map((item) => scrubForLog(item, depth + 1));
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    if (depth === 0 && SERIALIZED.has(key) && item instanceof EventEmitter) copy[key] = item;
    else copy[key] = SECRET_FIELDS.has(key.toLowerCase()) ? '[redacted]' : scrubForLog(item, depth + 1);
  }
  return copy;
}

const INFO = 30;
/** Nest's contexts that log once per module and route at every boot. */
const BOOT_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer']);

function isBootChatter(first: unknown): boolean {
  return (
    typeof first === 'object' &&
    first !== null &&
    BOOT_CONTEXTS.has(String((first as { context?: unknown }).context))
  );
}

/**
 * Structured JSON logs, one line per event, customer data and credentials removed. Pair with
 * `logDestination(config, name)`, which honours LOG_LEVEL on stdout and LOG_DIR/LOG_DIR_LEVEL.
 */
export function loggerOptions(config: AppConfig, name: string): LoggerOptions {
  return {
    name,
    // With LOG_DIR, stdout and the file each filter to their own level (logDestination).
    level: effectiveLogLevel(config),
    base: { pid: process.pid, app: name },
    timestamp: () => `,"time":"${new Date().toISOString()}"`,
    formatters: {
      level: (label) => ({ level: label }),
      log: (record) => scrubForLog(record) as Record<string, unknown>,
    },
    hooks: {
      logMethod(args, method, level) {
        // Nest's boot chatter (each module initialised, each of the ~100 routes mapped) is for
        // whoever debugs the wiring: at info it would bury the first start's banner.
        if (level === INFO && isBootChatter(args[0])) {
          this.debug(...args);
          return;
        }
        method.apply(
          this,
          args.map((arg) => (typeof arg === 'string' ? scrubString(arg) : arg)) as Parameters<typeof method>,
        );
      },
    },
  };
}
