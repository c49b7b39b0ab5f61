import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestDatabase, createTestDatabase, query } from './support/database';
import { http } from './support/http';
import { spawnApp } from './support/processes';
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
