import fc from 'fast-check';
import { Client } from 'pg';
import { Role } from '@app/database';
import { useApi } from '../support/app';
import {
  RUNS,
  anyVerbatim,
  deepJson,
  hostileString,
  params,
  recordRuns,
  validVerbatim,
  watchUnhandledRejections,
} from './arbitraries';

interface Sent {
  contentType: string;
  body: string;
}

/** What a client may send to POST /api/v1/verbatims: JSON (one, a batch), CSV, JSONL, or junk. */
const ingestBody: fc.Arbitrary<Sent> = fc.oneof(
  {
    weight: 4,
    arbitrary: anyVerbatim.map((v) => ({
      contentType: 'application/json',
      body: JSON.stringify(v) ?? 'null',
    })),
  },
  {
    weight: 4,
    arbitrary: fc
      .tuple(fc.array(anyVerbatim, { maxLength: 6 }), fc.boolean(), validVerbatim)
      // Half the batches repeat an item: the same externalId twice in one batch.
      .map(([items, repeat, extra]) => (repeat ? [...items, extra, { ...extra }] : items))
      .map((items) => ({ contentType: 'application/json', body: JSON.stringify(items) })),
  },
  {
    weight: 1,
    arbitrary: validVerbatim.map((v) => ({
      contentType: 'application/json',
      body: `{"__proto__":{"source":"polluted"},${JSON.stringify(v).slice(1)}`,
    })),
  },
  {
    weight: 1,
    arbitrary: deepJson((nested) => `[{"source":"prop-web","metadata":${nested}}]`).map((body) => ({
      contentType: 'application/json',
      body,
    })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.constantFrom(
          'text/csv',
          'application/x-ndjson',
          'application/jsonl',
          'text/plain',
          'application/json',
        ),
        hostileString,
      )
      .map(([contentType, body]) => ({ contentType, body })),
  },
  {
    weight: 1,
    arbitrary: fc.array(validVerbatim, { minLength: 1, maxLength: 3 }).map((items) => ({
      contentType: 'application/x-ndjson',
      body: items.map((item) => JSON.stringify(item)).join('\n'),
    })),
  },
  {
    weight: 1,
    arbitrary: validVerbatim.map((v) => ({
      contentType: 'text/csv',
      body: `source,externalId,author,channel,receivedAt,text\n${[v.source, v.externalId, v.author, v.channel, v.receivedAt, v.text].map((c) => `"${String(c).replace(/"/g, '""')}"`).join(',')}`,
    })),
  },
);

/**
 * POST /api/v1/verbatims under generated hostile input: never a 5xx; a 4xx says why and writes
 * nothing; a 2xx writes exactly the rows it reports as created, and sending it again writes none.
 */
describe('properties: ingest API (POST /api/v1/verbatims)', () => {
  const rejections = watchUnhandledRejections();
  // The per-key ingest throttle would answer 429 long before 10,000 cases: raised for this suite.
  const { api, db } = useApi({ env: { INGEST_REQUESTS_PER_MINUTE: '1000000' } });
  let key: string;
  let sql: Client;
  let ran = 0;

  beforeAll(async () => {
    key = await api.key(Role.Triager);
    sql = new Client({ connectionString: db.url });
    await sql.connect();
  });

  afterAll(async () => {
    recordRuns('ingest API', { 'POST /api/v1/verbatims': ran });
    await sql?.end();
  });

  const rows = async () =>
    Number((await sql.query<{ n: string }>('SELECT count(*) AS n FROM verbatim')).rows[0].n);
  const post = async (sent: Sent) => {
    const response = await fetch(`${api.url}/api/v1/verbatims`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': sent.contentType },
      body: sent.body,
    });
    const text = await response.text();
    let body: { message?: unknown; created?: number; duplicates?: number; items?: unknown[] } = {};
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      // left empty: the assertions below then fail with the status and text
    }
    return { status: response.status, body, text };
  };

  it('answers every generated body below 500, with a reason or exactly its rows, once', async () => {
    await fc.assert(
      fc.asyncProperty(ingestBody, async (sent) => {
        ran++;
        const before = await rows();
        const first = await post(sent);
        expect(first.status).toBeLessThan(500);
        if (first.status >= 400) {
          expect(typeof first.body.message === 'string' || Array.isArray(first.body.message)).toBe(true);
          expect(String(first.body.message).length).toBeGreaterThan(0);
          expect(await rows()).toBe(before);
          return;
        }
        expect([200, 201]).toContain(first.status);
        const created = first.body.created ?? -1;
        expect(await rows()).toBe(before + created);
        const again = await post(sent);
        expect(again.status).toBe(200);
        expect(again.body.created).toBe(0);
        expect(await rows()).toBe(before + created);
      }),
      params({
        numRuns: RUNS,
        // Regression (seed 678258973): a nested "constructor" key crashed class-transformer: a 500.
        examples: [
          // Regression (seed 1740649867): a lone surrogate in externalId was a 500.
          [
            {
              contentType: 'application/json',
              body: '[{"source":"prop-web","externalId":"x\\udfffy","author":"!","text":"!","channel":"email","receivedAt":"2020-01-01T00:00:00.000Z","metadata":{"k\\ud800":"\\udfff"}}]',
            },
          ],
          [
            {
              contentType: 'application/json',
              body: '[{"source":[{"constructor":"0x10"}],"externalId":"A","author":"!","text":"!","channel":"email","receivedAt":"2020-01-01T00:00:00.000Z"}]',
            },
          ],
        ],
      }),
    );
    rejections.check();
  });
});
