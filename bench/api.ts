/**
 * Read-path benchmark, server mode: `npm run bench:api [-- --verbatims 1200000 --seconds 15]`.
 *
 * Loads a year of verbatims at 12 times the reference team's volume (1,200,000 by default) with
 * their irritants straight into a fresh PostgreSQL database (SQL, not the pipeline: this measures
 * reading, bench:ingest measures writing), computes the 53 weekly boards through the API, decides
 * on the top items of the last ten weeks (tickets), then loads `GET /api/v1/boards/current` and
 * `GET /api/v1/tickets` with 50 concurrent clients (autocannon) and prints as its last line
 * (`--profile DIR` writes the API's CPU profile there):
 *   board_p95_ms=N tickets_p95_ms=N rows=N
 */
import autocannon from 'autocannon';
import { Client } from 'pg';
import { REDIS_URL, start, waitFor, withDatabase } from './support';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? Number(args[index + 1]) : fallback;
};
const VERBATIMS = option('verbatims', 1_200_000);
const IRRITANTS = option('irritants', 6_000);
const SECONDS = option('seconds', 15);
const CONNECTIONS = 50;
const PROFILE = args.includes('--profile') ? args[args.indexOf('--profile') + 1] : null;
const CHUNK = 100_000;

const CATEGORIES = [
  'search_booking',
  'payment',
  'refund_exchange',
  'account_login',
  'eticket_delivery',
  'mobile_app',
  'site_performance',
  'prices_fares',
  'customer_service',
  'legal_privacy',
  'accessibility',
  'off_site',
];
const TEXTS = [
  'Paiement refusé au 3-D Secure, impossible de payer mon billet',
  'Je n’ai jamais reçu mon e-billet après la réservation',
  'Remboursement de mon train annulé toujours pas reçu, je vais voir un avocat',
  'The app crashes when I open my tickets on Android',
  'Le site est très lent au moment du paiement',
  'No wheelchair assistance at the station, again',
  'Le prix a changé entre la recherche et le paiement',
];

const log = (line: string) => process.stderr.write(`${line}\n`);

async function load(db: Client): Promise<number> {
  await db.query(`INSERT INTO source (name, kind) VALUES ('bench', 'api')`);
  // Irritant popularity is skewed (a few hurt many): power(random(), 3) favours low indexes.
  await db.query(
    `INSERT INTO irritant (category, label, centroid, first_seen_at, last_seen_at)
     SELECT ($2::text[])[1 + g % array_length($2::text[], 1)], 'irritant ' || g,
            '{"terms":{},"surfaces":{},"size":0}', now() - interval '365 days', now()
       FROM generate_series(1, $1) g`,
    [IRRITANTS, CATEGORIES],
  );
  await db.query(
    `CREATE TEMP TABLE bench_irritant AS SELECT row_number() OVER (ORDER BY id) AS n, id, category FROM irritant`,
  );
  await db.query(`CREATE INDEX ON bench_irritant (n)`);
  for (let from = 1; from <= VERBATIMS; from += CHUNK) {
    const to = Math.min(VERBATIMS, from + CHUNK - 1);
    await db.query(
      `INSERT INTO verbatim (source_id, external_id, author_key, channel, received_at, raw_text, redacted_text,
                             lang, stage, category, category_confidence, sentiment, sentiment_label, intent,
                             terminal, irritant_id)
       SELECT (SELECT id FROM source LIMIT 1), 'bench-' || g, md5((g % 300000)::text),
              (ARRAY['email','chat','chatbot','twitter','forum','facebook'])[1 + g % 6],
              now() - make_interval(mins => ((g::bigint * 7919) % (364 * 24 * 60))::int),
              t.text, t.text, CASE WHEN g % 3 = 0 THEN 'en' ELSE 'fr' END, 'clustered', i.category, 0.9,
              -0.6, 'negative', 'complaint',
              (ARRAY['desktop_web','mobile_web','ios_app','android_app','unknown'])[1 + g % 5], i.id
         FROM generate_series($1::int, $2::int) g
         JOIN bench_irritant i ON i.n = 1 + floor($3 * power(((g::bigint * 2654435761) % 1000003) / 1000003.0, 3))::int
         CROSS JOIN LATERAL (SELECT ($4::text[])[1 + g % array_length($4::text[], 1)] AS text) t`,
      [from, to, IRRITANTS, TEXTS],
    );
    log(`loaded ${to}/${VERBATIMS} verbatims`);
  }
  await db.query(
    `UPDATE irritant i SET verbatim_count = c.n, distinct_customers = c.customers,
            first_seen_at = c.first_seen, last_seen_at = c.last_seen
       FROM (SELECT irritant_id, count(*)::int AS n, count(DISTINCT author_key)::int AS customers,
                    min(received_at) AS first_seen, max(received_at) AS last_seen
               FROM verbatim GROUP BY irritant_id) c
      WHERE i.id = c.irritant_id`,
  );
  await db.query('ANALYZE');
  const [{ n }] = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM verbatim')).rows;
  return n;
}

async function get(url: string, key: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${key}` } });
  return { status: response.status, body: await response.json() };
}

/** Requests per second and the 95th percentile of response times (autocannon reports p90 and p97.5). */
async function measure(url: string, key: string): Promise<{ p95: number; rps: number; errors: number }> {
  const times: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      { url, connections: CONNECTIONS, duration: SECONDS, headers: { authorization: `Bearer ${key}` } },
      (error, done) =>
        error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(done),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => times.push(responseTime));
  });
  times.sort((a, b) => a - b);
  return {
    p95: times[Math.floor(times.length * 0.95)] ?? Number.NaN,
    rps: result.requests.average,
    errors: result.errors + result.non2xx,
  };
}

async function main(): Promise<void> {
  await withDatabase(async (databaseUrl) => {
    const api = start(
      'api',
      {
        DATABASE_URL: databaseUrl,
        REDIS_URL,
        QUEUE_PREFIX: `lbbenchapi${Date.now()}`,
        AUTHOR_KEY_SECRET: 'bench-author-key-secret-0123456789',
        SECRETS_KEY: 'bench-secrets-key-0123456789abcdef0123456789',
        PORT: '0',
        LOG_LEVEL: 'warn',
        DATABASE_POOL_SIZE: '20',
      },
      PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE}`] : [],
    );
    try {
      const url = (await waitFor(() => /running at (http:\/\/\S+)/.exec(api.output()), 60_000, 'the API'))[1];
      const key = (await waitFor(() => /^\s+(lb_\S+)$/m.exec(api.output()), 10_000, 'the admin key'))[1];
      const db = new Client({ connectionString: databaseUrl });
      await db.connect();
      const loadStarted = Date.now();
      const rows = await load(db);
      log(`loaded ${rows} verbatims in ${((Date.now() - loadStarted) / 1000).toFixed(0)} s`);

      // Every week's board, oldest first (movement needs the week before), through the API.
      const weeks = (
        await db.query<{ week: string }>(
          `SELECT DISTINCT to_char(received_at AT TIME ZONE 'Europe/Paris', 'IYYY-"W"IW') AS week FROM verbatim ORDER BY 1`,
        )
      ).rows.map((row) => row.week);
      const boardsStarted = Date.now();
      for (const week of weeks) {
        const board = await get(`${url}/api/v1/boards/${week}?limit=30`, key);
        if (board.status !== 200)
          throw new Error(`board ${week}: ${board.status} ${JSON.stringify(board.body)}`);
      }
      log(`computed ${weeks.length} boards in ${((Date.now() - boardsStarted) / 1000).toFixed(0)} s`);
      for (const week of weeks.slice(-10)) {
        const { body } = (await get(`${url}/api/v1/boards/${week}?limit=30`, key)) as {
          body: { items: { irritantId: string }[] };
        };
        for (const [i, item] of body.items.entries()) {
          const response = await fetch(`${url}/api/v1/boards/${week}/items/${item.irritantId}/decision`, {
            method: 'POST',
            headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
            body: JSON.stringify({ kind: i % 3 === 0 ? 'small_evolution' : 'fix', owner: `team-${i % 4}` }),
          });
          if (response.status !== 201)
            throw new Error(`decision: ${response.status} ${await response.text()}`);
        }
      }
      const [{ tickets }] = (
        await db.query<{ tickets: number }>('SELECT count(*)::int AS tickets FROM ticket')
      ).rows;
      log(`${tickets} tickets`);
      await db.end();

      const board = await measure(`${url}/api/v1/boards/current?limit=50`, key);
      log(`board: p95 ${board.p95} ms, ${Math.round(board.rps)} req/s, ${board.errors} errors`);
      const ticketList = await measure(`${url}/api/v1/tickets?limit=50`, key);
      log(
        `tickets: p95 ${ticketList.p95} ms, ${Math.round(ticketList.rps)} req/s, ${ticketList.errors} errors`,
      );
      if (board.errors + ticketList.errors > 0) throw new Error('some requests failed');
      process.stdout.write(`board_p95_ms=${board.p95} tickets_p95_ms=${ticketList.p95} rows=${rows}\n`);
    } finally {
      api.child.kill('SIGTERM');
    }
  });
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
