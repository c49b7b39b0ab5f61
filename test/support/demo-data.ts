import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isoWeekOf, weekBounds } from '@app/scoring';
import { ROOT } from './processes';

const WEEK_MS = 7 * 86_400_000;

export interface DemoRow {
  receivedAt: string;
  [field: string]: unknown;
}

/**
 * The shipped demo verbatims, moved forward by whole weeks so that the newest lands in the ISO week
 * of `now` (weekdays and hours kept), without any after `now`.
 */
export async function demoVerbatims(now: Date, zone: string): Promise<DemoRow[]> {
  const lines = (await readFile(join(ROOT, 'apps', 'api', 'demo', 'verbatims.jsonl'), 'utf8')).split('\n');
  const rows = lines.filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as DemoRow);
  const newest = Math.max(...rows.map((row) => Date.parse(row.receivedAt)));
  const from = weekBounds(isoWeekOf(new Date(newest), zone), zone).start.getTime();
  const to = weekBounds(isoWeekOf(now, zone), zone).start.getTime();
  const shift = Math.round((to - from) / WEEK_MS) * WEEK_MS;
  return rows
    .map((row) => ({ ...row, receivedAt: new Date(Date.parse(row.receivedAt) + shift).toISOString() }))
    .filter((row) => Date.parse(row.receivedAt) <= now.getTime() - 60_000);
}
