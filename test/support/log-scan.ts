import { appendFileSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * The scan of a whole test run's logs for what must never be logged: credentials, customers'
 * personal data and verbatim text. `test/global-setup.ts` makes the run directory and points every
 * application and process the tests start at `<run>/logs` (LOG_DIR); the texts the tests post are
 * recorded under `<run>/texts`; `test/global-teardown.ts` scans and fails the run on any finding.
 *
 * The detectors are written here rather than borrowed from the product's redaction or scrubbing
 * code: a scanner that shares the product's patterns would share its blind spots.
 */

export const RUN_DIR_ENV = 'LOVEBOARD_TEST_RUN_DIR';

export type LeakKind =
  | 'api key'
  | 'session cookie'
  | 'authorization header'
  | 'opaque token'
  | 'known secret'
  | 'secret-named field'
  | 'url credentials'
  | 'e-mail address'
  | 'phone number'
  | 'card number'
  | 'iban'
  | 'verbatim text';

export interface Finding {
  /** Path of the log file, relative to the scanned directory. */
  file: string;
  /** 1-based line number. */
  line: number;
  kind: LeakKind;
}

/** Records a text a test posts, so that the end-of-run scan looks for it in the logs. */
export function recordPostedText(text: unknown): void {
  const runDir = process.env[RUN_DIR_ENV];
  if (runDir === undefined || typeof text !== 'string' || text.length < MIN_VERBATIM) return;
  const dir = join(runDir, 'texts');
  mkdirSync(dir, { recursive: true });
  appendFileSync(join(dir, `${process.pid}.jsonl`), `${JSON.stringify(text)}\n`);
}

/** The texts recorded by `recordPostedText` during the run. */
export function recordedTexts(runDir: string): string[] {
  const dir = join(runDir, 'texts');
  const texts: string[] = [];
  for (const file of listFiles(dir)) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (line !== '') texts.push(JSON.parse(line) as string);
    }
  }
  return texts;
}

/** Verbatim leaks are exact substrings of at least this many characters (shorter ones are words). */
export const MIN_VERBATIM = 12;
// Long texts are cut into pieces of this size: any leaked run of 2 × CHUNK - 1 characters contains
// a whole piece, so a truncated or partly redacted text is caught too.
const CHUNK = 24;

/** Finds verbatim texts, or pieces of them, inside other strings. */
export class VerbatimIndex {
  /** The first MIN_VERBATIM characters of every needle → the needles starting with them. */
  private readonly byPrefix = new Map<string, string[]>();

  constructor(texts: Iterable<string>) {
    const needles = new Set<string>();
    for (const text of texts) {
      if (text.length < MIN_VERBATIM) continue;
      if (text.length <= CHUNK) {
        needles.add(text);
        continue;
      }
      for (let start = 0; start + CHUNK <= text.length; start += CHUNK)
        needles.add(text.slice(start, start + CHUNK));
      needles.add(text.slice(-CHUNK));
    }
    for (const needle of needles) {
      const prefix = needle.slice(0, MIN_VERBATIM);
      const list = this.byPrefix.get(prefix);
      if (list === undefined) this.byPrefix.set(prefix, [needle]);
      else list.push(needle);
    }
  }

  get size(): number {
    return this.byPrefix.size;
  }

  contains(value: string): boolean {
    if (this.byPrefix.size === 0) return false;
    for (let index = 0; index + MIN_VERBATIM <= value.length; index++) {
      const candidates = this.byPrefix.get(value.slice(index, index + MIN_VERBATIM));
      if (candidates === undefined) continue;
      for (const needle of candidates) if (value.startsWith(needle, index)) return true;
    }
    return false;
  }
}

export interface ScanOptions {
  /** Texts posted during the run (verbatims), looked for as exact substrings. */
  texts?: Iterable<string>;
  /** Secret values known to the run (test keys, shared secrets), looked for verbatim. */
  secrets?: Iterable<string>;
}

const API_KEY = /lb_[a-z0-9]{12}_[A-Za-z0-9_-]{20,}/;
// A cookie being cleared (`lb_session=;`) carries nothing.
const SESSION_COOKIE = /\blb_(?:session|oidc)=[^;\s",]+/;
const AUTHORIZATION = /\b(?:Bearer|Basic)\s+(?!\[TOKEN\])[A-Za-z0-9._~+/=-]{8,}/i;
// Random tokens as the product makes them (session, CSRF, webhook secrets: base64url of 24 or 32
// bytes). Mixed case and digits together tell them from ids, hashes and words.
const OPAQUE_TOKEN = /(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{32,}(?![A-Za-z0-9_-])/g;
const URL_CREDENTIALS = /\/\/[^:/@\s]+:(?!\*\*\*@)[^@\s/]+@/;
const SECRET_NAME = /secret|passw|token|authorization|cookie|api_?key|credential/i;
const CENSORED = new Set(['[redacted]', '***', '[TOKEN]', '[API_KEY]', '']);
// Internationalised local parts; the last domain label has a letter (not `pkg@1.2.3`).
const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}[\p{L}\p{N}-]*/u;
const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
const PHONE_FR = /(?<![\w+])(?:\+33[\s.-]?|0033[\s.-]?|0)[1-9](?:[\s.-]?\d{2}){4}(?![\w])/;
const PHONE_INTL = /(?<![\w+])(?:\+|00)[1-9](?:[\s.-]?\d){8,14}(?![\w])/;
const CARD = /(?<![\w-])\d(?:[ -]?\d){12,18}(?![\w-])/g;
const IBAN = /(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}(?![A-Za-z0-9])/g;

export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let index = 0; index < digits.length; index++) {
    let digit = digits.charCodeAt(digits.length - 1 - index) - 48;
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

export function ibanValid(candidate: string): boolean {
  const iban = candidate.replace(/ /g, '');
  if (iban.length < 15 || iban.length > 34) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) {
    const value = /\d/.test(char) ? char : String(char.charCodeAt(0) - 55);
    for (const digit of value) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}

const charClass = (char: string) =>
  /[A-Z]/.test(char) ? 0 : /[a-z]/.test(char) ? 1 : /\d/.test(char) ? 2 : 3;

/**
 * Random base64url switches between upper case, lower case and digits every other character or so;
 * identifiers that run words and numbers together (`CategoryCorrections1795915634933`) do not.
 */
function isOpaqueToken(token: string): boolean {
  if (!/[A-Z]/.test(token) || !/[a-z]/.test(token) || !/\d/.test(token)) return false;
  let switches = 0;
  for (let index = 1; index < token.length; index++)
    if (charClass(token[index]) !== charClass(token[index - 1])) switches += 1;
  return switches >= token.length / 4;
}

/** The kinds of leak in one string (a value or a key of a log record, or a raw line). */
export function leaksIn(value: string, verbatims: VerbatimIndex, secrets: readonly string[]): LeakKind[] {
  const kinds = new Set<LeakKind>();
  // A URL logged as received: `jeanne%40example.com` is the address all the same.
  if (/%[0-9A-Fa-f]{2}/.test(value)) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(value);
    } catch {
      decoded = value.replace(/%40/gi, '@').replace(/%2B/gi, '+').replace(/%20/g, ' ');
    }
    if (decoded !== value) for (const kind of leaksIn(decoded, verbatims, secrets)) kinds.add(kind);
  }
  if (API_KEY.test(value)) kinds.add('api key');
  if (SESSION_COOKIE.test(value)) kinds.add('session cookie');
  if (AUTHORIZATION.test(value)) kinds.add('authorization header');
  for (const match of value.matchAll(OPAQUE_TOKEN)) if (isOpaqueToken(match[0])) kinds.add('opaque token');
  if (secrets.some((secret) => value.includes(secret))) kinds.add('known secret');
  if (URL_CREDENTIALS.test(value)) kinds.add('url credentials');
  if (EMAIL.test(value)) kinds.add('e-mail address');
  // A random id's digits can read as a phone number ("00756083-0227-…" as 00 7 56 08 30 22 7):
  // ids are what the product logs to point at records, so they are left out of the number checks.
  const numbers = value.replace(UUID, ' ');
  if (PHONE_FR.test(numbers) || PHONE_INTL.test(numbers)) kinds.add('phone number');
  for (const match of numbers.matchAll(CARD)) {
    const digits = match[0].replace(/[ -]/g, '');
    // Card numbers start with 2-6 (Mastercard, Amex, Visa, Discover...); timestamps in ms start with 1.
    if (digits.length >= 13 && /^[2-6]/.test(digits) && luhnValid(digits)) kinds.add('card number');
  }
  for (const match of value.matchAll(IBAN)) if (ibanValid(match[0])) kinds.add('iban');
  if (verbatims.contains(value)) kinds.add('verbatim text');
  return [...kinds];
}

/** Every string of a parsed log record, with the fields named like secrets that are not censored. */
function walk(value: unknown, visit: (text: string) => void, namedSecret: () => void, depth = 0): void {
  if (typeof value === 'string') visit(value);
  if (depth > 20 || value === null || typeof value !== 'object') return;
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    visit(key);
    if (SECRET_NAME.test(key) && typeof item === 'string' && !CENSORED.has(item)) namedSecret();
    walk(item, visit, namedSecret, depth + 1);
  }
}

/** The findings of one log text (one file's content). */
export function scanText(content: string, file: string, options: ScanOptions = {}): Finding[] {
  return scanWith(content, file, new VerbatimIndex(options.texts ?? []), [...(options.secrets ?? [])]);
}

function scanWith(
  content: string,
  file: string,
  verbatims: VerbatimIndex,
  secrets: readonly string[],
): Finding[] {
  const findings: Finding[] = [];
  const lines = content.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    if (line.trim() === '') continue;
    const kinds = new Set<LeakKind>();
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch {
      record = undefined;
    }
    if (record !== undefined && typeof record === 'object' && record !== null) {
      // Parsed, so that escaped quotes and newlines of a text compare as the text itself.
      walk(
        record,
        (text) => leaksIn(text, verbatims, secrets).forEach((kind) => kinds.add(kind)),
        () => kinds.add('secret-named field'),
      );
    } else {
      leaksIn(line, verbatims, secrets).forEach((kind) => kinds.add(kind));
    }
    for (const kind of kinds) findings.push({ file, line: index + 1, kind });
  }
  return findings;
}

function listFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

export interface ScanReport {
  files: number;
  lines: number;
  findings: Finding[];
}

/** Scans every file under `logDir`. */
export function scanLogDirectory(logDir: string, options: ScanOptions = {}): ScanReport {
  const verbatims = new VerbatimIndex(options.texts ?? []);
  const secrets = [...(options.secrets ?? [])];
  const report: ScanReport = { files: 0, lines: 0, findings: [] };
  for (const path of listFiles(logDir)) {
    const content = readFileSync(path, 'utf8');
    report.files += 1;
    report.lines += content.split('\n').filter((line) => line !== '').length;
    report.findings.push(...scanWith(content, relative(logDir, path), verbatims, secrets));
  }
  return report;
}

/** The failure message: where and what kind, never the leaked value itself. */
export function describeFindings(findings: readonly Finding[], logDir: string, limit = 50): string {
  const lines = findings
    .slice(0, limit)
    .map((finding) => `  ${finding.file}:${finding.line}  ${finding.kind}`);
  if (findings.length > limit) lines.push(`  ... and ${findings.length - limit} more`);
  return `${findings.length} leak(s) in the logs of this test run (${logDir}):\n${lines.join('\n')}`;
}
