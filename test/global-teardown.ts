import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describeFindings, RUN_DIR_ENV, recordedTexts, scanLogDirectory } from './support/log-scan';
import { XSS_CORPUS } from './support/xss-corpus';

/**
 * Secret values the suites use as literals (test/support/app.ts, test/webhooks.e2e-spec.ts); random
 * ones (API keys, sessions, webhook secrets) are found by their shape.
 */
const KNOWN_SECRETS = [
  'test-author-key-secret-0123456789',
  'test-secrets-key-0123456789abcdef0123456789',
  'a-shared-secret-of-ours',
];

/**
 * Fails the run when any log line of any application or process the tests started holds a
 * credential, a customer's personal data or verbatim text. The message says where and what kind,
 * never the value.
 */
export default function globalTeardown(): void {
  const runDir = process.env[RUN_DIR_ENV];
  if (runDir === undefined) return;
  const logDir = join(runDir, 'logs');
  const report = scanLogDirectory(logDir, {
    texts: [...recordedTexts(runDir), ...XSS_CORPUS],
    secrets: KNOWN_SECRETS,
  });
  if (report.findings.length > 0) throw new Error(describeFindings(report.findings, logDir));
  process.stdout.write(`\nLog scan: ${report.lines} lines in ${report.files} files, no leak\n`);
  // Kept on a leak (the message names the files); nothing to look at otherwise.
  if (process.env.LOVEBOARD_TEST_RUN_DIR_OWNED === 'true') rmSync(runDir, { recursive: true, force: true });
}
