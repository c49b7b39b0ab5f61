import { access } from 'node:fs/promises';
import { loadConfig } from '@app/config';

/** The Chromium the product drives (CHROMIUM_PATH, through the validated config). */
export const CHROMIUM = loadConfig({ CHROMIUM_PATH: process.env.CHROMIUM_PATH }).chromiumPath;

/**
 * Debian's Chromium, which the browser monitors and the UI suites drive. The tests install nothing:
 * tools/ensure-test-services.sh does, once per machine (`.ci/run` runs it before the tests).
 */
export async function ensureChromium(): Promise<void> {
  const present = await access(CHROMIUM).then(
    () => true,
    () => false,
  );
  if (!present)
    throw new Error(`${CHROMIUM} is missing: run tools/ensure-test-services.sh (or set CHROMIUM_PATH)`);
}

/**
 * The environment Chromium starts with: the tests' own, without libfaketime. tools/date-matrix.sh
 * moves the clock of the Node processes only; preloaded into Chromium, libfaketime breaks it
 * (its crash handler's semaphores fail and the browser closes), and a person's browser keeps its
 * own clock anyway.
 */
export const CHROMIUM_ENV: Record<string, string> = Object.fromEntries(
  Object.entries(process.env).filter(
    (entry): entry is [string, string] =>
      entry[1] !== undefined && entry[0] !== 'LD_PRELOAD' && !entry[0].startsWith('FAKETIME'),
  ),
);
