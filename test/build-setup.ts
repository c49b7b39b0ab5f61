import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * Before the e2e and slow tiers: builds what changed since the last build (tools/build.mjs; nothing
 * when nothing did), since some suites run the built apps as real processes and the browser suites
 * load the built UI. A suite run alone (`jest test/foo.e2e-spec.ts`) gets the same.
 */
export default function buildSetup(): void {
  execFileSync(process.execPath, [join(__dirname, '..', 'tools', 'build.mjs'), '--quiet'], {
    stdio: 'inherit',
  });
}
