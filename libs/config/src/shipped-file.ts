import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * A file that ships in the repository (demo data, the training set), found from wherever the code
 * runs: sources under jest, `dist/` after a build, or a container that copied both.
 * @returns its absolute path, or null when no folder above holds it.
 */
export function findShippedFile(relativePath: string): string | null {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, relativePath))) return join(dir, relativePath);
  }
  return null;
}
