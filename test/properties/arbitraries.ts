import fc from 'fast-check';

/**
 * Cases per property (and verbatims of test/redaction-scale.e2e-spec.ts): PROPERTY_RUNS, 200 by
 * default so that `npm test` stays within its ten minutes (each run draws a new seed, so runs add
 * up to more ground); `npm run test:properties` runs the full 10,000 (about 8 minutes on two
 * cores). docs/RELIABILITY.md has the figures of both.
 */
export const RUNS = Number(process.env.PROPERTY_RUNS ?? 200);

/** fast-check parameters shared by every property; the count actually run is printed by `recordRuns`. */
export const params = (extra: Partial<fc.Parameters<unknown>> = {}): fc.Parameters<unknown> => ({
  numRuns: RUNS,
  ...extra,
});

/** What each suite ran, printed once at the end so a run says how many cases it generated. */
export function recordRuns(suite: string, counts: Record<string, number>): void {
  const lines = Object.entries(counts).map(([name, n]) => `  ${name}: ${n} cases`);
  process.stdout.write(`[properties] ${suite}\n${lines.join('\n')}\n`);
}

/**
 * Fails the suite if any promise is rejected without a handler while it runs: a parser or endpoint
 * that leaks a rejection is a crash waiting in production, even when the answer looked right.
 */
export function watchUnhandledRejections(): { check(): void } {
  const seen: unknown[] = [];
  const listener = (reason: unknown) => seen.push(reason);
  beforeAll(() => process.on('unhandledRejection', listener));
  afterAll(() => {
    process.off('unhandledRejection', listener);
  });
  return {
    check() {
      expect(seen.map((reason) => String(reason))).toEqual([]);
    },
  };
}

/** Hostile strings: empty, huge, NUL, lone surrogates, RTL overrides, emoji, control characters. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '',
      ' ',
      '\u0000',
      'a\u0000b',
      '\ud800',
      'x\udfffy',
      '\u202eevil\u202c',
      '\u200f\u05e9\u05dc\u05d5\u05dd',
      '😡💥👨‍👩‍👧',
      '\r\n\r\n',
      '"',
      "'; DROP TABLE verbatim; --",
      '<scr<script>ipt>lb-prop</script>',
      '__proto__',
      'constructor',
      'prototype',
      'NaN',
      'Infinity',
      '-Infinity',
      '1e309',
      '-0',
      '0x10',
      '9999999999999999999999',
      '0000-00-00',
      '+275760-09-13T00:00:00.001Z',
      '-271821-04-20T00:00:00.000Z',
      '1970-01-01T00:00:00Z',
      '2999-12-31T23:59:59Z',
      'null',
      'true',
      '{}',
      '[]',
    ),
  },
  { weight: 1, arbitrary: fc.integer({ min: 20_001, max: 21_000 }).map((n) => 'é'.repeat(n)) },
);

/** Any JSON-ish value, including the keys that pollute prototypes and deep nesting. */
export const hostileValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileString,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(
      fc.oneof(hostileString, fc.constantFrom('__proto__', 'constructor', 'prototype')),
      tie('value'),
      {
        maxKeys: 4,
      },
    ),
  ),
})).value;

/**
 * JSON text of a value nested 50 to 3,000 levels deep, wrapped as `wrap(nested)`: parsers must not
 * recurse without a bound. Built as text so that fast-check can print a failing case.
 */
export const deepJson = (wrap: (nested: string) => string = (nested) => nested): fc.Arbitrary<string> =>
  fc.integer({ min: 50, max: 3_000 }).map((depth) => {
    let text = '"x"';
    for (let i = 0; i < depth; i++) text = i % 2 === 0 ? `[${text}]` : `{"a":${text}}`;
    return wrap(text);
  });

/** JSON text with a `__proto__` own key, as an attacker sends it (JSON.stringify would drop it). */
export const protoPollutionJson = (inner: string): string =>
  `{"__proto__":{"polluted":true},${inner.slice(1)}`;

/** Replaces one field of a valid object with a hostile value, or drops or adds a field. */
export function mutate<T extends Record<string, unknown>>(
  valid: fc.Arbitrary<T>,
  keys: readonly string[],
): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .tuple(valid, fc.constantFrom(...keys, '__proto__', 'constructor', 'unexpected'), fc.nat(3), hostileValue)
    .map(([value, key, how, replacement]) => {
      const copy: Record<string, unknown> = { ...value };
      if (how === 0) delete copy[key];
      else
        Object.defineProperty(copy, key, {
          value: replacement,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      return copy;
    });
}

/** A structurally valid verbatim for POST /api/v1/verbatims. */
export const validVerbatim = fc.record(
  {
    source: fc.constantFrom('prop-web', 'prop-store', 'prop.app_1'),
    externalId: fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/),
    author: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }).filter((s) => s.trim() !== ''),
    text: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 200 }).filter((s) => s.trim() !== ''),
    channel: fc.constantFrom(
      'email',
      'chat',
      'chatbot',
      'twitter',
      'forum',
      'facebook',
      'survey',
      'phone',
      'other',
    ),
    receivedAt: fc
      .date({
        min: new Date('2020-01-01T00:00:00Z'),
        max: new Date('2026-01-01T00:00:00Z'),
        noInvalidDate: true,
      })
      .map((d) => d.toISOString()),
    lang: fc.constantFrom('en', 'fr', 'de'),
    metadata: fc.dictionary(
      fc.stringMatching(/^[a-z]{1,8}$/),
      fc.oneof(fc.string({ maxLength: 20 }), fc.integer()),
      {
        maxKeys: 3,
      },
    ),
  },
  { requiredKeys: ['source', 'externalId', 'author', 'text', 'channel', 'receivedAt'] },
);

export const VERBATIM_KEYS = [
  'source',
  'externalId',
  'author',
  'text',
  'channel',
  'receivedAt',
  'lang',
  'metadata',
] as const;

/** Valid, mutated or nonsense verbatims: the mix the ingest API must sort into 2xx and 4xx. */
export const anyVerbatim: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: validVerbatim },
  { weight: 5, arbitrary: mutate(validVerbatim, VERBATIM_KEYS) },
  { weight: 1, arbitrary: hostileValue },
);
