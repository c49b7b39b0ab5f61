import { findCards } from './cards';
import { findEmails, findSpelledEmails } from './emails';
import { findIbans } from './iban';
import { findPhones } from './phones';

// `string & {}` keeps the built-in kinds offered by editors while allowing configured ones.
export type PiiKind = 'email' | 'phone' | 'card' | 'iban' | (string & {});

/** A pattern of the installation's own (booking references, customer ids) to redact as `[KIND]`. */
export interface RedactionPattern {
  kind: string;
  /** Flags are kept except `g` and `y`, which the redactor sets itself. */
  pattern: RegExp;
}

/** A span of personal data, in UTF-16 code units of the text given. */
export interface PiiMatch {
  kind: PiiKind;
  start: number;
  end: number;
}

type Detector = (text: string, found: (start: number, end: number) => void) => void;

/** In order of precedence: when two kinds claim overlapping text, the earlier one wins. */
const BUILT_IN_DETECTORS: readonly { kind: PiiKind; find: Detector }[] = [
  { kind: 'iban', find: findIbans },
  { kind: 'card', find: findCards },
  { kind: 'email', find: findEmails },
  { kind: 'email', find: findSpelledEmails },
  { kind: 'phone', find: findPhones },
];

// Redacting the redacted text again must change nothing. Placeholders are protected, but a
// replacement can still change what its neighbours look like (a word boundary appears, a greedy
// match that lost to a higher kind no longer hides a shorter one behind it), so detection is rerun
// on the redacted text until it finds nothing new. Two rounds in practice; the cap only bounds
// configured patterns written to feed on placeholders.
const MAX_ROUNDS = 16;

function placeholderFor(kind: string): string {
  return `[${kind.toUpperCase()}]`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

interface CompiledPattern {
  kind: string;
  regex: RegExp;
}

interface Rendering {
  text: string;
  /** Where each match's placeholder starts in the rendered text. */
  placeholderStarts: number[];
}

/**
 * Finds and replaces personal data in customer text: IBANs (mod-97), payment cards (Luhn), e-mail
 * addresses (also with a spelled-out "(at)") and phone numbers (libphonenumber), then the installation's own patterns, in that order of precedence.
 * Numbers that fail their checksum are kept: an order number is not a card. Compile once and reuse:
 * the patterns are prepared in the constructor.
 */
export class Redactor {
  private readonly extra: readonly CompiledPattern[];
  private readonly placeholders: RegExp;

  constructor(extra: readonly RedactionPattern[] = []) {
    this.extra = extra.map(({ kind, pattern }) => {
      if (kind.length === 0 || /[[\]]/.test(kind)) {
        // A bracket would let a placeholder be read as something else on the next pass.
        throw new Error(`Invalid redaction kind ${JSON.stringify(kind)}: non-empty, without brackets`);
      }
      return { kind, regex: new RegExp(pattern.source, `${pattern.flags.replace(/[gy]/g, '')}g`) };
    });
    const labels = new Set([...BUILT_IN_DETECTORS.map((d) => d.kind), ...this.extra.map((p) => p.kind)]);
    const alternatives = [...labels]
      .map(placeholderFor)
      .sort((a, b) => b.length - a.length)
      .map(escapeRegExp);
    this.placeholders = new RegExp(alternatives.join('|'), 'g');
  }

  /** The personal data in `text`: sorted, non-overlapping, as `redact` replaces them. */
  findPii(text: string): PiiMatch[] {
    return this.resolve(text).matches;
  }

  redact(text: string): string {
    return this.resolve(text).redacted;
  }

  /**
   * Redacts every string inside a JSON value (a verbatim's metadata: a subject line, a signature, a
   * caller id), at any depth. Keys, numbers and booleans are kept: they are the source's structure
   * (a survey score), not what a person wrote.
   */
  redactJson<T>(value: T): T {
    if (typeof value === 'string') return this.redact(value) as T;
    if (Array.isArray(value)) return value.map((item: unknown) => this.redactJson(item)) as T;
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value).map(([key, item]) => [key, this.redactJson(item)]),
      ) as T;
    }
    return value;
  }

  private resolve(text: string): { matches: PiiMatch[]; redacted: string } {
    let matches = this.detect(text);
    if (matches.length === 0) return { matches, redacted: text };
    let rendering = this.render(text, matches);
    for (let round = 1; round < MAX_ROUNDS; round++) {
      const more = this.detect(rendering.text);
      if (more.length === 0) break;
      matches = [...matches, ...toOriginal(more, matches, rendering.placeholderStarts)].sort(
        (a, b) => a.start - b.start,
      );
      rendering = this.render(text, matches);
    }
    return { matches, redacted: rendering.text };
  }

  /** One pass of every detector, by precedence, each claiming only text no earlier one claimed. */
  private detect(text: string): PiiMatch[] {
    const claimed = new Uint8Array(text.length);
    const matches: PiiMatch[] = [];
    if (text.includes('[')) {
      this.placeholders.lastIndex = 0;
      let placeholder: RegExpExecArray | null;
      while ((placeholder = this.placeholders.exec(text)) !== null) {
        claimed.fill(1, placeholder.index, placeholder.index + placeholder[0].length);
      }
    }
    const claimerFor =
      (kind: PiiKind) =>
      (start: number, end: number): void => {
        for (let i = start; i < end; i++) if (claimed[i] === 1) return;
        claimed.fill(1, start, end);
        matches.push({ kind, start, end });
      };
    for (const { kind, find } of BUILT_IN_DETECTORS) find(text, claimerFor(kind));
    for (const { kind, regex } of this.extra) {
      const claim = claimerFor(kind);
      regex.lastIndex = 0;
      let match: RegExpExecArray | null;
      while ((match = regex.exec(text)) !== null) {
        if (match[0].length === 0) {
          regex.lastIndex++;
          continue;
        }
        claim(match.index, match.index + match[0].length);
      }
    }
    return matches.sort((a, b) => a.start - b.start);
  }

  private render(text: string, matches: readonly PiiMatch[]): Rendering {
    const placeholderStarts: number[] = [];
    let rendered = '';
    let last = 0;
    for (const match of matches) {
      rendered += text.slice(last, match.start);
      placeholderStarts.push(rendered.length);
      rendered += placeholderFor(match.kind);
      last = match.end;
    }
    return { text: rendered + text.slice(last), placeholderStarts };
  }
}

/**
 * Maps matches found in a rendering back to the original text. They lie between placeholders
 * (which are protected), where the rendering is the original shifted by what the placeholders
 * before them added or removed.
 */
function toOriginal(
  found: readonly PiiMatch[],
  matches: readonly PiiMatch[],
  placeholderStarts: readonly number[],
): PiiMatch[] {
  const mapped: PiiMatch[] = [];
  let before = 0; // matches whose placeholder lies before the current found span
  let shift = 0;
  for (const span of found) {
    while (before < matches.length && placeholderStarts[before] < span.start) {
      const match = matches[before];
      shift = match.end - (placeholderStarts[before] + placeholderFor(match.kind).length);
      before++;
    }
    mapped.push({ kind: span.kind, start: span.start + shift, end: span.end + shift });
  }
  return mapped;
}

const defaultRedactor = new Redactor();

function redactorFor(extra: readonly RedactionPattern[] | undefined): Redactor {
  return extra && extra.length > 0 ? new Redactor(extra) : defaultRedactor;
}

/** See `Redactor.findPii`; with `extra`, prefer a `Redactor` built once. */
export function findPii(text: string, extra?: readonly RedactionPattern[]): PiiMatch[] {
  return redactorFor(extra).findPii(text);
}

/** Replaces personal data with `[EMAIL]`, `[PHONE]`, `[CARD]`, `[IBAN]` or `[KIND]` of a pattern. */
export function redact(text: string, extra?: readonly RedactionPattern[]): string {
  return redactorFor(extra).redact(text);
}
