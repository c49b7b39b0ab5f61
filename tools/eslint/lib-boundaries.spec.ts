import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** What the rule reports for each `[file, code]`, as if the code were that file (ESLint's Linter). */
function lintAll(cases: [string, string][]): string[][] {
  const script = `
    import { Linter } from 'eslint';
    import rule from './tools/eslint/lib-boundaries.mjs';
    const linter = new Linter({ cwd: process.cwd() });
    const config = [{
      files: ['**/*.ts'],
      plugins: { local: { rules: { 'lib-boundaries': rule } } },
      rules: { 'local/lib-boundaries': 'error' },
    }];
    const cases = JSON.parse(process.env.CASES);
    process.stdout.write(JSON.stringify(cases.map(([filename, code]) =>
      linter.verify(code, config, { filename }).map((m) => m.message))));
  `;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: ROOT,
    env: { ...process.env, CASES: JSON.stringify(cases.map(([file, code]) => [join(ROOT, file), code])) },
  });
  return JSON.parse(out.toString()) as string[][];
}

const CASES: [string, string][] = [
  ['libs/connectors/src/x.ts', "import { IngestService } from '@app/ingest';"],
  ['libs/board/src/x.ts', "import { KpiService } from '@app/monitoring';"],
  ['apps/api/src/x.ts', "import { DigestService } from '@app/digest';"],
  ['test/x.ts', "import { BoardService } from '@app/board';"],
  ['libs/connectors/src/x.ts', "import { KpiService } from '@app/monitoring';"],
  ['libs/ingest/src/x.ts', "import { SourcePoller } from '@app/connectors';"],
  ['libs/config/src/x.ts', "export { Verbatim } from '@app/database';"],
  ['libs/board/src/x.ts', "import { X } from '@app/jobs/src/catalogue';"],
  ['libs/board/src/x.ts', "import { X } from '../../jobs/src';"],
  ['libs/newlib/src/x.ts', "import { X } from '@app/config';"],
];
let reported: string[][];
beforeAll(() => {
  reported = lintAll(CASES);
});
const lint = (index: number) => reported[index];

describe('lint rule local/lib-boundaries', () => {
  it('lets a lib import a lower tier, and apps and tests import any lib', () => {
    for (const index of [0, 1, 2, 3])
      expect({ case: CASES[index], reported: lint(index) }).toEqual({ case: CASES[index], reported: [] });
  });

  it('refuses a lib importing a lib of its own tier or above, saying what to do', () => {
    const [sameTier] = lint(4);
    expect(sameTier).toMatch(/'connectors' may not import '@app\/monitoring'.*through a job/);
    const [above] = lint(5);
    expect(above).toMatch(/'ingest' may not import '@app\/connectors'/);
    expect(lint(6)).toHaveLength(1);
  });

  it('refuses deep paths, climbing out of a lib, and a lib placed in no tier', () => {
    expect(lint(7)[0]).toMatch(/through its entry point '@app\/jobs'/);
    expect(lint(8)[0]).toMatch(/leaves libs\/board/);
    expect(lint(9)[0]).toMatch(/has no tier/);
  });
});
