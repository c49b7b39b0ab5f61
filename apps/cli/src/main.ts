import 'reflect-metadata';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { SingleBar } from 'cli-progress';
import { Command, InvalidArgumentError, Option } from 'commander';
import { Logger } from 'nestjs-pino';
import Table from 'cli-table3';
import {
  CALIBRATION_FOLDS,
  ModelStore,
  RegroupService,
  TaxonomyService,
  readCategorySet,
  readSentimentSet,
} from '@app/analysis';
import { BoardService } from '@app/board';
import { DigestRefusedError, DigestService } from '@app/digest';
import { CHAT_KINDS, CHAT_TOPICS, ChatService } from '@app/notifications';
import { EXPORT_FORMATS, ExportFormat, ExportService, ExportTable, write } from '@app/exports';
import { ApiKeyService, UserService, isPersonRole } from '@app/auth';
import { AppConfig, Clock, loadConfig, loadConfigOrExit } from '@app/config';
import {
  BoardItem,
  Channel,
  DataDirInUseError,
  DeadLetterStatus,
  DigestStatus,
  ImportStatus,
  Role,
  SourceKind,
  TicketStatus,
  Transactions,
} from '@app/database';
import {
  FieldMap,
  ImportFileError,
  ImportFormat,
  ImportService,
  IngestService,
  VerbatimInput,
  checkVerbatim,
  parseFieldMap,
  readImportRows,
} from '@app/ingest';
import {
  LabelledText,
  LinearTextClassifier,
  analyzeSentiment,
  detectLanguage,
  evaluate,
  groupingAgreement,
  prepareText,
  trainSentimentModel,
} from '@app/nlp';
import { DeadLetterService, InProcessJobQueue, JobQueue, JobRunner } from '@app/jobs';
import { DataSource } from 'typeorm';
import { CliModule } from './cli.module';

const out = (line: string) => process.stdout.write(`${line}\n`);

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number above 0');
  return n;
}

const MOVES: Record<string, (change: number | null) => string> = {
  new: () => 'new',
  up: (change) => `▲${change ?? ''}`,
  down: (change) => `▼${Math.abs(change ?? 0)}`,
  unchanged: () => '=',
};

/** The board as a terminal table: rank, movement, the four axes, the counts, what it is. */
function boardTable(items: BoardItem[]): string {
  const table = new Table({
    head: [
      '#',
      'move',
      'total',
      'client',
      'business',
      'legal',
      'tech',
      'customers',
      'verbatims',
      'category',
      'irritant',
    ],
    colAligns: [
      'right',
      'center',
      'right',
      'right',
      'right',
      'right',
      'right',
      'right',
      'right',
      'left',
      'left',
    ],
    style: { head: [], border: [] },
  });
  for (const item of items) {
    table.push([
      item.rank,
      (MOVES[item.movement] ?? MOVES.new)(item.rankChange),
      item.total.toFixed(1),
      ...(['client', 'business', 'legal', 'technical'] as const).map(
        (axis) => `${item.axes[axis].score.toFixed(0)}${item.axes[axis].override ? '*' : ''}`,
      ),
      item.distinctCustomers,
      item.verbatimCount,
      item.category,
      item.label.slice(0, 48),
    ]);
  }
  return items.length === 0
    ? '(no irritant with verbatims this week)'
    : `${table.toString()}\n* overridden by a person`;
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function withApp<T>(config: AppConfig, work: (app: INestApplicationContext) => Promise<T>): Promise<T> {
  const app = await NestFactory.createApplicationContext(CliModule.forRoot(config), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  try {
    const queue = app.get(JobQueue);
    if (queue instanceof InProcessJobQueue) app.get(JobRunner).assertEveryJobHasAHandler();
    const result = await work(app);
    // Without Redis this process runs the jobs its command enqueued: finish them before leaving.
    if (queue instanceof InProcessJobQueue) await queue.idle();
    return result;
  } finally {
    await app.close();
  }
}

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/**
 * How far an import is, on stderr: a bar on a terminal, with the file's size as its total while the
 * file is read and the number of chunks while they are stored; elsewhere (a pipe, a CI log) a line
 * at each tenth of the way, so that a long import is never silent.
 */
class ImportProgressView {
  private readonly tty = process.stderr.isTTY === true;
  private bar: SingleBar | null = null;
  private phase: 'reading' | 'storing' | null = null;
  private lastTenth = -1;

  reading(bytesRead: number, totalBytes: number, rows: number): void {
    this.enter(
      'reading',
      Math.max(totalBytes, 1),
      'reading {bar} {percentage}% | {done} of {size} | {rows} rows',
    );
    if (this.bar)
      this.bar.update(Math.min(bytesRead, totalBytes), {
        done: megabytes(bytesRead),
        size: megabytes(totalBytes),
        rows,
      });
    else
      this.line(
        totalBytes === 0 ? 1 : bytesRead / totalBytes,
        `read ${megabytes(bytesRead)} of ${megabytes(totalBytes)}, ${rows} rows`,
      );
  }

  storing(chunksDone: number, chunks: number, rows: number): void {
    this.enter('storing', Math.max(chunks, 1), 'storing {bar} {value}/{total} chunks | {rows} rows');
    if (this.bar) {
      this.bar.setTotal(Math.max(chunks, 1));
      this.bar.update(chunksDone, { rows });
    } else
      this.line(
        chunks === 0 ? 1 : chunksDone / chunks,
        `stored ${chunksDone} of ${chunks} chunks of ${rows} rows`,
      );
  }

  stop(): void {
    this.bar?.stop();
    this.bar = null;
  }

  private enter(phase: 'reading' | 'storing', total: number, format: string): void {
    if (this.phase === phase) return;
    this.stop();
    this.phase = phase;
    this.lastTenth = -1;
    if (!this.tty) return;
    this.bar = new SingleBar({ format, stream: process.stderr, hideCursor: true, noTTYOutput: false });
    this.bar.start(total, 0, { done: '0.0 MB', size: '', rows: 0 });
  }

  private line(fraction: number, what: string): void {
    const tenth = Math.floor(Math.min(1, Math.max(0, fraction)) * 10);
    if (tenth <= this.lastTenth) return;
    this.lastTenth = tenth;
    process.stderr.write(`import: ${tenth * 10}% ${what}\n`);
  }
}

async function importFile(
  config: AppConfig,
  file: string,
  source: string,
  format: ImportFormat | undefined,
  map: FieldMap | null,
): Promise<void> {
  await withApp(config, async (app) => {
    const imports = app.get(ImportService);
    const progress = new ImportProgressView();
    try {
      const importId = await imports.start(
        file,
        source,
        format,
        ({ rowsRead, bytesRead, totalBytes }) => progress.reading(bytesRead, totalBytes, rowsRead),
        map,
      );
      // In embedded mode this process runs the chunks; in server mode the workers do: wait either way.
      for (;;) {
        const summary = await imports.summary(importId);
        if (!summary) throw new Error(`import ${importId} vanished`);
        progress.storing(summary.chunksDone, summary.chunks, summary.rows);
        if (summary.status === ImportStatus.Done) {
          progress.stop();
          for (const { line, reason } of summary.rejected) out(`rejected line ${line}: ${reason}`);
          out(
            `imported=${summary.imported} duplicates=${summary.duplicates} rejected=${summary.rejected.length}`,
          );
          return;
        }
        await sleep(250);
      }
    } finally {
      progress.stop();
    }
  });
}

async function evaluateClassifier(file: string, labelField: string): Promise<void> {
  const train: LabelledText[] = [];
  const test: LabelledText[] = [];
  let skipped = 0;
  for await (const row of readImportRows(file, 'jsonl')) {
    const value = row.value as Record<string, unknown> | undefined;
    const text = value?.text;
    const label = value?.[labelField];
    const split = value?.split;
    if (typeof text !== 'string' || typeof label !== 'string' || (split !== 'train' && split !== 'test')) {
      skipped++;
      process.stderr.write(
        `line ${row.line}: ${row.error ?? `needs text, ${labelField} and split (train or test)`}\n`,
      );
      continue;
    }
    (split === 'train' ? train : test).push({ text, label });
  }
  if (train.length === 0 || test.length === 0)
    throw new Error('the file needs rows with split "train" and rows with split "test"');
  const started = process.hrtime.bigint();
  const model = LinearTextClassifier.train(train, { calibrationFolds: CALIBRATION_FOLDS });
  const trainSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const result = evaluate(model, test);
  const width = Math.max(5, ...result.perClass.map((metrics) => metrics.label.length));
  out(`${'label'.padEnd(width)}  precision  recall  f1      support`);
  for (const metrics of result.perClass) {
    out(
      `${metrics.label.padEnd(width)}  ${metrics.precision.toFixed(4)}     ${metrics.recall.toFixed(4)}  ${metrics.f1.toFixed(4)}  ${metrics.support}`,
    );
  }
  out(`train=${train.length} test=${test.length} skipped=${skipped} features=${model.featureCount}`);
  out(
    `accuracy=${result.accuracy.toFixed(4)} macro_f1=${result.macroF1.toFixed(4)} train_s=${trainSeconds.toFixed(1)} classify_docs_per_s=${Math.round(result.docsPerSecond)} ece=${result.ece.toFixed(4)}`,
  );
}

/** Verbatims stored per call in the irritants evaluation, as an import chunk would. */
const EVAL_CHUNK = 500;

/**
 * Irritants as a fresh installation forms them, measured against labels: the file's test rows
 * (every row when there is no `split`) go in as verbatims of a new embedded database (PGlite, jobs
 * in this process) through redaction, analysis and clustering, then the regrouping runs; each
 * irritant is compared with the rows' labels. Nothing of the file is kept.
 */
async function evaluateIrritants(file: string, labelField: string): Promise<void> {
  const rows: { id: string; text: string; label: string; lang?: string }[] = [];
  let skipped = 0;
  for await (const row of readImportRows(file, 'jsonl')) {
    const value = row.value as Record<string, unknown> | undefined;
    if (value !== undefined && value.split !== undefined && value.split !== 'test') continue;
    const text = value?.text;
    const label = value?.[labelField];
    if (typeof text !== 'string' || text.trim() === '' || typeof label !== 'string') {
      skipped++;
      process.stderr.write(`line ${row.line}: ${row.error ?? `needs text and ${labelField}`}\n`);
      continue;
    }
    const lang = typeof value?.lang === 'string' && /^[a-z]{2}$/.test(value.lang) ? value.lang : undefined;
    rows.push({ id: `row-${row.line}`, text, label, lang });
  }
  if (rows.length === 0) throw new Error(`the file has no test rows with text and ${labelField}`);
  const started = process.hrtime.bigint();
  const dataDir = mkdtempSync(join(tmpdir(), 'loveboard-irritants-eval-'));
  const env: Record<string, string | undefined> = { ...process.env, DATA_DIR: dataDir, DEMO_DATA: 'false' };
  // A fresh embedded installation, whatever this shell points at; the regrouping is run below.
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  env.REGROUP_CHECK_SECONDS = '0';
  env.NODE_ENV = env.NODE_ENV === 'production' ? 'development' : env.NODE_ENV;
  try {
    await withApp(loadConfig(env), async (app) => {
      const ingest = app.get(IngestService);
      const now = app.get(Clock).nowMs();
      const queue = app.get(JobQueue);
      for (let start = 0; start < rows.length; start += EVAL_CHUNK) {
        const items: VerbatimInput[] = rows.slice(start, start + EVAL_CHUNK).map((row, i) => {
          const item = {
            source: 'irritants-eval',
            externalId: row.id,
            author: `customer-${start + i}`,
            channel: Channel.Email,
            // In file order, a second apart: the order rows arrive in is the file's.
            receivedAt: new Date(now - (rows.length - start - i) * 1_000).toISOString(),
            text: row.text,
            ...(row.lang ? { lang: row.lang } : {}),
          };
          const check = checkVerbatim(item, new Date(now));
          if (!check.ok) throw new Error(`${row.id}: ${check.reason}`);
          return item;
        });
        await ingest.storeAndHandOn(items, SourceKind.Import);
      }
      if (queue instanceof InProcessJobQueue) await queue.idle();
      const summary = await app.get(RegroupService).regroup('admin', 'cli');
      const placed: { external_id: string; irritant_id: string | null; stage: string }[] = await app
        .get(DataSource)
        .query('SELECT external_id, irritant_id, stage FROM verbatim');
      const labelOf = new Map(rows.map((row) => [row.id, row.label]));
      const unclustered = placed.filter((one) => one.irritant_id === null).length;
      const result = groupingAgreement(
        placed.map((one) => ({
          // A verbatim left out of every irritant counts as a group of its own.
          group: one.irritant_id ?? `alone-${one.external_id}`,
          label: labelOf.get(one.external_id) ?? '',
        })),
      );
      const seconds = Math.round(Number(process.hrtime.bigint() - started) / 1e9);
      out(
        `rows=${rows.length} skipped=${skipped} unclustered=${unclustered} regroup_merged=${summary.merged} regroup_created=${summary.created} regroup_moved=${summary.moved} regroup_s=${summary.seconds.toFixed(1)}`,
      );
      out(
        `irritants=${result.groups} nmi=${result.nmi.toFixed(3)} purity2=${result.purity2.toFixed(3)} share_in_5plus=${result.shareIn5Plus.toFixed(3)} seconds=${seconds}`,
      );
    });
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const SENTIMENTS = ['negative', 'neutral', 'positive'] as const;

/**
 * The sentiment of a fresh installation (the shipped model and the rules, nothing learnt yet)
 * measured on a labelled file: per language, accuracy, macro-F1 and the recall of negatives. A
 * file without neutral rows is a polarity set: a prediction is then the sign of the score.
 */
async function evaluateSentiment(file: string, labelField: string, rulesOnly: boolean): Promise<void> {
  const rows: { text: string; label: string; lang: 'fr' | 'en' | 'other' }[] = [];
  let skipped = 0;
  for await (const row of readImportRows(file, 'jsonl')) {
    const value = row.value as Record<string, unknown> | undefined;
    const text = value?.text;
    const label = value?.[labelField];
    if (value?.split !== undefined && value.split !== 'test') continue;
    if (
      typeof text !== 'string' ||
      typeof label !== 'string' ||
      !(SENTIMENTS as readonly string[]).includes(label)
    ) {
      skipped++;
      process.stderr.write(
        `line ${row.line}: ${row.error ?? `needs text and ${labelField} (negative, neutral or positive)`}\n`,
      );
      continue;
    }
    const given = value?.lang;
    rows.push({ text, label, lang: given === 'fr' || given === 'en' ? given : detectLanguage(text).lang });
  }
  if (rows.length === 0) throw new Error('the file has no labelled rows to measure on');
  const started = process.hrtime.bigint();
  const model = rulesOnly
    ? null
    : trainSentimentModel({
        shipped: await readSentimentSet(),
        categories: await readCategorySet(),
        learnt: [],
      });
  const trainSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const polarity = !rows.some((row) => row.label === 'neutral');
  const guesses = rows.map((row) => {
    const prepared = prepareText(row.text, row.lang);
    const { score, label } = analyzeSentiment(prepared.tokens, prepared.emoji, row.text, row.lang, model);
    return polarity ? (score > 0 ? 'positive' : score < 0 ? 'negative' : 'neutral') : label;
  });
  const measure = (indices: number[]) => {
    const labels = SENTIMENTS.filter((label) => indices.some((i) => rows[i].label === label));
    const f1s = labels.map((label) => {
      const tp = indices.filter((i) => rows[i].label === label && guesses[i] === label).length;
      const predicted = indices.filter((i) => guesses[i] === label).length;
      const actual = indices.filter((i) => rows[i].label === label).length;
      const precision = tp / Math.max(1, predicted);
      const recall = tp / Math.max(1, actual);
      return {
        label,
        recall,
        f1: precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0,
      };
    });
    return {
      n: indices.length,
      accuracy: indices.filter((i) => rows[i].label === guesses[i]).length / indices.length,
      macroF1: f1s.reduce((sum, one) => sum + one.f1, 0) / Math.max(1, f1s.length),
      negativeRecall: f1s.find((one) => one.label === 'negative')?.recall ?? null,
    };
  };
  const line = (name: string, indices: number[]) => {
    const m = measure(indices);
    return `sentiment lang=${name} n=${m.n} accuracy=${m.accuracy.toFixed(3)} macro_f1=${m.macroF1.toFixed(3)} negative_recall=${m.negativeRecall === null ? 'n/a' : m.negativeRecall.toFixed(3)}`;
  };
  out(
    `${rulesOnly ? 'rules only' : 'rules and the shipped model'}; ${polarity ? 'polarity set (sign of the score)' : 'three labels'}; skipped=${skipped} train_s=${trainSeconds.toFixed(1)}`,
  );
  for (const lang of ['fr', 'en', 'other'] as const) {
    const indices = rows.flatMap((row, i) => (row.lang === lang ? [i] : []));
    if (indices.length > 0) out(line(lang, indices));
  }
  out(
    line(
      'all',
      rows.map((_, i) => i),
    ),
  );
}

function role(value: string): Role {
  if (!(Object.values(Role) as string[]).includes(value)) {
    throw new InvalidArgumentError(`expected one of ${Object.values(Role).join(', ')}`);
  }
  return value as Role;
}

function personRole(value: string): Role {
  if (!isPersonRole(value)) throw new InvalidArgumentError('expected one of viewer, triager, admin');
  return value;
}

/** The account of an address, or a clear refusal. */
async function userByEmail(app: INestApplicationContext, email: string) {
  const user = await app.get(UserService).findByEmail(email);
  if (!user) throw new InvalidArgumentError(`no user with the e-mail address ${email}`);
  return user;
}

export function buildProgram(config: () => AppConfig): Command {
  const program = new Command('cli').description('LoveBoard command line').showHelpAfterError();

  program
    .command('import')
    .description('Import verbatims from a JSONL or CSV file (idempotent: importing twice creates nothing)')
    .argument('<file>', 'a .jsonl/.ndjson file (one JSON verbatim per line) or a .csv file with a header row')
    .requiredOption('--source <name>', 'source name for every row')
    .addOption(
      new Option('--format <format>', 'file format (default: from the extension)').choices(['jsonl', 'csv']),
    )
    .option(
      '--map <field=column,...>',
      "which of the file's columns (JSON paths in JSONL) give each field: externalId, author, channel, receivedAt, text, lang, metadata.<key>; e.g. --map text=text,author=name,receivedAt=tweet_created,externalId=tweet_id",
    )
    .option(
      '--set <field=value,...>',
      'a value for every row of a field the file does not hold, e.g. --set channel=twitter',
    )
    .action(
      async (
        file: string,
        options: { source: string; format?: ImportFormat; map?: string; set?: string },
      ) => {
        let map: FieldMap | null;
        try {
          map = parseFieldMap(options.map, options.set);
        } catch (error) {
          if (error instanceof ImportFileError) throw new InvalidArgumentError(error.message);
          throw error;
        }
        await importFile(config(), file, options.source, options.format, map);
      },
    );

  program
    .command('migrate')
    .description('Apply pending database migrations')
    .action(async () => {
      await withApp(config(), async (app) => {
        // Booting the command applied them (DatabaseModule, migrate: true): under the advisory lock in
        // server mode; embedded mode has a single connection, which the lock would starve. Report.
        await app.get(Transactions).ping();
        const rows: { name: string }[] = await app
          .get(DataSource)
          .query('SELECT name FROM typeorm_migration ORDER BY id');
        out(`migrations applied: ${rows.map((row) => row.name).join(', ')}`);
      });
    });

  program
    .command('nlp:eval')
    .description('Train the category classifier on the rows of split "train" and measure it on split "test"')
    .requiredOption(
      '--data <file>',
      'JSONL with fields id, text, label and split (as in the shared datasets)',
    )
    .option('--label-field <field>', 'the field holding the label', 'label')
    .action(async (options: { data: string; labelField: string }) => {
      await evaluateClassifier(options.data, options.labelField);
    });

  program
    .command('nlp:irritants-eval')
    .description(
      'Ingest the test rows as verbatims into a fresh embedded database, let the stages and the regrouping run, and compare the irritants with the labels',
    )
    .requiredOption('--data <file>', 'JSONL with fields text, the label, and optionally lang and split')
    .option('--label-field <field>', 'the field holding the label', 'label')
    .action(async (options: { data: string; labelField: string }) => {
      await evaluateIrritants(options.data, options.labelField);
    });

  program
    .command('irritants:regroup')
    .description(
      "Regroup the recent window's irritants now: near-duplicates merged, incoherent ones split, people's decisions kept",
    )
    .action(async () => {
      await withApp(config(), async (app) => {
        const summary = await app.get(RegroupService).regroup('admin', 'cli');
        out(
          `window_verbatims=${summary.windowVerbatims} irritants_before=${summary.irritantsBefore} irritants_after=${summary.irritantsAfter} merged=${summary.merged} created=${summary.created} moved=${summary.moved} seconds=${summary.seconds.toFixed(1)}`,
        );
      });
    });

  program
    .command('nlp:sentiment-eval')
    .description(
      'Measure sentiment as a fresh installation has it (rules and the shipped model) on labelled rows: accuracy, macro-F1, negative recall per language',
    )
    .requiredOption(
      '--data <file>',
      'JSONL with fields text, label (negative, neutral, positive), lang and split (optional: only "test" rows are read)',
    )
    .option('--label-field <field>', 'the field holding the label', 'label')
    .option('--rules-only', 'the rules alone, without the learned model')
    .action(async (options: { data: string; labelField: string; rulesOnly?: boolean }) => {
      await evaluateSentiment(options.data, options.labelField, options.rulesOnly === true);
    });

  program
    .command('board')
    .description('Print the ranked board of an ISO week (live, or frozen once its Monday has come)')
    .option('--week <isoWeek>', 'e.g. 2026-W48 (default: the current week)')
    .option('--limit <n>', 'at most this many items', positiveInteger, 20)
    .option('--json', 'the board as JSON, as the API gives it')
    .action(async (options: { week?: string; limit: number; json?: boolean }) => {
      await withApp(config(), async (app) => {
        const boards = app.get(BoardService);
        const { board, items } = await boards.get(options.week ?? boards.currentWeek(), {
          limit: options.limit,
        });
        if (options.json) {
          out(JSON.stringify({ ...board, items }, null, 2));
          return;
        }
        out(
          `${board.isoWeek} · ${board.status}${board.frozenAt ? ` since ${board.frozenAt.toISOString()}` : ''} · computed ${board.computedAt.toISOString()}`,
        );
        out(boardTable(items));
      });
    });

  program
    .command('digest')
    .description(
      'Write the Monday digest of an ISO week to a file, and send it to DIGEST_RECIPIENTS with --send',
    )
    .requiredOption('--week <isoWeek>', 'e.g. 2026-W48')
    .option('--out <file>', 'where to write the HTML')
    .option('--lang <lang>', 'fr or en', 'fr')
    .option('--send', 'send it now (once per recipient: those who had it are skipped)')
    .option('--force', 'with --send: send it even though the week’s board is not frozen yet')
    .option('--resend', 'with --send: send it again to every recipient, those who had it included')
    .action(
      async (options: {
        week: string;
        out?: string;
        lang: string;
        send?: boolean;
        force?: boolean;
        resend?: boolean;
      }) => {
        if (options.lang !== 'fr' && options.lang !== 'en')
          throw new InvalidArgumentError('--lang must be fr or en');
        if ((options.force || options.resend) && !options.send)
          throw new InvalidArgumentError('--force and --resend go with --send');
        await withApp(config(), async (app) => {
          const digests = app.get(DigestService);
          const digest = await digests.render(options.week, options.lang as 'fr' | 'en');
          if (options.out) {
            writeFileSync(options.out, digest.html);
            out(`wrote ${options.out} (${digest.subject})`);
          } else if (!options.send) {
            out(digest.text);
          }
          if (!options.send) return;
          let sent: string[];
          try {
            sent = await digests.send(options.week, { force: options.force, resend: options.resend });
          } catch (error) {
            if (!(error instanceof DigestRefusedError)) throw error;
            process.stderr.write(`refused: ${error.message} (--force)\n`);
            process.exitCode = 1;
            return;
          }
          if (options.force) out('forced: the board is sent as it stands, before its freeze');
          out(`sent to ${sent.length} recipient(s)${sent.length ? `: ${sent.join(', ')}` : ''}`);
          const had = (await digests.history(options.week))
            .filter((delivery) => delivery.status === DigestStatus.Sent && !sent.includes(delivery.recipient))
            .map((delivery) => delivery.recipient);
          if (had.length > 0 && !options.resend)
            out(`already sent to ${[...new Set(had)].join(', ')} (--resend to send again)`);
        });
      },
    );

  program
    .command('nlp:train')
    .description(
      "Train the category classifier on the shipped training set and the triage team's corrections, and fit the irritants' join threshold to its moves, splits and merges",
    )
    .action(async () => {
      await withApp(config(), async (app) => {
        const model = await app.get(ModelStore).train(true);
        out(
          `${model.isNew ? 'stored' : 'unchanged'} model ${model.version}: ${model.shipped} shipped examples, ${model.corrections} corrections, ${model.sentimentLessons} sentiment lessons (survey comments, corrections), join threshold ${model.joinThreshold} from ${model.decisions} triage decisions`,
        );
      });
    });

  const apikey = program.command('apikey').description('API keys');
  apikey
    .command('create')
    .description('Create an API key; the key is printed on the last line, once')
    .requiredOption('--name <name>', 'who or what uses it')
    .requiredOption('--role <role>', `one of ${Object.values(Role).join(', ')}`, role)
    .action(async (options: { name: string; role: Role }) => {
      await withApp(config(), async (app) => {
        const { key, apiKey } = await app
          .get(ApiKeyService)
          .create(options.name.slice(0, 80), options.role, 'cli');
        out(`created API key ${apiKey.id} (${apiKey.role}) for ${apiKey.name}`);
        out(key);
      });
    });

  const category = program
    .command('category')
    .description('The taxonomy: shipped categories and those an admin adds, with their examples');
  category
    .command('list')
    .description('Every category in force: key, labels, shipped or added')
    .action(async () => {
      await withApp(config(), async (app) => {
        const taxonomy = await app.get(TaxonomyService).taxonomy();
        for (const one of taxonomy.categories)
          out(
            `${one.key}\t${one.label.fr}\t${one.label.en}\t${taxonomy.custom.has(one.key) ? 'added' : 'shipped'}`,
          );
      });
    });
  category
    .command('add')
    .description(
      'Add a category with its examples (one per line of --examples); nlp:train then learns it, keeping corrections',
    )
    .requiredOption('--key <key>', 'e.g. luggage')
    .requiredOption('--fr <label>', 'its French name')
    .requiredOption('--en <label>', 'its English name')
    .requiredOption('--examples <file>', 'a text file, one customer message a line')
    .option('--off-site', 'not about the site or the app (routed to another department)')
    .action(async (options: { key: string; fr: string; en: string; examples: string; offSite?: boolean }) => {
      const examples = readFileSync(options.examples, 'utf8')
        .split(/\r?\n/)
        .filter((line) => line.trim() !== '');
      await withApp(config(), async (app) => {
        await app.get(TaxonomyService).add(
          {
            key: options.key,
            label: { fr: options.fr, en: options.en },
            offSite: options.offSite,
            examples,
          },
          'cli',
        );
        out(`added category ${options.key} with ${examples.length} examples; run nlp:train to learn it`);
      });
    });
  category
    .command('examples')
    .description('Give a category more examples (one per line of --file)')
    .requiredOption('--key <key>', 'the category')
    .requiredOption('--file <file>', 'a text file, one customer message a line')
    .action(async (options: { key: string; file: string }) => {
      const examples = readFileSync(options.file, 'utf8')
        .split(/\r?\n/)
        .filter((line) => line.trim() !== '');
      await withApp(config(), async (app) => {
        const added = await app.get(TaxonomyService).addExamples(options.key, examples, 'cli');
        out(`added ${added} examples to ${options.key}; run nlp:train to learn them`);
      });
    });

  const user = program.command('user').description("People's accounts (sign-in to the UI)");
  user
    .command('create')
    .description(
      'Create an account; with local accounts on, its generated password is printed on the last line, once',
    )
    .requiredOption('--email <email>', 'the address the person signs in with')
    .requiredOption('--role <role>', 'one of viewer, triager, admin', personRole)
    .option('--name <name>', 'shown in the UI (default: the part of the address before @)')
    .action(async (options: { email: string; role: Role; name?: string }) => {
      await withApp(config(), async (app) => {
        const { user: created, password } = await app
          .get(UserService)
          .create({ email: options.email, role: options.role, displayName: options.name }, 'cli');
        out(`created user ${created.id} (${created.role}) ${created.email}`);
        out(
          password ??
            'local accounts are off (LOCAL_ACCOUNTS): this person signs in through single sign-on, linked by their verified e-mail address',
        );
      });
    });
  user
    .command('set-role')
    .description("Change a person's role (applies to their next request)")
    .requiredOption('--email <email>')
    .requiredOption('--role <role>', 'one of viewer, triager, admin', personRole)
    .action(async (options: { email: string; role: Role }) => {
      await withApp(config(), async (app) => {
        const found = await userByEmail(app, options.email);
        const updated = await app.get(UserService).update(found.id, { role: options.role }, 'cli');
        out(`user ${updated.id} ${updated.email} is now ${updated.role}`);
      });
    });
  user
    .command('disable')
    .description('Disable an account and end its sessions (--enable to let the person in again)')
    .requiredOption('--email <email>')
    .option('--enable', 'enable the account again instead')
    .action(async (options: { email: string; enable?: boolean }) => {
      await withApp(config(), async (app) => {
        const found = await userByEmail(app, options.email);
        const updated = await app.get(UserService).update(found.id, { disabled: !options.enable }, 'cli');
        out(`user ${updated.id} ${updated.email} ${updated.disabledAt ? 'disabled' : 'enabled'}`);
      });
    });
  user
    .command('reset-password')
    .description(
      'Give an account a new generated password, printed on the last line, once (its sessions end)',
    )
    .requiredOption('--email <email>')
    .action(async (options: { email: string }) => {
      await withApp(config(), async (app) => {
        const found = await userByEmail(app, options.email);
        const password = await app.get(UserService).resetPassword(found.id, 'cli');
        out(`new password for ${found.email}:`);
        out(password);
      });
    });
  user
    .command('list')
    .description('Every account, its role and how it signs in')
    .action(async () => {
      await withApp(config(), async (app) => {
        const users = await app.get(UserService).list();
        for (const one of users) {
          const how = [one.passwordHash !== null ? 'local' : '', one.oidcSubject !== null ? 'sso' : '']
            .filter(Boolean)
            .join('+');
          out(
            `${one.id}  ${one.role.padEnd(7)}  ${one.disabledAt ? 'disabled' : 'active  '}  ${how || '-'}  ${one.email}`,
          );
        }
        out(`users=${users.length}`);
      });
    });

  const exportCommand = program
    .command('export')
    .description('Write a week’s board, the tickets or a verbatim search as CSV or XLSX (redacted)');
  const exportTo = async (
    options: { format: string; out?: string },
    name: string,
    make: (service: ExportService) => Promise<ExportTable>,
  ) => {
    if (!(EXPORT_FORMATS as readonly string[]).includes(options.format))
      throw new InvalidArgumentError('--format must be csv or xlsx');
    const format = options.format as ExportFormat;
    await withApp(config(), async (app) => {
      const table = await make(app.get(ExportService));
      const file = options.out ?? `${name}.${format}`;
      writeFileSync(file, await write(table, format));
      out(`wrote ${file} (${table.rows.length} rows)`);
    });
  };
  exportCommand
    .command('board')
    .requiredOption('--week <isoWeek>', 'e.g. 2026-W48')
    .option('--format <format>', 'csv or xlsx', 'xlsx')
    .option('--out <file>', 'where to write it (default: loveboard-board-<week>.<format>)')
    .option('--lang <lang>', 'the language of the reasons, en or fr', 'en')
    .action(async (options: { week: string; format: string; out?: string; lang: string }) => {
      if (options.lang !== 'en' && options.lang !== 'fr')
        throw new InvalidArgumentError('--lang must be en or fr');
      const lang = options.lang;
      await exportTo(options, `loveboard-board-${options.week}`, (service) =>
        service.board(options.week, lang),
      );
    });
  exportCommand
    .command('tickets')
    .option('--status <statuses>', 'comma-separated statuses', 'todo,in_progress,fixed,deployed,dropped')
    .option('--format <format>', 'csv or xlsx', 'xlsx')
    .option('--out <file>', 'where to write it')
    .action(async (options: { status: string; format: string; out?: string }) => {
      const statuses = options.status.split(',');
      if (
        statuses.some((status) => !['todo', 'in_progress', 'fixed', 'deployed', 'dropped'].includes(status))
      )
        throw new InvalidArgumentError('--status must list todo, in_progress, fixed, deployed, dropped');
      await exportTo(options, 'loveboard-tickets', (service) => service.tickets(statuses as TicketStatus[]));
    });
  exportCommand
    .command('verbatims')
    .option('--q <query>', 'full-text query (French and English)')
    .option('--category <key>')
    .option('--irritant <id>')
    .option('--limit <n>', 'at most this many rows', positiveInteger)
    .option('--format <format>', 'csv or xlsx', 'xlsx')
    .option('--out <file>', 'where to write it')
    .action(
      async (options: {
        q?: string;
        category?: string;
        irritant?: string;
        limit?: number;
        format: string;
        out?: string;
      }) => {
        if (options.irritant && !/^[0-9a-f-]{36}$/i.test(options.irritant))
          throw new InvalidArgumentError('--irritant must be an irritant id');
        await exportTo(options, 'loveboard-verbatims', (service) =>
          service.verbatimSearch({
            q: options.q,
            category: options.category,
            irritant: options.irritant,
            limit: options.limit,
          }),
        );
      },
    );

  const chat = program.command('chat').description('Slack and Microsoft Teams channels (admins)');
  chat
    .command('add')
    .description(
      'Add a channel: a Slack or Teams incoming webhook (--url), or a Slack bot (--token, --channel)',
    )
    .requiredOption('--kind <kind>', CHAT_KINDS.join(', '))
    .requiredOption('--name <name>', 'what people call it, e.g. #customer-voice')
    .option('--lang <lang>', 'fr or en', 'fr')
    .option('--topics <topics>', `comma-separated: ${CHAT_TOPICS.join(', ')}`, CHAT_TOPICS.join(','))
    .option('--url <url>', 'the incoming webhook URL (https)')
    .option('--token <token>', 'the Slack bot token (xoxb-…); LOVEBOARD_CHAT_TOKEN is read when absent')
    .option('--channel <id>', 'the Slack channel id the bot posts to (C0123456789)')
    .option('--api-url <url>', 'another Slack Web API base than https://slack.com/api/')
    .action(
      async (options: {
        kind: string;
        name: string;
        lang: string;
        topics: string;
        url?: string;
        token?: string;
        channel?: string;
        apiUrl?: string;
      }) => {
        if (!(CHAT_KINDS as readonly string[]).includes(options.kind))
          throw new InvalidArgumentError(`--kind must be one of ${CHAT_KINDS.join(', ')}`);
        if (options.lang !== 'fr' && options.lang !== 'en')
          throw new InvalidArgumentError('--lang must be fr or en');
        await withApp(config(), async (app) => {
          const created = await app.get(ChatService).create({
            kind: options.kind as (typeof CHAT_KINDS)[number],
            name: options.name,
            lang: options.lang as 'fr' | 'en',
            topics: options.topics.split(',').map((topic) => topic.trim()) as (typeof CHAT_TOPICS)[number][],
            url: options.url,
            // A token on the command line stays in the shell's history: the variable is offered too.
            token: options.token ?? process.env.LOVEBOARD_CHAT_TOKEN,
            channel: options.channel,
            apiUrl: options.apiUrl,
          });
          out(
            `added chat channel ${created.id} (${created.kind}, ${created.lang}) ${created.name} → ${created.hint}`,
          );
        });
      },
    );
  chat
    .command('list')
    .description('Every channel, where it posts (never its secret) and what it takes')
    .action(async () => {
      await withApp(config(), async (app) => {
        const list = await app.get(ChatService).list();
        for (const one of list)
          out(
            `${one.id}  ${one.kind.padEnd(13)}  ${one.lang}  ${one.active ? 'active  ' : 'off     '}  ${one.topics.join(',')}  ${one.name} → ${one.hint}`,
          );
        out(`chat_channels=${list.length}`);
      });
    });
  chat
    .command('remove')
    .argument('<id>', 'the channel id')
    .description('Switch a channel off (its message log stays)')
    .action(async (id: string) => {
      if (!/^[0-9a-f-]{36}$/i.test(id)) throw new InvalidArgumentError('expected a channel id');
      await withApp(config(), async (app) => {
        await app.get(ChatService).deactivate(id);
        out(`switched off ${id}`);
      });
    });
  chat
    .command('test')
    .argument('<id>', 'the channel id')
    .description('Send a test message now')
    .action(async (id: string) => {
      if (!/^[0-9a-f-]{36}$/i.test(id)) throw new InvalidArgumentError('expected a channel id');
      await withApp(config(), async (app) => {
        out(`queued test message ${await app.get(ChatService).test(id)}`);
      });
    });

  const deadLetters = program.command('dead-letters').description('Work that failed for good');
  deadLetters
    .command('list')
    .option('--all', 'include entries already retried')
    .option('--limit <n>', 'at most this many', (value) => Number.parseInt(value, 10), 100)
    .action(async (options: { all?: boolean; limit: number }) => {
      await withApp(config(), async (app) => {
        const entries = await app
          .get(DeadLetterService)
          .list(options.all ? undefined : DeadLetterStatus.Open, options.limit);
        for (const entry of entries) {
          out(
            `${entry.id}  ${entry.createdAt.toISOString()}  ${entry.status}  ${entry.jobName}  attempts=${entry.attempts}  ${entry.cause}`,
          );
        }
        out(`dead_letters=${entries.length}`);
      });
    });
  deadLetters
    .command('retry')
    .argument('[ids...]', 'dead-letter ids')
    .option('--all', 'retry every open entry')
    .action(async (ids: string[], options: { all?: boolean }) => {
      await withApp(config(), async (app) => {
        const service = app.get(DeadLetterService);
        const targets = options.all
          ? (await service.list(DeadLetterStatus.Open, 10_000)).map((entry) => entry.id)
          : ids;
        if (targets.length === 0) throw new InvalidArgumentError('name dead-letter ids, or --all');
        for (const id of targets) {
          await service.retry(id, 'cli');
          out(`retried ${id}`);
        }
        out(`retried=${targets.length}`);
      });
    });
  return program;
}

if (require.main === module) {
  buildProgram(() => loadConfigOrExit())
    .parseAsync(process.argv)
    // A command that refused (digest --send before the freeze) set process.exitCode: kept.
    .then(() => process.exit())
    .catch((error: unknown) => {
      const message =
        error instanceof DataDirInUseError || error instanceof Error ? error.message : String(error);
      process.stderr.write(`error: ${message}\n`);
      process.exit(1);
    });
}
