import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { Role } from '@app/database';
import { csvText } from '@app/exports';
import { useApi } from './support/app';
import { verbatim } from './support/builders';
import { waitForLastStage } from './support/database';
import { http } from './support/http';
import { spawnApp } from './support/processes';

const WEEK = '2026-W41';
const TEXTS = [
  'Paiement refusé au 3-D Secure, impossible de payer, écrivez-moi à jeanne.martin@example.com',
  'Mon paiement est refusé par le 3-D Secure, appelez le 06 12 34 56 78',
  '=HYPERLINK("http://evil.example/x","Paiement refusé 3-D Secure, cliquez")',
  'Aucune assistance pour mon fauteuil roulant en gare',
  'Le fauteuil roulant n’a pas été pris en charge en gare, aucune assistance',
  'Je vais saisir mon avocat, vous ne respectez pas le RGPD',
];

/** Reads a CSV export back: the header row and records, BOM stripped, cells as the text they stand for. */
function readCsv(body: Buffer): Record<string, string>[] {
  expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const records = parse<Record<string, string>>(body.subarray(3).toString('utf8'), {
    columns: true,
    record_delimiter: '\r\n',
  });
  return records.map((record) => Object.fromEntries(Object.entries(record).map(([k, v]) => [k, csvText(v)])));
}

/** Reads an XLSX export back with exceljs: the first sheet as records by header. */
async function readXlsx(body: Buffer): Promise<Record<string, unknown>[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(body as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0];
  const header = (sheet.getRow(1).values as unknown[]).slice(1) as string[];
  const records: Record<string, unknown>[] = [];
  sheet.eachRow((row, number) => {
    if (number === 1) return;
    const values = (row.values as unknown[]).slice(1);
    records.push(Object.fromEntries(header.map((key, i) => [key, values[i] ?? null])));
  });
  return records;
}

async function download(
  url: string,
  key: string,
): Promise<{ status: number; type: string; body: Buffer; disposition: string }> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${key}` } });
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    disposition: response.headers.get('content-disposition') ?? '',
    body: Buffer.from(await response.arrayBuffer()),
  };
}

/** The board, tickets and a verbatim search as CSV and XLSX, opened back and compared with the API. */
describe('exports', () => {
  const { api, db } = useApi({ env: { CLOCK_START: '2026-10-14T10:00:00+02:00' } });
  let viewer: string;
  let triager: string;
  let board: {
    items: {
      irritantId: string;
      rank: number;
      label: string;
      total: number;
      distinctCustomers: number;
      axes: Record<string, { score: number; reasons: string[] }>;
      quotes: { text: string }[];
    }[];
  };

  beforeAll(async () => {
    [viewer, triager] = await Promise.all([api.key(Role.Viewer), api.key(Role.Triager)]);
    const posted = await http(api.url, 'POST', '/api/v1/verbatims', {
      key: triager,
      body: TEXTS.map((text, i) =>
        verbatim({
          source: 'exports',
          externalId: `x-${i}`,
          text,
          lang: 'fr',
          receivedAt: `2026-10-0${6 + (i % 3)}T09:00:00Z`,
        }),
      ),
    });
    expect(posted.status).toBe(201);
    await waitForLastStage(
      db.url,
      posted.body.items.map((item: { id: string }) => item.id),
    );
    board = (await http(api.url, 'GET', `/api/v1/boards/${WEEK}`, { key: viewer })).body;
    expect(board.items.length).toBeGreaterThanOrEqual(3);
    const decided = await http(
      api.url,
      'POST',
      `/api/v1/boards/${WEEK}/items/${board.items[0].irritantId}/decision`,
      {
        key: triager,
        body: { kind: 'fix', owner: 'payments-team', targetRelease: '12.5.0' },
      },
    );
    expect(decided.status).toBe(201);
  });

  const expectBoardRows = (rows: Record<string, unknown>[]) => {
    expect(rows.map((row) => Number(row.rank))).toEqual(board.items.map((item) => item.rank));
    board.items.forEach((item, i) => {
      const row = rows[i];
      expect(row.irritant_id).toBe(item.irritantId);
      expect(row.label).toBe(item.label);
      expect(Number(row.total)).toBeCloseTo(item.total, 3);
      expect(Number(row.customers)).toBe(item.distinctCustomers);
      for (const axis of ['client', 'business', 'legal', 'technical']) {
        expect(Number(row[axis])).toBeCloseTo(item.axes[axis].score, 3);
        expect(row[`${axis}_reasons`] ?? '').toBe(item.axes[axis].reasons.join('; '));
      }
      expect(row.quotes ?? '').toBe(item.quotes.map((quote) => quote.text).join(' | '));
    });
    expect(rows[0]).toMatchObject({
      decision: 'fix',
      owner: 'payments-team',
      target_release: '12.5.0',
      ticket_status: 'todo',
    });
  };

  it('writes a week’s board as CSV and XLSX that read back as the API gives it', async () => {
    const csv = await download(`${api.url}/api/v1/exports/boards/${WEEK}?format=csv`, viewer);
    expect(csv.status).toBe(200);
    expect(csv.type).toMatch(/^text\/csv/);
    expect(csv.disposition).toBe(`attachment; filename="loveboard-board-${WEEK}.csv"`);
    expectBoardRows(readCsv(csv.body));
    const xlsx = await download(`${api.url}/api/v1/exports/boards/${WEEK}?format=xlsx`, viewer);
    expect(xlsx.type).toMatch(/spreadsheetml/);
    expectBoardRows(await readXlsx(xlsx.body));
  });

  it('writes the tickets as the API lists them', async () => {
    const listed = (
      await http(api.url, 'GET', '/api/v1/tickets?status=todo,in_progress,fixed,deployed,dropped', {
        key: viewer,
      })
    ).body.items as { id: string; status: string; label: string; priority: number }[];
    expect(listed).toHaveLength(1);
    for (const format of ['csv', 'xlsx'] as const) {
      const file = await download(`${api.url}/api/v1/exports/tickets?format=${format}`, viewer);
      const rows = format === 'csv' ? readCsv(file.body) : await readXlsx(file.body);
      expect(rows.map((row) => row.id)).toEqual(listed.map((ticket) => ticket.id));
      expect(rows[0]).toMatchObject({
        status: 'todo',
        label: listed[0].label,
        team: 'payments-team',
        kind: 'fix',
      });
      expect(Number(rows[0].priority)).toBeCloseTo(listed[0].priority, 3);
    }
  });

  it('writes a verbatim search redacted, with formulas neutralised, as the search API finds it', async () => {
    const found = (await http(api.url, 'GET', '/api/v1/verbatims?q=paiement&limit=200', { key: viewer })).body
      .items as {
      id: string;
      text: string;
    }[];
    expect(found.length).toBe(3);
    const csv = await download(`${api.url}/api/v1/exports/verbatims?format=csv&q=paiement`, viewer);
    const raw = csv.body.toString('utf8');
    expect(raw).not.toContain('jeanne.martin@example.com');
    expect(raw).not.toContain('06 12 34 56 78');
    // The formula a customer wrote is text in the file: prefixed so that no spreadsheet runs it.
    expect(raw).toMatch(/"'=HYPERLINK\(/);
    const rows = readCsv(csv.body);
    expect(rows.map((row) => [row.id, row.text])).toEqual(found.map((v) => [v.id, v.text]));
    const xlsx = await readXlsx(
      (await download(`${api.url}/api/v1/exports/verbatims?format=xlsx&q=paiement`, viewer)).body,
    );
    expect(xlsx.map((row) => [row.id, row.text])).toEqual(found.map((v) => [v.id, v.text]));
    // A string cell, not a formula ({formula: …} would be an object).
    expect(xlsx.every((row) => typeof row.text === 'string')).toBe(true);
  });

  it('refuses a bad format or filter with a reason, and anyone without a key', async () => {
    expect(
      (await http(api.url, 'GET', `/api/v1/exports/boards/${WEEK}?format=pdf`, { key: viewer })).status,
    ).toBe(400);
    expect(
      (await http(api.url, 'GET', `/api/v1/exports/boards/not-a-week?format=csv`, { key: viewer })).status,
    ).toBe(400);
    expect((await http(api.url, 'GET', `/api/v1/exports/tickets?status=open`, { key: viewer })).status).toBe(
      400,
    );
    expect((await http(api.url, 'GET', `/api/v1/exports/verbatims?irritant=x`, { key: viewer })).status).toBe(
      400,
    );
    expect((await http(api.url, 'GET', `/api/v1/exports/tickets`)).status).toBe(401);
  });

  it('writes the same files from the command line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lb-export-'));
    const env = {
      DATABASE_URL: db.url,
      AUTHOR_KEY_SECRET: 'test-author-key-secret-0123456789',
      LOG_LEVEL: 'warn',
      CLOCK_START: '2026-10-14T10:00:00+02:00',
      DEMO_DATA: 'false',
    };
    const file = join(dir, 'board.csv');
    const cli = spawnApp('cli', ['export', 'board', '--week', WEEK, '--format', 'csv', '--out', file], env);
    expect(await cli.exited).toBe(0);
    expect(cli.output()).toContain(`wrote ${file} (${board.items.length} rows)`);
    expectBoardRows(readCsv(readFileSync(file)));
    const xlsxFile = join(dir, 'verbatims.xlsx');
    const search = spawnApp('cli', ['export', 'verbatims', '--q', 'paiement', '--out', xlsxFile], env);
    expect(await search.exited).toBe(0);
    expect((await readXlsx(readFileSync(xlsxFile))).length).toBe(3);
    const bad = spawnApp('cli', ['export', 'tickets', '--format', 'pdf'], env);
    expect(await bad.exited).toBe(1);
    expect(bad.output()).toContain('--format must be csv or xlsx');
  });
});
