import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RUN_DIR_ENV } from './support/log-scan';

/**
 * One directory per test run: `logs/` receives the log lines of every application and process the
 * tests start (LOG_DIR, honoured by the product's logger setup, passed on by test/support/app.ts and
 * processes.ts), `texts/` the texts the tests post. test/global-teardown.ts scans them.
 * Set in process.env here, before jest starts the suites, so that every suite inherits them.
 */
export default function globalSetup(): void {
  // A directory given by the caller is kept; one made here is removed after a clean scan.
  if (process.env[RUN_DIR_ENV] === undefined) process.env.LOVEBOARD_TEST_RUN_DIR_OWNED = 'true';
  const runDir = process.env[RUN_DIR_ENV] ?? mkdtempSync(join(tmpdir(), 'loveboard-test-run-'));
  const logDir = join(runDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  process.env[RUN_DIR_ENV] = runDir;
  process.env.LOG_DIR = logDir;
}
