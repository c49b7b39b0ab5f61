import { execFile } from 'node:child_process';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CHROMIUM } from '@app/monitoring';
import { ROOT } from './processes';

const run = promisify(execFile);

/**
 * Debian's Chromium, which the browser monitors drive: installed by tools/ensure-test-services.sh
 * where missing, so that `npm test` runs on a fresh machine as it does in CI.
 */
export async function ensureChromium(): Promise<void> {
  const present = () =>
    access(CHROMIUM).then(
      () => true,
      () => false,
    );
  if (await present()) return;
  await run('bash', [join(ROOT, 'tools', 'ensure-test-services.sh')], {
    cwd: ROOT,
    timeout: 15 * 60_000,
    maxBuffer: 64 << 20,
  }).catch(() => undefined);
  if (!(await present()))
    throw new Error(`${CHROMIUM} is missing and tools/ensure-test-services.sh could not install it`);
}
