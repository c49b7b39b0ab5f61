// Measures reply strippers on the public reply corpus (../shared/corpora/replies-crisp, with the
// expectations of test/fixtures/corpora/replies-crisp.json) and on the cases written here
// (libs/connectors/src/email/strip-reply.cases.ts): LoveBoard's, and the npm libraries when present.
//
//   npm run build
//   npm install --no-save email-reply-parser@2.3.7 planer@1.2.0   # the libraries compared
//   node tools/compare-reply-strippers.mjs
//
// Blank lines are not counted; the rest of the text is compared exactly.
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(ROOT, 'package.json'));
const email = (file) => require(join(ROOT, 'dist', 'libs', 'connectors', 'src', 'email', file));
const { stripReply } = email('strip-reply.js');
const { REPLY_CASES } = email('strip-reply.cases.js');
const { normaliseText, prenormalise } = email('normalise.js');

const strippers = { loveboard: (text) => stripReply(text) };
try {
  const { default: EmailReplyParser } = await import('email-reply-parser');
  strippers['email-reply-parser'] = (text) => new EmailReplyParser().read(text).getVisibleText();
} catch {
  console.log('email-reply-parser not installed: skipped');
}
try {
  const planer = require('planer');
  strippers.planer = (text) => planer.extractFrom(text, 'text/plain');
} catch {
  console.log('planer not installed: skipped');
}

const words = (text) =>
  normaliseText(text)
    .split('\n')
    .filter((line) => line.trim() !== '')
    .join('\n');
const kept = (text, keep) => {
  if (keep === 'all') return words(text);
  const lines = text.split('\n');
  return words(
    keep
      .split(',')
      .flatMap((range) => {
        const [from, to = from] = range.split('-').map(Number);
        return lines.slice(from - 1, to);
      })
      .join('\n'),
  );
};
const score = (cases) =>
  Object.fromEntries(
    Object.entries(strippers).map(([name, strip]) => {
      let right = 0;
      for (const { body, expected } of cases) {
        try {
          if (words(strip(prenormalise(body))) === expected) right++;
        } catch {
          // a library that throws on a body gets it wrong
        }
      }
      return [name, `${right}/${cases.length}`];
    }),
  );

const corpus = join(ROOT, '..', 'shared', 'corpora', 'replies-crisp', 'fixtures');
const expectations = JSON.parse(
  readFileSync(join(ROOT, 'test', 'fixtures', 'corpora', 'replies-crisp.json'), 'utf8'),
);
const corpusCases = readdirSync(corpus)
  .sort()
  .map((file) => {
    const body = readFileSync(join(corpus, file), 'utf8').replace(/\r/g, '');
    return { body, expected: kept(body, expectations[file].keep) };
  });
const written = REPLY_CASES.map((one) => ({ body: one.body, expected: words(one.expected) }));
console.log('replies-crisp', score(corpusCases));
console.log('cases written here', score(written));
