import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readEmail } from './read-email';

const ROOT = join(__dirname, '../../../..');
const CORPUS = join(ROOT, '..', 'shared', 'corpora', 'bounces-sisimai');
const EXPECTED = JSON.parse(
  readFileSync(join(ROOT, 'test', 'fixtures', 'corpora', 'bounces-sisimai.json'), 'utf8'),
) as Record<string, string>;
const files = Object.keys(EXPECTED).filter((file) => file !== '_');

/**
 * The 629 bounces and auto-replies and the 3 look-alikes of ../shared/corpora/bounces-sisimai:
 * each skipped with a reason of the kind written for it after reading it, or stored.
 */
describe('readEmail on the public bounce corpus (../shared/corpora/bounces-sisimai)', () => {
  it('has an expectation for every file (629 + 3)', () => {
    expect(files.filter((file) => file.startsWith('bounces/'))).toHaveLength(629);
    expect(files.filter((file) => file.startsWith('not-bounces/'))).toHaveLength(3);
  });

  it.each(files)('%s', async (file) => {
    const reading = await readEmail(readFileSync(join(CORPUS, file)));
    if (EXPECTED[file] === 'stored') {
      expect(reading).toMatchObject({ kind: 'verbatim', from: expect.stringContaining('@') });
    } else {
      expect(reading).toMatchObject({ kind: 'skipped', reason: expect.stringMatching(/^[^:]+: \S/) });
      expect((reading as { reason: string }).reason.split(':')[0]).toBe(EXPECTED[file]);
    }
  });
});
