import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import Redis from 'ioredis';
import { Role } from '@app/database';
import { isoWeekOf } from '@app/scoring';
import { RunningApi, TEST_REDIS_URL, useApi } from './support/app';
import { verbatim, VerbatimBody } from './support/builders';
import { query } from './support/database';
import { http } from './support/http';
import { VerbatimIndex } from './support/log-scan';
import { RUNS as PROPERTY_RUNS } from './properties/arbitraries';

/** Cases (PROPERTY_RUNS, see test/properties/arbitraries.ts) and their seed: PROPERTY_SEED replays a run. */
const RUNS = PROPERTY_RUNS;
const SEED = Number(process.env.PROPERTY_SEED ?? Math.floor(Math.random() * 2 ** 31));
const BATCH = 1_000;
const NBSP = '\u00a0';

type Kind = 'email' | 'phone' | 'card' | 'iban';
interface Planted {
  kind: Kind;
  written: string;
}
interface Case {
  text: string;
  planted: Planted[];
}

const digits = (length: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: length, maxLength: length });
const groupBy = (value: string, size: number, separator: string) =>
  (value.match(new RegExp(`.{1,${size}}`, 'g')) ?? []).join(separator);

function luhnCheckDigit(body: string): string {
  let sum = 0;
  for (let index = 0; index < body.length; index++) {
    let digit = Number(body[body.length - 1 - index]);
    if (index % 2 === 0) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return String((10 - (sum % 10)) % 10);
}

function ibanFor(country: string, bban: string): string {
  const numeric = `${bban}${country}00`.replace(/[A-Z]/g, (letter) => String(letter.charCodeAt(0) - 55));
  let remainder = 0;
  for (const digit of numeric) remainder = (remainder * 10 + Number(digit)) % 97;
  return `${country}${String(98 - remainder).padStart(2, '0')}${bban}`;
}

// Written by hand rather than taken from the product's redaction tests: a second opinion.
const card = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('4', '51', '53', '55', '2221', '6011'),
      digits(18),
      fc.constantFrom(16, 16, 19, 13),
      fc.constantFrom('', ' ', '-'),
    )
    .map(([prefix, filler, length, separator]) => {
      const body = (prefix + filler).slice(0, length - 1);
      return groupBy(body + luhnCheckDigit(body), 4, separator);
    }),
  fc
    .tuple(fc.constantFrom('34', '37'), digits(12), fc.constantFrom('', ' ', '-'))
    .map(([prefix, filler, separator]) => {
      const number = prefix + filler + luhnCheckDigit(prefix + filler);
      return [number.slice(0, 4), number.slice(4, 10), number.slice(10)].join(separator);
    }),
);

const iban = fc
  .tuple(
    fc.oneof(
      digits(23).map((bban) => ibanFor('FR', bban)),
      digits(18).map((bban) => ibanFor('DE', bban)),
      digits(20).map((bban) => ibanFor('ES', bban)),
      digits(12).map((bban) => ibanFor('BE', bban)),
      fc
        .tuple(fc.constantFrom('BARC', 'NWBK'), digits(14))
        .map(([bank, account]) => ibanFor('GB', bank + account)),
    ),
    fc.constantFrom('', ' '),
  )
  .map(([value, separator]) => (separator === '' ? value : groupBy(value, 4, separator)));

const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?$/);
const email = fc
  .tuple(
    fc.oneof(
      fc.stringMatching(/^[a-z0-9][a-z0-9._+-]{0,15}[a-z0-9]$/),
      fc.constantFrom('andré.lefèvre', 'zoë', 'jean-françois', 'müller'),
    ),
    fc.array(label, { minLength: 1, maxLength: 2 }),
    fc.constantFrom('com', 'fr', 'co.uk', 'org', 'io', 'de'),
    fc.boolean(),
  )
  .filter(([local]) => !/\.\./.test(local))
  .map(([local, domain, tld, upper]) => {
    const address = `${local}@${domain.join('.')}.${tld}`;
    return upper ? address.toUpperCase() : address;
  });

const phone = fc
  .tuple(fc.constantFrom(...'12345679'), digits(8), fc.constantFrom(' ', '.', '-', '', NBSP))
  .chain(([first, rest, separator]) => {
    const pairs = groupBy(rest, 2, separator);
    const spaced = groupBy(rest, 2, ' ');
    return fc.constantFrom(
      `0${first}${separator}${pairs}`,
      `+33${separator === '' ? '' : ' '}${first}${separator}${pairs}`,
      `0033 ${first} ${spaced}`,
      `+44 20 ${rest.slice(0, 4)} ${rest.slice(4)}`,
      `+32 ${first}${rest.slice(0, 2)} ${rest.slice(2, 4)} ${rest.slice(4, 6)} ${rest.slice(6)}`,
      `+49 30 ${rest.slice(1)}${first}${first}`,
    );
  });

const planted = fc.oneof(
  email.map((written): Planted => ({ kind: 'email', written })),
  phone.map((written): Planted => ({ kind: 'phone', written })),
  card.map((written): Planted => ({ kind: 'card', written })),
  iban.map((written): Planted => ({ kind: 'iban', written })),
);

const OPENINGS = [
  'Bonjour, mon paiement a été refusé, rappelez-moi au',
  'Commande jamais livrée, vous pouvez me joindre :',
  'The refund never arrived on my account',
  'My card was charged twice, the card is',
  'Remboursement toujours pas reçu sur le compte',
  'Impossible de me connecter à l’application, mon adresse est',
  'Delivery was late again. Contact me at',
  'Le site plante au moment de payer avec la carte',
];
const JOINS = [' ', ' (', ' : ', ' «\u00a0', '\n', ', ou ', ' and also '];
const CLOSINGS = ['', '.', ' merci.', ') svp', '\u00a0» !', ' — thanks', '\nCordialement'];

const aCase: fc.Arbitrary<Case> = fc
  .tuple(
    fc.constantFrom(...OPENINGS),
    fc.array(fc.tuple(fc.constantFrom(...JOINS), planted), { minLength: 1, maxLength: 3 }),
    fc.constantFrom(...CLOSINGS),
  )
  .map(([opening, parts, closing]) => ({
    text: `${opening}${parts.map(([join, value]) => `${join}${value.written}`).join('')}${closing}`,
    planted: parts.map(([, value]) => value),
  }));

/**
 * Finds any of many planted values in large texts at once: the values indexed by their first
 * characters, the texts read once (a `includes` per value would be quadratic at 10,000 cases).
 */
class PlantedIndex {
  private readonly byPrefix = new Map<string, { needle: string; kind: Kind }[]>();
  private static readonly PREFIX = 6;

  constructor(values: readonly Planted[]) {
    for (const value of values) {
      const variants = new Set([value.written, value.written.toLowerCase()]);
      // The number without its separators must not surface either (cards and IBANs are long enough
      // to be unambiguous).
      if (value.kind === 'card' || value.kind === 'iban') variants.add(value.written.replace(/[\s-]/g, ''));
      for (const needle of variants) {
        const prefix = needle.slice(0, PlantedIndex.PREFIX);
        const list = this.byPrefix.get(prefix) ?? [];
        list.push({ needle, kind: value.kind });
        this.byPrefix.set(prefix, list);
      }
    }
  }

  /** The kinds of the planted values found in `text`, with a count (never the values themselves). */
  find(text: string): Record<string, number> {
    const found: Record<string, number> = {};
    for (let index = 0; index + PlantedIndex.PREFIX <= text.length; index++) {
      const candidates = this.byPrefix.get(text.slice(index, index + PlantedIndex.PREFIX));
      if (candidates === undefined) continue;
      for (const { needle, kind } of candidates)
        if (text.startsWith(needle, index)) found[kind] = (found[kind] ?? 0) + 1;
    }
    return found;
  }
}

function bodies(cases: readonly Case[], offset: number): VerbatimBody[] {
  const receivedAt = new Date().toISOString();
  return cases.map((item, index) =>
    verbatim({ source: 'redaction-scale', externalId: `c-${offset + index}`, text: item.text, receivedAt }),
  );
}

async function postAll(api: RunningApi, key: string, cases: readonly Case[]): Promise<string[]> {
  const ids: string[] = [];
  for (let offset = 0; offset < cases.length; offset += BATCH) {
    const response = await http(api.url, 'POST', '/api/v1/verbatims', {
      key,
      body: bodies(cases.slice(offset, offset + BATCH), offset),
    });
    expect(response.status).toBe(201);
    ids.push(...(response.body.items as { id: string }[]).map((item) => item.id));
  }
  return ids;
}

const cases = fc.sample(aCase, { numRuns: RUNS, seed: SEED });
const allPlanted = cases.flatMap((item) => item.planted);
const index = new PlantedIndex(allPlanted);

/**
 * Personal data in 10,000 generated verbatims (e-mails, French and international phones,
 * Luhn-valid cards, IBANs, written with spaces, dashes, no-break spaces, upper case) never comes
 * out: not in what the API displays, not in the database's display columns, not in Redis job
 * payloads, not in the digest, not in the logs. Replay with PROPERTY_SEED=<seed> PROPERTY_RUNS=<n>.
 */
describe(`redaction at scale (${RUNS} cases, seed ${SEED})`, () => {
  it('generated what it says: every kind, many times', () => {
    expect(cases).toHaveLength(RUNS);
    const kinds = new Set(allPlanted.map((value) => value.kind));
    expect([...kinds].sort()).toEqual(['card', 'email', 'iban', 'phone']);
    // The index does find what was planted: a check that cannot pass vacuously.
    expect(index.find(cases[0].text)).not.toEqual({});
  });

  describe('through the pipeline (in-process queue)', () => {
    const { api, db } = useApi({ env: { JOB_CONCURRENCY: '8' } });
    let admin: string;
    let viewer: string;

    beforeAll(async () => {
      [admin, viewer] = await Promise.all([api.key(Role.Admin), api.key(Role.Viewer)]);
      const ids = await postAll(api, admin, cases);
      expect(new Set(ids).size).toBe(RUNS);
      // Every verbatim through the last stage, however long they take on this machine.
      await api.idle();
      const [{ n }] = await query<{ n: string }>(
        db.url,
        `SELECT count(*) AS n FROM verbatim WHERE stage = 'clustered'`,
      );
      expect(Number(n)).toBe(RUNS);
    }, 1_800_000);

    it('GET /api/v1/verbatims displays none of it, for any role', async () => {
      for (const key of [viewer, admin]) {
        let cursor: string | null = null;
        let seen = 0;
        let texts = '';
        do {
          const search: string = `?source=redaction-scale&limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
          const page = await http(api.url, 'GET', `/api/v1/verbatims${search}`, { key });
          expect(page.status).toBe(200);
          seen += page.body.items.length;
          texts += JSON.stringify(page.body);
          cursor = page.body.nextCursor;
        } while (cursor);
        expect(seen).toBe(RUNS);
        // The placeholders are there: the texts were read, and redacted.
        expect(texts).toMatch(/\[EMAIL\]/);
        expect(texts).toMatch(/\[PHONE\]/);
        expect(texts).toMatch(/\[CARD\]/);
        expect(texts).toMatch(/\[IBAN\]/);
        expect(index.find(texts)).toEqual({});
      }
    });

    it('one verbatim: its text redacted for all, its raw text to triagers and admins only', async () => {
      const list = await http(api.url, 'GET', '/api/v1/verbatims?source=redaction-scale&limit=50', {
        key: viewer,
      });
      for (const { id } of list.body.items as { id: string }[]) {
        const asViewer = await http(api.url, 'GET', `/api/v1/verbatims/${id}`, { key: viewer });
        expect(asViewer.status).toBe(200);
        expect(asViewer.body.rawText).toBeUndefined();
        expect(index.find(JSON.stringify(asViewer.body))).toEqual({});
        const asAdmin = await http(api.url, 'GET', `/api/v1/verbatims/${id}`, { key: admin });
        expect(index.find(asAdmin.body.text)).toEqual({});
        // By design: the raw text is the triage team's, for the retention period.
        expect(index.find(asAdmin.body.rawText)).not.toEqual({});
      }
    });

    it('irritants and board quotes display none of it', async () => {
      const irritants = await http(api.url, 'GET', '/api/v1/irritants?limit=500', { key: viewer });
      expect(irritants.status).toBe(200);
      expect(irritants.body.length).toBeGreaterThan(0);
      let shown = JSON.stringify(irritants.body);
      for (const irritant of irritants.body as { id: string }[]) {
        const one = await http(api.url, 'GET', `/api/v1/irritants/${irritant.id}`, { key: viewer });
        expect(one.status).toBe(200);
        shown += JSON.stringify(one.body);
      }
      const board = await http(api.url, 'GET', '/api/v1/boards/current?limit=500', { key: viewer });
      expect(board.status).toBe(200);
      shown += JSON.stringify(board.body);
      expect(shown).toMatch(/quotes/);
      expect(index.find(shown)).toEqual({});
    });

    it('the digest, HTML and text, French and English, shows none of it', async () => {
      const week = isoWeekOf(new Date(), api.config.timeZone);
      for (const lang of ['fr', 'en'])
        for (const format of ['html', 'text']) {
          const response = await fetch(`${api.url}/api/v1/digests/${week}?lang=${lang}&format=${format}`, {
            headers: { authorization: `Bearer ${viewer}` },
          });
          expect(response.status).toBe(200);
          const digest = await response.text();
          expect(digest.length).toBeGreaterThan(200);
          expect(index.find(digest)).toEqual({});
        }
    });

    it('the database keeps it in the raw text only (retention), never in a display column', async () => {
      const tables = await query<{ name: string }>(
        db.url,
        `SELECT table_name AS name FROM information_schema.tables
          WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
      );
      const found: Record<string, Record<string, number>> = {};
      for (const { name } of tables) {
        // Every column of every table but verbatim.raw_text, the customer's words as written.
        const rows = await query<{ row: string }>(
          db.url,
          `SELECT (to_jsonb(t) - 'raw_text')::text AS row FROM "${name}" t`,
        );
        const hits = index.find(rows.map((row) => row.row).join('\n'));
        if (Object.keys(hits).length > 0) found[name] = hits;
      }
      expect(found).toEqual({});
      // The raw text does keep them: the check above looks at real data.
      const raw = await query<{ raw_text: string }>(db.url, `SELECT raw_text FROM verbatim LIMIT 50`);
      expect(index.find(raw.map((row) => row.raw_text).join('\n'))).not.toEqual({});
    });

    it('the logs of the run hold none of it', () => {
      const logDir = process.env.LOG_DIR;
      // Set by test/global-setup.ts: without it this check would have nothing to read.
      expect(logDir).toBeDefined();
      const found: Record<string, Record<string, number>> = {};
      for (const file of readdirSync(logDir as string)) {
        const hits = index.find(readFileSync(join(logDir as string, file), 'utf8'));
        if (Object.keys(hits).length > 0) found[file] = hits;
      }
      expect(found).toEqual({});
    });
  });

  describe('in Redis job payloads (server mode)', () => {
    // No worker: the jobs stay in Redis as the API enqueued them, to be read whole.
    const { api } = useApi({ env: { REDIS_URL: TEST_REDIS_URL } });
    let redis: Redis;
    const sample = cases.slice(0, Math.min(RUNS, BATCH));

    beforeAll(async () => {
      redis = new Redis(TEST_REDIS_URL);
      await postAll(api, await api.key(Role.Admin), sample);
    });

    afterAll(async () => {
      const keys = redis ? await redis.keys(`${api.config.queuePrefix}:*`) : [];
      if (keys.length > 0) await redis.del(...keys);
      redis?.disconnect();
    });

    it('carry verbatim ids only: no planted value, no text', async () => {
      const keys = await redis.keys(`${api.config.queuePrefix}:*`);
      let everything = '';
      const ingestJobs: unknown[] = [];
      for (const key of keys) {
        const type = await redis.type(key);
        if (type === 'hash') {
          const hash = await redis.hgetall(key);
          everything += JSON.stringify(hash);
          if (hash.name === 'verbatim.ingest') ingestJobs.push(JSON.parse(hash.data));
        } else if (type === 'list') everything += JSON.stringify(await redis.lrange(key, 0, -1));
        else if (type === 'zset') everything += JSON.stringify(await redis.zrange(key, 0, -1));
        else if (type === 'set') everything += JSON.stringify(await redis.smembers(key));
        else if (type === 'stream') everything += JSON.stringify(await redis.xrange(key, '-', '+'));
        else if (type === 'string') everything += (await redis.get(key)) ?? '';
      }
      expect(ingestJobs.length).toBeGreaterThan(0);
      for (const data of ingestJobs) {
        expect(Object.keys(data as object)).toEqual(['verbatimIds']);
        for (const id of (data as { verbatimIds: unknown[] }).verbatimIds)
          expect(id).toMatch(/^[0-9a-f-]{36}$/);
      }
      expect(index.find(everything)).toEqual({});
      expect(new VerbatimIndex(sample.map((item) => item.text)).contains(everything)).toBe(false);
    });
  });
});
