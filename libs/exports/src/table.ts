import { stringify } from 'csv-stringify/sync';

export type ExportFormat = 'csv' | 'xlsx';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['csv', 'xlsx'];

export type Cell = string | number | null;

/** What an export is before it is written: a sheet name, its columns and its rows. */
export interface ExportTable {
  name: string;
  columns: { key: string; header: string; width?: number }[];
  rows: Cell[][];
}

/**
 * A spreadsheet runs a cell that starts with `=`, `+`, `-`, `@` (or a tab or carriage return
 * before one) as a formula: a customer who writes `=HYPERLINK(...)` would run it on the meeting's
 * laptop. In CSV such a text cell is prefixed with `'` (OWASP's advice), which spreadsheets show
 * as text; numbers are written as numbers. XLSX stores strings as strings: nothing to do there.
 */
export function csvSafe(value: Cell): string | number {
  if (value === null) return '';
  if (typeof value === 'number') return value;
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** The text a CSV cell written by `csvSafe` stands for. */
export function csvText(cell: string): string {
  return /^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell;
}

/** CSV (RFC 4180, UTF-8 with a byte-order mark so that spreadsheets read accents right, CRLF). */
export function toCsv(table: ExportTable): Buffer {
  const text = stringify(
    [table.columns.map((column) => column.header), ...table.rows.map((row) => row.map(csvSafe))],
    {
      record_delimiter: 'windows',
    },
  );
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
}

/** XLSX: one sheet, the header row bold and frozen, long texts wrapped. */
export async function toXlsx(table: ExportTable): Promise<Buffer> {
  // Loaded when first used: a second of start-up no process should pay before it exports.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'LoveBoard';
  const sheet = workbook.addWorksheet(table.name.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = table.columns.map((column) => ({
    key: column.key,
    header: column.header,
    width: column.width ?? 14,
    style:
      column.width !== undefined && column.width >= 40
        ? { alignment: { wrapText: true, vertical: 'top' } }
        : {},
  }));
  sheet.getRow(1).font = { bold: true };
  for (const row of table.rows) sheet.addRow(row.map((cell) => (cell === null ? null : cell)));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export async function write(table: ExportTable, format: ExportFormat): Promise<Buffer> {
  return format === 'csv' ? toCsv(table) : toXlsx(table);
}

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};
