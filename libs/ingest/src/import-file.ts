import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parse } from 'csv-parse';
import type { ImportRow } from '@app/database';

export type ImportFormat = 'jsonl' | 'csv';

/** One JSONL line or CSV record beyond this is refused as a row, not buffered further. */
const MAX_LINE_CHARS = 100_000;
const CSV_COLUMNS = ['externalId', 'author', 'channel', 'receivedAt', 'text', 'lang', 'metadata'];

export function formatOf(fileName: string): ImportFormat | null {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) return 'jsonl';
  if (lower.endsWith('.csv')) return 'csv';
  return null;
}

async function* jsonlRows(path: string): AsyncGenerator<ImportRow> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let line = 0;
  for await (const text of lines) {
    line++;
    const trimmed = line === 1 ? text.replace(/^\uFEFF/, '').trim() : text.trim();
    if (trimmed === '') continue;
    if (trimmed.length > MAX_LINE_CHARS) {
      yield { line, error: `line is ${trimmed.length} characters; the limit is ${MAX_LINE_CHARS}` };
      continue;
    }
    try {
      yield { line, value: JSON.parse(trimmed) as unknown };
    } catch (error) {
      yield { line, error: `invalid JSON: ${(error as Error).message}` };
    }
  }
}

/**
 * CSV with a header row naming the columns (any order): externalId, author, channel, receivedAt,
 * text, and optionally lang and metadata (a JSON object). A record that cannot be parsed is
 * reported with its line and the parser's reason; the rest of the file goes on.
 */
async function* csvRows(path: string): AsyncGenerator<ImportRow> {
  const skipped: ImportRow[] = [];
  const parser = createReadStream(path).pipe(
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
    const unknown = Object.keys(record).filter(
      (column) => !CSV_COLUMNS.includes(column) && column !== 'source',
    );
    if (unknown.length > 0) {
      yield {
        line: info.lines,
        error: `unknown column ${unknown.join(', ')}; expected ${CSV_COLUMNS.join(', ')}`,
      };
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

export function readImportRows(path: string, format: ImportFormat): AsyncGenerator<ImportRow> {
  return format === 'jsonl' ? jsonlRows(path) : csvRows(path);
}
