import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { normaliseText, prenormalise } from './normalise';
import { REPLY_CASES } from './strip-reply.cases';
import { stripReply } from './strip-reply';

const ROOT = join(__dirname, '../../../..');
const CORPUS = join(ROOT, '..', 'shared', 'corpora', 'replies-crisp', 'fixtures');
const EXPECTED = join(ROOT, 'test', 'fixtures', 'corpora', 'replies-crisp.json');

/** Blank lines do not change what the customer said; the rest is compared exactly. */
const words = (text: string) =>
  normaliseText(text)
    .split('\n')
    .filter((line) => line.trim() !== '')
    .join('\n');
const own = (body: string) => words(stripReply(prenormalise(body)));

/** The lines a `keep` range list ("1-5", "1,9-34", "all") names, 1-based. */
function kept(text: string, keep: string): string {
  if (keep === 'all') return words(text);
  const lines = text.split('\n');
  const out: string[] = [];
  for (const range of keep.split(',')) {
    const [from, to = from] = range.split('-').map(Number);
    out.push(...lines.slice(from - 1, to));
  }
  return words(out.join('\n'));
}

describe('stripReply on reply bodies written here, in each language and client', () => {
  it.each(REPLY_CASES.map((one) => [one.name, one] as const))('%s', (_name, one) => {
    expect(own(one.body)).toBe(words(one.expected));
  });
});

describe('stripReply on the public reply corpus (../shared/corpora/replies-crisp)', () => {
  const expected = existsSync(EXPECTED)
    ? (JSON.parse(readFileSync(EXPECTED, 'utf8')) as Record<string, { keep: string; why: string }>)
    : {};
  const files = existsSync(CORPUS) ? readdirSync(CORPUS).sort() : [];

  it('has every file of the corpus (90) and an expectation written for each', () => {
    expect(files).toHaveLength(90);
    expect(files.filter((file) => !expected[file])).toEqual([]);
  });

  it.each(files)('%s', (file) => {
    const text = readFileSync(join(CORPUS, file), 'utf8').replace(/\r/g, '');
    expect(own(text)).toBe(kept(text, expected[file].keep));
  });

  // Two files are templates with a placeholder where the client's line goes: filled here.
  it.each([
    'On Wed, 14 Nov 2018 08:14:43 -0200 John Doe <john@doe.com> wrote',
    '2017-11-24 16:32 GMT+01:00 Jeanne Martin <jeanne@example.com>:',
    'Am 24.11.2017 um 16:32 schrieb Hans Müller <hans@example.de>:',
    'Op 24 nov. 2017 om 16:32 heeft Jan de Vries <jan@example.nl> het volgende geschreven:',
    'W dniu 24.11.2017 o 16:32, Jan Kowalski <jan@example.pl> pisze:',
    '24 нояб. 2017 г., в 16:32, Иван <ivan@example.ru> написал(а):',
    'Den fre 24 nov. 2017 kl 16:32 skrev Sven <sven@example.se>:',
  ])('email_with_date_headers.txt with "%s"', (line) => {
    const text = readFileSync(join(CORPUS, 'email_with_date_headers.txt'), 'utf8').replace(/\r/g, '');
    expect(own(text.replace('[DATE]', line))).toBe('Thank you very much.');
  });

  it('keeps a lone "From:" line in place of [FROM]: one line is not a header block', () => {
    const text = readFileSync(join(CORPUS, 'email_with_from_headers.txt'), 'utf8').replace(/\r/g, '');
    const filled = text.replace('[FROM]', 'From: Jeanne Martin <jeanne@example.com>');
    expect(own(filled)).toBe(words(filled));
  });
});

describe('stripReply cost', () => {
  it('reads 5,000 lines that each look a little like an attribution in linear time', () => {
    const body = Array.from({ length: 5_000 }, (_, i) => `On ${i} Nov 2026 at 10:0${i % 10}, someone <`).join(
      '\n',
    );
    // Backtracking over these lines would take minutes: the test's own timeout catches it, with no
    // clock read here (a loaded machine must not fail a linear reader).
    expect(stripReply(body).length).toBeGreaterThan(0);
  }, 30_000);
});
