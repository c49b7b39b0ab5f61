import { spawn } from 'node:child_process';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestDatabase, createTestDatabase, query } from './support/database';
import { http } from './support/http';
import { ROOT, spawnApp } from './support/processes';
import { startApi, testConfig } from './support/app';

/** The command line against a real PostgreSQL, jobs in-process in the CLI itself. */
describe('cli', () => {
  let db: TestDatabase;
  let env: Record<string, string>;
  const dir = mkdtempSync(join(tmpdir(), 'lb-cli-'));

  beforeAll(async () => {
    // Empty: the first test is `migrate` itself.
    db = await createTestDatabase({ empty: true });
    env = { DATABASE_URL: db.url, AUTHOR_KEY_SECRET: 'test-author-key-secret-0123456789', LOG_LEVEL: 'warn' };
  });

  afterAll(async () => {
    await db?.drop();
  });

  const run = async (args: string[]) => {
    const cli = spawnApp('cli', args, env);
    const code = await cli.exited;
    return { code, output: cli.output() };
  };

  it('migrate applies the migrations', async () => {
    const { code, output } = await run(['migrate']);
    expect(code).toBe(0);
    expect(output).toMatch(/migrations applied: Initial\d+/);
  });

  it('imports JSONL, listing rejected lines with their reason, then finds duplicates on a second run', async () => {
    const good = (i: number) =>
      JSON.stringify({
        externalId: `j-${i}`,
        author: `a${i}@example.com`,
        channel: 'email',
        receivedAt: '2026-11-20T08:00:00Z',
        text: `Remboursement ${i} jamais reçu`,
      });
    const lines = [
      good(1),
      good(2),
      '{"externalId": "j-3"',
      good(4),
      JSON.stringify({ externalId: 'j-5', text: 'no author' }),
      '',
      good(6),
    ];
    const file = join(dir, 'verbatims.jsonl');
    writeFileSync(file, lines.join('\n') + '\n');
    const first = await run(['import', file, '--source', 'jsonl-import']);
    expect(first.code).toBe(0);
    expect(first.output).toMatch(/rejected line 3: invalid JSON/);
    expect(first.output).toMatch(/rejected line 5: .*author/);
    expect(first.output.trim().split('\n').pop()).toBe('imported=4 duplicates=0 rejected=2');
    const second = await run(['import', file, '--source', 'jsonl-import']);
    expect(second.output.trim().split('\n').pop()).toBe('imported=0 duplicates=4 rejected=2');
    const [{ n }] = await query<{ n: string }>(
      db.url,
      `SELECT count(*) AS n FROM verbatim WHERE stage = 'clustered'`,
    );
    expect(Number(n)).toBe(4);
  });

  it('imports CSV with quoted multi-line text, reporting bad records by line', async () => {
    const file = join(dir, 'verbatims.csv');
    writeFileSync(
      file,
      [
        'externalId,author,channel,receivedAt,text,lang',
        'c-1,bob@example.com,chat,2026-11-20T08:00:00Z,"Le site est lent, très lent",fr',
        'c-2,eve@example.com,chat,2026-11-20T08:01:00Z,"Two lines:',
        'second line",en',
        'c-3,zoe@example.com,fax,2026-11-20T08:02:00Z,wrong channel,en',
        'c-4,"unterminated,chat',
      ].join('\n') + '\n',
    );
    const { code, output } = await run(['import', file, '--source', 'csv-import']);
    expect(code).toBe(0);
    expect(output).toMatch(/rejected line 5: channel must be one of/);
    expect(output.trim().split('\n').pop()).toMatch(/^imported=2 duplicates=0 rejected=2$/);
    const rows = await query<{ raw_text: string }>(
      db.url,
      `SELECT raw_text FROM verbatim v JOIN source s ON s.id = v.source_id WHERE s.name = 'csv-import' ORDER BY external_id`,
    );
    expect(rows.map((row) => row.raw_text)).toEqual([
      'Le site est lent, très lent',
      'Two lines:\nsecond line',
    ]);
  });

  // The columns of the public "Twitter US Airline Sentiment" export, as it is distributed.
  const AIRLINE_HEADER =
    'tweet_id,airline_sentiment,airline_sentiment_confidence,negativereason,negativereason_confidence,airline,airline_sentiment_gold,name,negativereason_gold,retweet_count,text,tweet_coord,tweet_created,tweet_location,user_timezone';
  const airlineRow = (id: string, name: string, text: string, created: string) =>
    `${id},negative,1.0,Late Flight,0.7033,United,,${name},,0,"${text.replace(/"/g, '""')}",,${created},"Boston, MA",Eastern Time (US & Canada)`;

  it('imports a CSV with its own columns through --map and --set, with progress lines off a terminal', async () => {
    const file = join(dir, 'Tweets.csv');
    writeFileSync(
      file,
      [
        AIRLINE_HEADER,
        airlineRow(
          '570306133677760513',
          'cairdin',
          '@united my flight was Cancelled Flightled, "leaving tomorrow"?',
          '2015-02-24 11:35:52 -0800',
        ),
        airlineRow(
          '570301130888122368',
          'jnardino',
          "@united seriously would pay $30 a flight for seats that didn't have this playing.",
          '2015-02-24 11:15:59 -0800',
        ),
        airlineRow(
          '570301083672813571',
          'yvonnalynn',
          '@united bag lost, no call back in 3 days',
          '2015-02-24 11:15:48 -0800',
        ),
      ].join('\n') + '\n',
    );
    const mapped = await run([
      'import',
      file,
      '--source',
      'airline-tweets',
      '--map',
      'externalId=tweet_id,text=text,author=name,receivedAt=tweet_created,metadata.airline=airline,metadata.sentiment=airline_sentiment',
      '--set',
      'channel=twitter,lang=en',
    ]);
    expect(mapped.code).toBe(0);
    expect(mapped.output.trim().split('\n').pop()).toBe('imported=3 duplicates=0 rejected=0');
    // Off a terminal: lines, the file's size as the total, up to 100%.
    expect(mapped.output).toMatch(/^import: 100% read \d+\.\d MB of \d+\.\d MB, 3 rows$/m);
    expect(mapped.output).toMatch(/^import: 100% stored 1 of 1 chunks of 3 rows$/m);
    const rows = await query<{
      external_id: string;
      raw_text: string;
      received_at: Date;
      channel: string;
      metadata: object;
    }>(
      db.url,
      `SELECT external_id, raw_text, received_at, channel, metadata FROM verbatim v JOIN source s ON s.id = v.source_id
        WHERE s.name = 'airline-tweets' ORDER BY external_id`,
    );
    expect(rows[2]).toMatchObject({
      external_id: '570306133677760513',
      raw_text: '@united my flight was Cancelled Flightled, "leaving tomorrow"?',
      channel: 'twitter',
      metadata: { airline: 'United', sentiment: 'negative' },
    });
    expect(rows[2].received_at.toISOString()).toBe('2015-02-24T19:35:52.000Z');
  });

  it('shows a bar on a terminal whose total is the file’s size, up to 100%', async () => {
    const file = join(dir, 'Tweets-terminal.csv');
    const rows = Array.from({ length: 4_000 }, (_, i) =>
      airlineRow(
        `5703${String(i).padStart(14, '0')}`,
        `user${i % 50}`,
        `@united delay number ${i} and no answer at the desk`,
        '2015-02-24 11:15:48 -0800',
      ),
    );
    writeFileSync(file, [AIRLINE_HEADER, ...rows].join('\n') + '\n');
    const command = [
      process.execPath,
      join(ROOT, 'dist', 'apps', 'cli', 'src', 'main.js'),
      'import',
      file,
      '--source',
      'airline-terminal',
      '--map',
      'externalId=tweet_id,text=text,author=name,receivedAt=tweet_created',
      '--set',
      'channel=twitter',
    ]
      .map((arg) => `'${arg.replace(/'/g, "'\\''")}'`)
      .join(' ');
    // `script` gives the command a pseudo-terminal, as a person's shell would.
    const child = spawn('script', ['-qec', command, '/dev/null'], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', TERM: 'xterm', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    expect(await new Promise((resolve) => child.on('exit', resolve))).toBe(0);
    const frames = [...output.matchAll(/reading \S* (\d+)% \| ([\d.]+) MB of ([\d.]+) MB/g)];
    expect(frames.length).toBeGreaterThan(0);
    const size = `${(statSync(file).size / 1024 / 1024).toFixed(1)}`;
    expect(new Set(frames.map((frame) => frame[3]))).toEqual(new Set([size]));
    expect(frames.at(-1)?.[1]).toBe('100');
    expect(output).not.toMatch(/^import: \d+%/m);
    expect(output).toMatch(/imported=4000 duplicates=0 rejected=0/);
  });

  it('stops once on a header that does not fit, instead of refusing every row', async () => {
    const file = join(dir, 'Tweets-unmapped.csv');
    writeFileSync(
      file,
      [
        AIRLINE_HEADER,
        ...Array.from({ length: 50 }, (_, i) =>
          airlineRow(`57030000000000${1000 + i}`, 'x', `t ${i}`, '2015-02-24 11:15:48 -0800'),
        ),
      ].join('\n') + '\n',
    );
    const unmapped = await run(['import', file, '--source', 'airline-unmapped']);
    expect(unmapped.code).not.toBe(0);
    expect(unmapped.output.match(/unknown column/g)).toHaveLength(1);
    expect(unmapped.output).toMatch(
      /unknown columns tweet_id, airline_sentiment, .*; expected externalId, author, channel, receivedAt, text, lang, metadata, or say which column is which with --map/,
    );
    const missing = await run([
      'import',
      file,
      '--source',
      'airline-unmapped',
      '--map',
      'text=tweet_text,author=name',
    ]);
    expect(missing.code).not.toBe(0);
    expect(missing.output).toMatch(
      /--map names a column the file does not have: tweet_text; its columns are tweet_id, /,
    );
    const badField = await run(['import', file, '--source', 'airline-unmapped', '--map', 'body=text']);
    expect(badField.code).not.toBe(0);
    expect(badField.output).toMatch(/--map: unknown field body/);
    const [{ n }] = await query<{ n: number }>(
      db.url,
      `SELECT count(*)::int AS n FROM verbatim v JOIN source s ON s.id = v.source_id WHERE s.name = 'airline-unmapped'`,
    );
    expect(n).toBe(0);
  });

  it('refuses a file of unknown format and a missing file with a clear error', async () => {
    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'hello');
    const unknown = await run(['import', text, '--source', 'x']);
    expect(unknown.code).not.toBe(0);
    expect(unknown.output).toMatch(/unknown file format/);
    const missing = await run(['import', join(dir, 'nope.jsonl'), '--source', 'x']);
    expect(missing.code).not.toBe(0);
    expect(missing.output).toMatch(/ENOENT|no such file/);
  });

  it('apikey create prints a working key on its last line', async () => {
    const { code, output } = await run(['apikey', 'create', '--name', 'ci bot', '--role', 'viewer']);
    expect(code).toBe(0);
    const key = output.trim().split('\n').pop() as string;
    expect(key).toMatch(/^lb_[a-z0-9]{12}_/);
    const api = await startApi(testConfig({ DATABASE_URL: db.url }));
    try {
      expect((await http(api.url, 'GET', '/api/v1/verbatims', { key })).status).toBe(200);
      expect((await http(api.url, 'POST', '/api/v1/verbatims', { key, body: {} })).status).toBe(403);
    } finally {
      await api.close();
    }
    const badRole = await run(['apikey', 'create', '--name', 'x', '--role', 'root']);
    expect(badRole.code).not.toBe(0);
    expect(badRole.output).toMatch(/expected one of viewer/);
  });

  it('board prints the ranked board of a week as a table, or as JSON', async () => {
    // The imported verbatims above were received on 2026-11-20: week 2026-W47 in Paris.
    const table = await run(['board', '--week', '2026-W47']);
    expect(table.code).toBe(0);
    expect(table.output).toMatch(/^2026-W47 · live · computed /m);
    expect(table.output).toMatch(/│\s+1\s+│\s+new\s+│/);
    expect(table.output).toMatch(/refund_exchange|customer_service|eticket_delivery/);
    const json = await run(['board', '--week', '2026-W47', '--json', '--limit', '1']);
    expect(json.code).toBe(0);
    const board = JSON.parse(json.output.slice(json.output.indexOf('{')));
    expect(board).toMatchObject({ isoWeek: '2026-W47', status: 'live' });
    expect(board.items).toHaveLength(1);
    expect(board.items[0].axes.client.reasons[0]).toMatch(/customers? in \d channels?/);
    const bad = await run(['board', '--week', '2026-W99']);
    expect(bad.code).not.toBe(0);
    expect(bad.output).toMatch(/not an ISO week/);
  });

  it('stops with one line naming a malformed variable', async () => {
    const cli = spawnApp('cli', ['migrate'], { ...env, JOB_CONCURRENCY: 'lots' });
    expect(await cli.exited).toBe(78);
    expect(cli.output().trim()).toBe(
      'Invalid configuration: JOB_CONCURRENCY: expected an integer from 1 to 256, got "lots"',
    );
  });
});
