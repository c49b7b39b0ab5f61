import { join } from 'node:path';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ApiKeyService } from '@app/auth';
import { APP_CONFIG, AppConfig, findShippedFile } from '@app/config';
import { Role, SourceKind } from '@app/database';
import { IngestService, VerbatimInput, checkVerbatim, readImportRows } from '@app/ingest';

const DEMO_FILE = join('apps', 'api', 'demo', 'verbatims.jsonl');
const WEEK_MS = 7 * 86_400_000;

export interface FirstStartResult {
  /** Set only on the very first start: the one time the admin key is shown. */
  adminKey: string | null;
  demoVerbatims: number;
}

/**
 * A fresh installation needs a way in and something to look at: an admin key, printed once, and
 * the demo verbatims, loaded through the same ingest path as everything else.
 */
@Injectable()
export class FirstStart {
  private readonly logger = new Logger(FirstStart.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly apiKeys: ApiKeyService,
    private readonly ingest: IngestService,
  ) {}

  async run(): Promise<FirstStartResult> {
    if (await this.apiKeys.hasAnyKey()) return { adminKey: null, demoVerbatims: 0 };
    const { key } = await this.apiKeys.create('first-start admin', Role.Admin, 'system');
    const demoVerbatims = this.config.demoData ? await this.loadDemo() : 0;
    return { adminKey: key, demoVerbatims };
  }

  private async loadDemo(): Promise<number> {
    const file = findShippedFile(DEMO_FILE);
    if (!file) {
      this.logger.warn(`demo data not found (${DEMO_FILE}); starting empty`);
      return 0;
    }
    const batch: VerbatimInput[] = [];
    let stored = 0;
    for await (const row of readImportRows(file, 'jsonl')) {
      const check = checkVerbatim(row.value);
      if (check.ok) batch.push(check.value);
      else this.logger.warn(`demo line ${row.line} skipped: ${row.error ?? (check.ok ? '' : check.reason)}`);
    }
    // The demo was written over six weeks of late 2026; moved forward by whole weeks so that its
    // newest day is this week (weekdays and hours kept: "le site rame le lundi matin" stays a
    // Monday), the current board of a newcomer shows it whatever the date.
    const newest = Math.max(...batch.map((item) => Date.parse(item.receivedAt)));
    const weeks = Math.max(0, Math.floor((Date.now() - newest) / WEEK_MS));
    for (const item of batch)
      item.receivedAt = new Date(Date.parse(item.receivedAt) + weeks * WEEK_MS).toISOString();
    for (let i = 0; i < batch.length; i += 500) {
      const refs = await this.ingest.storeAndHandOn(batch.slice(i, i + 500), SourceKind.Import);
      stored += refs.filter((ref) => ref.created).length;
    }
    return stored;
  }
}
