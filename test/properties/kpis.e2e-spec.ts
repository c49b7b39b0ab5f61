import fc from 'fast-check';
import { Client } from 'pg';
import { Role } from '@app/database';
import { useApi } from '../support/app';
import {
  deepJson,
  hostileString,
  hostileValue,
  mutate,
  params,
  recordRuns,
  watchUnhandledRejections,
} from './arbitraries';

const isoDate = fc
  .date({ min: new Date('2024-01-01T00:00:00Z'), max: new Date('2026-06-01T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString());
/** Dates a strict ISO 8601 check accepts but a database may not: years 0, 9999, far future. */
const oddDate = fc.constantFrom(
  '0000-01-01T00:00:00Z',
  '0001-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '1900-02-29T00:00:00Z',
  '2026-02-30T00:00:00Z',
  '2026-13-01T00:00:00Z',
  '2026-11-23T24:00:00Z',
  '2026-11-23',
  '2026-W47',
  '20261123T090000Z',
);
const anyDate = fc.oneof({ weight: 4, arbitrary: isoDate }, { weight: 1, arbitrary: oddDate });

const validPoint = fc.record({ at: anyDate, value: fc.double({ min: -1e6, max: 1e6, noNaN: true }) });
const anyPoint = fc.oneof(
  { weight: 3, arbitrary: validPoint },
  { weight: 2, arbitrary: mutate(validPoint, ['at', 'value']) },
);

const validAnswer = fc.record(
  {
    answerId: fc.stringMatching(/^[a-z0-9-]{1,20}$/),
    kind: fc.constantFrom('nps', 'csat'),
    score: fc.integer({ min: -1, max: 11 }),
    answeredAt: anyDate,
    comment: fc.string({ unit: 'grapheme', maxLength: 80 }),
    customer: fc.string({ minLength: 1, maxLength: 30 }),
    lang: fc.constantFrom('fr', 'en'),
  },
  { requiredKeys: ['answerId', 'kind', 'score', 'answeredAt'] },
);
const anyAnswer = fc.oneof(
  { weight: 3, arbitrary: validAnswer },
  {
    weight: 2,
    arbitrary: mutate(validAnswer, [
      'answerId',
      'kind',
      'score',
      'answeredAt',
      'comment',
      'customer',
      'lang',
    ]),
  },
);

/** A list wrapped in its field, sometimes with an item repeated (the same id or instant twice). */
const batchOf = (field: string, item: fc.Arbitrary<unknown>): fc.Arbitrary<string> =>
  fc.oneof(
    {
      weight: 5,
      arbitrary: fc
        .tuple(fc.array(item, { maxLength: 5 }), fc.boolean(), item)
        .map(([items, repeat, extra]) =>
          JSON.stringify({ [field]: repeat ? [...items, extra, extra] : items }),
        ),
    },
    { weight: 1, arbitrary: hostileValue.map((value) => JSON.stringify(value) ?? 'null') },
    { weight: 1, arbitrary: deepJson((nested) => `{"${field}":[${nested}]}`) },
  );

const validKpi = fc.record({
  name: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }),
  unit: fc.constantFrom('%', 'ms', 'count', ''),
  direction: fc.constantFrom('higher', 'lower'),
  target: fc.oneof(fc.constant(null), fc.double({ noNaN: true, noDefaultInfinity: true })),
});
const encodable = (s: string): boolean => {
  try {
    encodeURIComponent(s);
    return true;
  } catch {
    return false;
  }
};
const kpiKey = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('error_rate', 'load_ms', 'conversion') },
  {
    weight: 1,
    // A key is a path segment: kept under the size Node's HTTP parser takes in a URL (longer is
    // answered 414/431 by Node itself, before the app) and encodable (no lone surrogate).
    arbitrary: hostileString.filter((s) => s !== '' && s.length <= 200 && encodable(s)),
  },
);
const csvLine = fc.oneof(
  fc
    .tuple(fc.constantFrom('error_rate', 'load_ms'), anyDate, fc.double({ noNaN: true, min: -1e6, max: 1e6 }))
    .map((cells) => cells.join(',')),
  fc.tuple(hostileString, hostileString, hostileString).map((cells) => cells.join(',')),
);
const csvBody = fc.oneof(
  fc.array(csvLine, { maxLength: 6 }).map((lines) => ['kpi,at,value', ...lines].join('\n')),
  fc.tuple(csvLine, fc.boolean()).map(([line, header]) => (header ? `kpi,at,value\n${line}\n${line}` : line)),
  hostileString,
);

interface Answer {
  status: number;
  body: { message?: unknown; stored?: number; duplicates?: number };
}

/**
 * KPI and survey endpoints under generated hostile input: never a 5xx; a 4xx says why and writes
 * nothing; a 2xx writes what it reports, and a re-send changes no row count (replaces or skips).
 */
describe('properties: KPIs and survey answers', () => {
  const rejections = watchUnhandledRejections();
  const { api, db } = useApi({ env: { INGEST_REQUESTS_PER_MINUTE: '1000000' } });
  let admin: string;
  let sql: Client;
  const ran: Record<string, number> = {};

  beforeAll(async () => {
    admin = await api.key(Role.Admin);
    sql = new Client({ connectionString: db.url });
    await sql.connect();
    for (const key of ['error_rate', 'load_ms', 'conversion'])
      await send(
        'PUT',
        `/api/v1/kpis/${key}`,
        'application/json',
        JSON.stringify({ name: key, unit: '%', direction: 'lower', target: null }),
      );
  });

  afterAll(async () => {
    recordRuns('KPIs and survey answers', ran);
    await sql?.end();
  });

  /** Rows per table in one round trip: taken before and after each request. */
  const counts = async () =>
    (
      await sql.query<Record<string, string>>(
        `SELECT (SELECT count(*) FROM kpi_point) AS points, (SELECT count(*) FROM survey_answer) AS answers,
                (SELECT count(*) FROM verbatim) AS verbatims, (SELECT count(*) FROM kpi) AS kpis`,
      )
    ).rows[0];

  async function send(method: string, path: string, contentType: string, body: string): Promise<Answer> {
    const response = await fetch(`${api.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${admin}`, 'content-type': contentType },
      body,
    });
    const text = await response.text();
    let parsed: Answer['body'] = {};
    try {
      parsed = JSON.parse(text) as Answer['body'];
    } catch {
      // not JSON: the message check below fails with the status
    }
    return { status: response.status, body: parsed };
  }

  /** The shared property: below 500, a reason on 4xx and no write, a stable count on re-send. */
  async function check(
    name: string,
    method: string,
    path: string,
    contentType: string,
    body: string,
  ): Promise<void> {
    ran[name] = (ran[name] ?? 0) + 1;
    const before = await counts();
    const first = await send(method, path, contentType, body);
    expect(first.status).toBeLessThan(500);
    if (first.status >= 400) {
      // A reason: a sentence, or the list of what is wrong (validation errors).
      expect(JSON.stringify(first.body.message ?? '').length).toBeGreaterThan(2);
      expect(await counts()).toEqual(before);
      return;
    }
    const after = await counts();
    const again = await send(method, path, contentType, body);
    expect(again.status).toBe(first.status);
    expect(await counts()).toEqual(after);
  }

  it('POST /api/v1/kpis/{key}/points', async () => {
    await fc.assert(
      fc.asyncProperty(kpiKey, batchOf('points', anyPoint), async (key, body) =>
        check(
          'POST /api/v1/kpis/{key}/points',
          'POST',
          `/api/v1/kpis/${encodeURIComponent(key)}/points`,
          'application/json',
          body,
        ),
      ),
      params({
        // Regressions: an ISO week date passed the ISO check and failed in PostgreSQL (seed
        // -115289703); one instant twice in a batch broke the upsert; deep JSON overflowed the validator.
        examples: [
          ['error_rate', '{"points":[{"at":"2026-W47","value":0}]}'],
          [
            'error_rate',
            '{"points":[{"at":"2026-01-01T00:00:00Z","value":1},{"at":"2026-01-01T00:00:00Z","value":2}]}',
          ],
          ['error_rate', `{"points":[${'['.repeat(3000)}${']'.repeat(3000)}]}`],
        ],
      }),
    );
    rejections.check();
  });

  it('POST /api/v1/surveys/answers', async () => {
    await fc.assert(
      fc.asyncProperty(batchOf('answers', anyAnswer), (body) =>
        check('POST /api/v1/surveys/answers', 'POST', '/api/v1/surveys/answers', 'application/json', body),
      ),
      params({
        // Regression: `comment: null` passed the optional check and crashed on .trim() (a 500).
        examples: [
          [
            '{"answers":[{"answerId":"-","kind":"nps","score":0,"answeredAt":"2024-01-01T00:00:00.000Z","comment":null}]}',
          ],
          // NUL in an answer id reached PostgreSQL (a 500).
          [
            '{"answers":[{"answerId":"a\\u0000b","kind":"nps","score":0,"answeredAt":"2024-01-01T00:00:00.000Z"}]}',
          ],
        ],
      }),
    );
    rejections.check();
  });

  it('POST /api/v1/kpis/import (text/csv)', async () => {
    await fc.assert(
      fc.asyncProperty(
        csvBody,
        fc.constantFrom('text/csv', 'application/json', 'text/plain'),
        async (body, type) => check('POST /api/v1/kpis/import', 'POST', '/api/v1/kpis/import', type, body),
      ),
      params({
        // Regression (seed -1175275384): the same line twice broke the upsert (a 500).
        examples: [
          [
            'kpi,at,value\nerror_rate,2024-01-01T00:00:00.000Z,0\nerror_rate,2024-01-01T00:00:00.000Z,0',
            'text/csv',
          ],
        ],
      }),
    );
    rejections.check();
  });

  it('PUT /api/v1/kpis/{key}', async () => {
    await fc.assert(
      fc.asyncProperty(
        kpiKey,
        fc.oneof(
          { weight: 3, arbitrary: validKpi },
          { weight: 2, arbitrary: mutate(validKpi, ['name', 'unit', 'direction', 'target']) },
          { weight: 1, arbitrary: hostileValue },
        ),
        async (key, body) =>
          check(
            'PUT /api/v1/kpis/{key}',
            'PUT',
            `/api/v1/kpis/${encodeURIComponent(key)}`,
            'application/json',
            JSON.stringify(body) ?? 'null',
          ),
      ),
      params({
        // Regression (seed 802301210): a target the PostgreSQL real column cannot hold (a 500).
        examples: [
          ['error_rate', { name: ' ', unit: '%', direction: 'higher', target: -5e-324 }],
          // NUL in a name reached PostgreSQL (a 500).
          ['error_rate', { name: 'a\u0000b', unit: '%', direction: 'higher', target: null }],
        ],
      }),
    );
    rejections.check();
  });
});
