import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Role } from '@app/database';
import { JobName, JobQueue } from '@app/jobs';
import { useApi } from './support/app';
import { verbatim } from './support/builders';
import { query, waitForLastStage } from './support/database';
import { ROOT } from './support/processes';

interface Parameter {
  name: string;
  in: 'query' | 'path' | 'header' | 'cookie';
  schema?: { type?: string };
}
interface Route {
  path: string;
  parameters: Parameter[];
}

/** Every GET route of the committed contract (kept equal to the API by test/openapi.e2e-spec.ts). */
function getRoutes(): Route[] {
  const document = JSON.parse(readFileSync(join(ROOT, 'docs', 'openapi.json'), 'utf8')) as {
    paths: Record<string, { get?: { parameters?: Parameter[] } }>;
  };
  return Object.entries(document.paths)
    .filter(([, item]) => item.get !== undefined)
    .map(([path, item]) => ({ path, parameters: item.get?.parameters ?? [] }));
}

/** Sent URL-encoded: the server sees exactly these characters. */
const PAYLOADS = [
  "' OR 1=1--",
  "' OR '1'='1",
  '" OR ""="',
  "'; DROP TABLE verbatim;--",
  '"; DROP TABLE irritant; --',
  '1) OR (1=1',
  "1' OR '1'='1' /*",
  "' UNION SELECT id, key_hash, role FROM api_key--",
  '1; SELECT pg_sleep(0)--',
  '%27',
  '%',
  '_',
  '%%',
  '*',
  '\u2019 OR 1=1--', // right single quotation mark
  '\uff07 OR 1=1--', // fullwidth apostrophe
  '\u02bc OR 1=1--', // modifier letter apostrophe
  '$1',
  '$1 OR $2',
  '$$; DROP TABLE verbatim; $$',
  '\\',
  "\\'",
  "\\' OR 1=1--",
  'a\u0000b',
  'NULL',
  '-1',
  '1e309',
  '99999999999999999999999999',
  'true OR 1=1',
  "x' ::text OR '1'='1",
  "'||(SELECT current_user)||'",
  `${'A'.repeat(10_000)}' OR 1=1--`,
];

/** Sent as they are in the URL: hostile percent-encoding the server must decode or refuse. */
const RAW_PAYLOADS = ['%27%20OR%201=1--', '%', '%ff', '%00', '%C0%A7', '%E2%80%99%20OR%201=1--'];

// Words, not numbers, tell the seeded texts apart: a numeric payload then matches nothing by right.
const LOTS = [
  'alpha',
  'bravo',
  'charlie',
  'delta',
  'echo',
  'foxtrot',
  'golf',
  'hotel',
  'india',
  'juliett',
  'kilo',
  'lima',
];

/** A value of the right shape that matches nothing: the size a filter must never exceed. */
function harmlessPathValue(name: string): string {
  if (/week/i.test(name)) return '2001-W01';
  if (name === 'key') return 'no-such-kpi';
  return randomUUID();
}

/**
 * How many records an answer holds: its array, or the arrays of its fields; a single resource
 * counts one. A filter bypass shows as more records than a value that matches nothing.
 */
function resultSize(body: unknown): number {
  if (Array.isArray(body)) return body.length;
  if (body === null || typeof body !== 'object') return body === '' ? 0 : 1;
  const arrays = Object.values(body as Record<string, unknown>).filter(Array.isArray);
  return arrays.length === 0 ? 1 : arrays.reduce((sum, array) => sum + array.length, 0);
}

interface Answer {
  status: number;
  size: number;
}

/**
 * Every filter parameter (query and path) of every GET route receives classic injection payloads:
 * never a 5xx, never more records than a harmless value that matches nothing, and the database
 * unchanged (same tables, same row counts).
 */
describe('SQL injection through every GET parameter', () => {
  const { api, db } = useApi();
  let admin: string;
  const routes = getRoutes();

  async function get(pathname: string, search: string): Promise<Answer> {
    let response: Response;
    let text: string;
    try {
      response = await fetch(`${api.url}${pathname}${search}`, {
        headers: { authorization: `Bearer ${admin}` },
        redirect: 'manual',
        // A request left hanging is a failure of its own (status 0), not a stuck suite.
        signal: AbortSignal.timeout(15_000),
      });
      text = await response.text();
    } catch {
      return { status: 0, size: 0 };
    }
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // HTML or text (digest, metrics): one record if any
    }
    return { status: response.status, size: response.status === 200 ? resultSize(body) : 0 };
  }

  /**
   * Rows the periodic jobs write on their own, whatever the requests do: last week's Monday summary
   * is marked announced once its board is frozen, on the real clock this suite runs on.
   */
  const WRITTEN_BY_SCHEDULES = new Set(['chat_announcement']);

  async function tableCounts(): Promise<Record<string, number>> {
    const tables = await query<{ name: string }>(
      db.url,
      `SELECT table_name AS name FROM information_schema.tables
        WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
    );
    const counts: Record<string, number> = {};
    for (const { name } of tables) {
      if (WRITTEN_BY_SCHEDULES.has(name)) continue;
      const [{ n }] = await query<{ n: string }>(db.url, `SELECT count(*) AS n FROM "${name}"`);
      counts[name] = Number(n);
    }
    return counts;
  }

  beforeAll(async () => {
    admin = await api.key(Role.Admin);
    // Records for a bypass to reveal: verbatims through the whole pipeline, hence irritants.
    const now = new Date().toISOString();
    const texts = [
      'Paiement refusé à l’étape D Secure sur mobile, impossible de régler ma commande',
      'Le colis est arrivé avec cinq jours de retard et sans aucun suivi',
      'The app crashes every time I open my order history',
      'Refund still not received three weeks after returning the parcel',
    ];
    const body = Array.from({ length: 24 }, (_, index) =>
      verbatim({
        source: 'sqli',
        externalId: `s-${index}`,
        text: `${texts[index % 4]} (${LOTS[index % LOTS.length]})`,
        receivedAt: now,
      }),
    );
    const posted = await fetch(`${api.url}/api/v1/verbatims`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(posted.status).toBe(201);
    const { items } = (await posted.json()) as { items: { id: string }[] };
    await waitForLastStage(
      db.url,
      items.map((item) => item.id),
    );
  });

  it('the contract lists the GET routes and their parameters', () => {
    expect(routes.length).toBeGreaterThan(20);
    expect(routes.flatMap((route) => route.parameters).length).toBeGreaterThan(40);
  });

  const pathFor = (route: Route, values: Record<string, string>) =>
    route.path.replace(
      /\{([^}]+)\}/g,
      (_, name: string) => values[name] ?? encodeURIComponent(harmlessPathValue(name)),
    );
  const harmlessQuery = (parameter: Parameter) =>
    parameter.schema?.type === 'number' || parameter.schema?.type === 'integer'
      ? ''
      : `?${parameter.name}=zzqx`;
  const filters = (route: Route) =>
    route.parameters.filter((parameter) => parameter.in === 'query' || parameter.in === 'path');
  const baselines = new Map<string, Answer>();
  let before: Record<string, number>;

  it('answers harmless values of every parameter without a 5xx', async () => {
    // Once with harmless values first: whatever a GET creates lazily (a past week's board is
    // frozen when first read) exists before the row counts are taken.
    for (const route of routes) {
      for (const parameter of filters(route)) {
        const search = parameter.in === 'query' ? harmlessQuery(parameter) : '';
        const answer = await get(pathFor(route, {}), search);
        expect({ route: route.path, parameter: parameter.name, status: answer.status < 500 }).toEqual({
          route: route.path,
          parameter: parameter.name,
          status: true,
        });
        baselines.set(`${route.path} ${parameter.name}`, answer);
      }
    }
    // What the reads created lazily is settled before the rows are counted: a past week's board
    // computed live by a read is frozen by the scheduled job (every minute), which would otherwise
    // land in the middle of the injections on a slow run.
    await api.app.get(JobQueue).requeue(JobName.FreezeBoards, {});
    await api.idle();
    before = await tableCounts();
    expect(Object.keys(before)).toEqual(expect.arrayContaining(['verbatim', 'irritant', 'api_key']));
    expect(before.verbatim).toBe(24);
  });

  const withFilters = routes.filter((route) => filters(route).length > 0);
  it.each(withFilters.map((route) => [route.path, route] as const))(
    'GET %s: no 5xx, no bypass, whatever the payload',
    async (_, route) => {
      const failures: string[] = [];
      for (const parameter of filters(route)) {
        // Run alone (jest -t), a route measures its own baseline.
        const baseline =
          baselines.get(`${route.path} ${parameter.name}`) ??
          (await get(pathFor(route, {}), parameter.in === 'query' ? harmlessQuery(parameter) : ''));
        const attempts: { label: string; pathname: string; search: string; payload: string }[] = [];
        for (const [index, payload] of PAYLOADS.entries()) {
          const encoded = encodeURIComponent(payload);
          if (parameter.in === 'path') {
            attempts.push({
              label: `#${index}`,
              pathname: pathFor(route, { [parameter.name]: encoded }),
              search: '',
              payload,
            });
          } else {
            const pathname = pathFor(route, {});
            attempts.push({ label: `#${index}`, pathname, search: `?${parameter.name}=${encoded}`, payload });
            // Repeated and bracketed, the query parser makes an array or an object of it.
            attempts.push({
              label: `#${index}[]`,
              pathname,
              search: `?${parameter.name}=${encoded}&${parameter.name}=x`,
              payload,
            });
            attempts.push({
              label: `#${index}{}`,
              pathname,
              search: `?${parameter.name}[a]=${encoded}`,
              payload,
            });
          }
        }
        for (const [index, raw] of RAW_PAYLOADS.entries()) {
          attempts.push(
            parameter.in === 'path'
              ? {
                  label: `raw#${index}`,
                  pathname: pathFor(route, { [parameter.name]: raw }),
                  search: '',
                  payload: raw,
                }
              : {
                  label: `raw#${index}`,
                  pathname: pathFor(route, {}),
                  search: `?${parameter.name}=${raw}`,
                  payload: raw,
                },
          );
        }
        for (const attempt of attempts) {
          const answer = await get(attempt.pathname, attempt.search);
          const where = `${parameter.in}:${parameter.name} payload ${attempt.label}`;
          if (answer.status >= 500 || answer.status === 0)
            failures.push(`${where}: ${answer.status || 'no answer'}`);
          else if (answer.status === 200 && baseline.status !== 200)
            failures.push(`${where}: 200 where a harmless value answers ${baseline.status}`);
          // `q` is documented as web-search syntax, where a leading `-word` excludes: "-1" is then
          // everything without a "1", by design, not a bypass.
          else if (answer.size > baseline.size && !(parameter.name === 'q' && /^\s*-/.test(attempt.payload)))
            failures.push(`${where}: ${answer.size} records, a harmless value ${baseline.size}`);
        }
      }
      expect(failures).toEqual([]);
    },
  );

  it('left the database as it was, and still serves the same data', async () => {
    expect(before).toBeDefined();
    await api.idle();
    expect(await tableCounts()).toEqual(before);
    const after = await get('/api/v1/verbatims', '?source=sqli&limit=100');
    expect(after).toEqual({ status: 200, size: 24 });
  });
});
