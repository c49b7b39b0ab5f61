import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, spawnApp } from './support/processes';

const BANKING77 = join(ROOT, '..', 'shared', 'datasets', 'banking77_en.jsonl');

/**
 * The published accuracy of the category classifier, reproduced by the command the README gives:
 * Banking77's official split (Casanueva et al. 2020, CC BY 4.0, in ../shared/datasets).
 */
describe('cli nlp:eval', () => {
  const run = (args: string[]) => spawnApp('cli', args, { LOG_LEVEL: 'warn' });

  (existsSync(BANKING77) ? it : it.skip)('scores at least 0.91 accuracy on Banking77', async () => {
    const cli = run(['nlp:eval', '--data', BANKING77]);
    expect(await cli.exited).toBe(0);
    const last = cli.output().trim().split('\n').pop() as string;
    const match =
      /^accuracy=(0\.\d{4}) macro_f1=(0\.\d{4}) train_s=([\d.]+) classify_docs_per_s=(\d+) ece=(0\.\d{4})$/.exec(
        last,
      );
    expect(match).not.toBeNull();
    expect(Number(match?.[1])).toBeGreaterThanOrEqual(0.91);
    // Calibrated on held-out examples at training: confidence says how often it is right.
    expect(Number(match?.[5])).toBeLessThan(0.05);
    expect(cli.output()).toMatch(/^card_arrival\s+0\.\d{4}\s+0\.\d{4}\s+0\.\d{4}\s+40$/m);
  });

  it('measures irritants through the real pipeline on a fresh embedded database, and says so on its last line', async () => {
    const file = join(ROOT, 'test', 'fixtures', 'irritants-eval-tiny.jsonl');
    const cli = run(['nlp:irritants-eval', '--data', file, '--label-field', 'intent']);
    expect(await cli.exited).toBe(0);
    const lines = cli.output().trim().split('\n');
    const last = lines[lines.length - 1];
    const match =
      /^irritants=(\d+) nmi=(\d\.\d{3}) purity2=(\d\.\d{3}) share_in_5plus=(\d\.\d{3}) seconds=(\d+)$/.exec(
        last,
      );
    expect(match).not.toBeNull();
    // Ten test rows (the training row is not read), every one clustered.
    expect(cli.output()).toMatch(/^rows=10 skipped=0 unclustered=0 /m);
    const irritants = Number(match?.[1]);
    expect(irritants).toBeGreaterThanOrEqual(1);
    expect(irritants).toBeLessThanOrEqual(10);
    for (const figure of [match?.[2], match?.[3], match?.[4]]) {
      expect(Number(figure)).toBeGreaterThanOrEqual(0);
      expect(Number(figure)).toBeLessThanOrEqual(1);
    }
  });

  it('refuses an irritants file without usable rows', async () => {
    const file = join(ROOT, 'test', 'fixtures', 'nlp-train-only.jsonl');
    const cli = run(['nlp:irritants-eval', '--data', file, '--label-field', 'intent']);
    expect(await cli.exited).not.toBe(0);
    expect(cli.output()).toMatch(/no test rows with text and intent/);
  });

  it('refuses a file without a test split, and names bad lines', async () => {
    const file = join(ROOT, 'test', 'fixtures', 'nlp-train-only.jsonl');
    const cli = run(['nlp:eval', '--data', file]);
    expect(await cli.exited).not.toBe(0);
    expect(cli.output()).toMatch(/line 3: needs text, label and split/);
    expect(cli.output()).toMatch(/rows with split "test"/);
  });
});
