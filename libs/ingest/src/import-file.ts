import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import type { ImportRow } from '@app/database';

export type ImportFormat = 'jsonl' | 'csv';

/** One JSONL line or CSV record beyond this is refused as a row, not buffered further. */
const MAX_LINE_CHARS = 100_000;
const CSV_COLUMNS = ['externalId', 'author', 'channel', 'receivedAt', 'text', 'lang', 'metadata'];
/** The verbatim's fields a file's columns (or constants) can give. */
export const IMPORT_FIELDS = ['externalId', 'author', 'channel', 'receivedAt', 'text', 'lang'] as const;
type ImportField = (typeof IMPORT_FIELDS)[number];

/**
 * How a file's own columns make verbatims (`--map text=tweet_text,author=name,…`, and `--set
 * channel=twitter` for what the file does not hold): each field from a column (a JSON path with
 * dots in JSONL), `metadata.<key>=<column>` for facts kept beside the text. Columns not named are
 * left out.
 */
export interface FieldMap {
  columns: Partial<Record<ImportField, string>>;
  constants: Partial<Record<ImportField, string>>;
  metadata: Record<string, string>;
}

/** A problem with the file as a whole (its header, the map): the import stops before any row. */
export class ImportFileError extends Error {}

export function formatOf(fileName: string): ImportFormat | null {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) return 'jsonl';
  if (lower.endsWith('.csv')) return 'csv';
  return null;
}

function pairs(text: string | undefined, option: string): [string, string][] {
  if (text === undefined || text.trim() === '') return [];
  return text.split(',').map((pair) => {
    const at = pair.indexOf('=');
    const key = at < 0 ? '' : pair.slice(0, at).trim();
    const value = at < 0 ? '' : pair.slice(at + 1).trim();
    if (!key || !value) throw new ImportFileError(`${option}: "${pair.trim()}" is not field=value`);
    return [key, value];
  });
}

/** `--map` and `--set` as a FieldMap, or an ImportFileError naming what is wrong. */
export function parseFieldMap(map?: string, set?: string): FieldMap | null {
  if (map === undefined && set === undefined) return null;
  const result: FieldMap = { columns: {}, constants: {}, metadata: {} };
  const isField = (name: string): name is ImportField => (IMPORT_FIELDS as readonly string[]).includes(name);
  for (const [field, column] of pairs(map, '--map')) {
    if (field.startsWith('metadata.') && field.length > 'metadata.'.length)
      result.metadata[field.slice(9)] = column;
    else if (isField(field)) result.columns[field] = column;
    else
      throw new ImportFileError(
        `--map: unknown field ${field}; the fields are ${IMPORT_FIELDS.join(', ')} and metadata.<key>`,
      );
  }
  for (const [field, value] of pairs(set, '--set')) {
    if (!isField(field))
      throw new ImportFileError(`--set: unknown field ${field}; the fields are ${IMPORT_FIELDS.join(', ')}`);
    if (result.columns[field]) throw new ImportFileError(`--set: ${field} is already mapped to a column`);
    result.constants[field] = value;
  }
  return result;
}

/** The columns a map reads from the file. */
function mappedColumns(map: FieldMap): string[] {
  return [...new Set([...Object.values(map.columns), ...Object.values(map.metadata)])];
}

/**
 * A date as the files of other tools write it, as ISO 8601 with its offset: "2015-02-24 11:35:52
 * -0800" (Twitter exports), "2026-11-20 08:00:00Z", Unix seconds or milliseconds. Without an offset it
 * is left as it is (the row is then refused for it, rather than guessed in some time zone).
 */
export function isoDate(value: string): string {
  const text = value.trim();
  if (/^\d{10}$/.test(text)) return new Date(Number(text) * 1000).toISOString();
  if (/^\d{13}$/.test(text)) return new Date(Number(text)).toISOString();
  const match =
    /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})$/i.exec(text);
  if (!match) return text;
  const zone = match[3].toUpperCase();
  const offset =
    zone === 'Z' || zone === 'UTC' || zone === 'GMT' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
  return `${match[1]}T${match[2].length === 5 ? `${match[2]}:00` : match[2]}${offset}`;
}

function pathValue(record: Record<string, unknown>, path: string): unknown {
  if (Object.hasOwn(record, path)) return record[path];
  let value: unknown = record;
  for (const part of path.split('.')) {
    if (!value || typeof value !== 'object' || !Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

const asText = (value: unknown): string | undefined =>
  typeof value === 'string'
    ? value
    : typeof value === 'number' || typeof value === 'boolean'
      ? String(value)
      : undefined;

/** A record read through the map, as the verbatim the ingest checks. */
function mapped(record: Record<string, unknown>, map: FieldMap): Record<string, unknown> {
  const value: Record<string, unknown> = { ...map.constants };
  for (const [field, column] of Object.entries(map.columns)) {
    const cell = asText(pathValue(record, column));
    if (cell === undefined || cell === '') continue;
    value[field] = field === 'receivedAt' ? isoDate(cell) : cell;
  }
  const metadata: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(map.metadata)) {
    const cell = pathValue(record, column);
    if (cell !== undefined && cell !== '') metadata[key] = cell;
  }
  if (Object.keys(metadata).length > 0) value.metadata = metadata;
  return value;
}

export interface ReadOptions {
  map?: FieldMap | null;
  /** Bytes of the file read so far, as the reading goes. */
  onBytes?: (bytes: number) => void;
}

function tracked(path: string, onBytes?: (bytes: number) => void): Readable {
  const stream = createReadStream(path);
  if (onBytes) stream.on('data', () => onBytes(stream.bytesRead));
  return stream;
}

async function* jsonlRows(path: string, options: ReadOptions): AsyncGenerator<ImportRow> {
  const input = tracked(path, options.onBytes);
  input.setEncoding('utf8');
  const lines = createInterface({ input, crlfDelay: Infinity });
  let line = 0;
  for await (const text of lines) {
    line++;
    const trimmed = line === 1 ? text.replace(/^\uFEFF/, '').trim() : text.trim();
    if (trimmed === '') continue;
    if (trimmed.length > MAX_LINE_CHARS) {
      yield { line, error: `line is ${trimmed.length} characters; the limit is ${MAX_LINE_CHARS}` };
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(trimmed) as unknown;
    } catch (error) {
      yield { line, error: `invalid JSON: ${(error as Error).message}` };
      continue;
    }
    if (options.map && value && typeof value === 'object' && !Array.isArray(value))
      value = mapped(value as Record<string, unknown>, options.map);
    yield { line, value };
  }
}

/**
 * The header of a CSV file: the import stops on it, once, when it lacks a column the map reads or
 * (without a map) holds columns LoveBoard does not know, rather than refusing every row for it.
 */
export async function checkCsvHeader(path: string, map: FieldMap | null): Promise<void> {
  const parser = createReadStream(path).pipe(parse({ bom: true, to_line: 1, relax_column_count: true }));
  let header: string[] = [];
  for await (const record of parser as AsyncIterable<string[]>) header = record.map((name) => name.trim());
  if (header.length === 0) throw new ImportFileError('the CSV file has no header row');
  if (map) {
    const missing = mappedColumns(map).filter((column) => !header.includes(column));
    if (missing.length > 0)
      throw new ImportFileError(
        `--map names ${missing.length === 1 ? 'a column' : 'columns'} the file does not have: ${missing.join(', ')}; its columns are ${header.join(', ')}`,
      );
    return;
  }
  const unknown = header.filter((column) => !CSV_COLUMNS.includes(column) && column !== 'source');
  if (unknown.length > 0)
    throw new ImportFileError(
      `unknown column${unknown.length === 1 ? '' : 's'} ${unknown.join(', ')}; expected ${CSV_COLUMNS.join(', ')}, or say which column is which with --map (e.g. --map text=${unknown[0]})`,
    );
}

/**
 * CSV with a header row naming the columns (any order): externalId, author, channel, receivedAt,
 * text, and optionally lang and metadata (a JSON object); or any columns, read through a map. A
 * record that cannot be parsed is reported with its line and the parser's reason; the rest of the
 * file goes on.
 */
async function* csvRows(path: string, options: ReadOptions): AsyncGenerator<ImportRow> {
  const skipped: ImportRow[] = [];
  const parser = tracked(path, options.onBytes).pipe(
    parse({
      bom: true,
      columns: (header: string[]) => header.map((name) => name.trim()),
      skip_empty_lines: true,
      trim: false,
      info: true,
      max_record_size: MAX_LINE_CHARS,
      skip_records_with_error: true,
      on_skip: (error) => {
        if (error) skipped.push({ line: Number(error.lines) || 0, error: `malformed CSV: ${error.message}` });
        return undefined;
      },
    }),
  );
  for await (const { record, info } of parser as AsyncIterable<{
    record: Record<string, string>;
    info: { lines: number };
  }>) {
    yield* skipped.splice(0);
    if (options.map) {
      yield { line: info.lines, value: mapped(record, options.map) };
      continue;
    }
    const value: Record<string, unknown> = {};
    for (const [column, cell] of Object.entries(record)) {
      if (cell === '' && (column === 'lang' || column === 'metadata')) continue;
      value[column] = cell;
    }
    if (typeof value.metadata === 'string') {
      try {
        value.metadata = JSON.parse(value.metadata) as unknown;
      } catch {
        yield { line: info.lines, error: 'metadata: not valid JSON' };
        continue;
      }
    }
    yield { line: info.lines, value };
  }
  yield* skipped.splice(0);
}

export function readImportRows(
  path: string,
  format: ImportFormat,
  options: ReadOptions = {},
): AsyncGenerator<ImportRow> {
  return format === 'jsonl' ? jsonlRows(path, options) : csvRows(path, options);
}
