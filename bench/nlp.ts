/**
 * Analysis benchmark: `npm run bench:nlp [-- --n 100000]`. Runs the whole per-verbatim analysis
 * (redaction, language, preparation, category, sentiment, intent, terminal, and the irritant
 * assignment of the cluster stage, in memory) over N synthetic French and English verbatims on one
 * core, with the default classifier trained from the shipped training set, and prints as its last
 * line:
 *   docs=N seconds=S docs_per_s=R peak_rss_mb=M train_s=T irritants=I
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  IdfTable,
  IrritantAssigner,
  LabelledText,
  LinearTextClassifier,
  Redactor,
  analyzeVerbatim,
  detectLanguage,
  termVector,
  toConcepts,
  clusteringTerms,
} from '@app/nlp';

const args = process.argv.slice(2);
const index = args.indexOf('--n');
const N = index >= 0 ? Number(args[index + 1]) : 100_000;
const ROOT = join(__dirname, '..', '..');

const examples = readFileSync(join(ROOT, 'libs', 'nlp', 'src', 'taxonomy', 'training-set.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line) as LabelledText & { lang: string });

const started = process.hrtime.bigint();
const classifier = LinearTextClassifier.train(examples);
const trainSeconds = Number(process.hrtime.bigint() - started) / 1e9;
const redactor = new Redactor();
// The cluster stage's background: how distinctive each stem is in the shipped training set.
const idf = IdfTable.fromDocuments(
  examples.map(({ text }) => clusteringTerms(text, detectLanguage(text).lang).terms),
);
const assigners = new Map<string, IrritantAssigner>();
const DEVICES = [
  {},
  { device: 'android', appVersion: '12.4.1' },
  { userAgent: 'Mozilla/5.0 (iPhone)' },
  { device: 'desktop' },
];

// Synthetic verbatims: training texts recombined, with order numbers, e-mails and phones to redact.
const texts: string[] = [];
for (let i = 0; i < 5_000; i++) {
  const a = examples[(i * 7919) % examples.length].text;
  const b = examples[(i * 104_729) % examples.length].text;
  const extra =
    i % 5 === 0
      ? ` Commande ${100_000 + i}, joignable au 06 12 34 ${String(i % 90).padStart(2, '0')} 78 ou client${i}@example.com.`
      : '';
  texts.push(i % 3 === 0 ? `${a} ${b}${extra}` : `${a}${extra}`);
}

let checksum = 0;
const begin = process.hrtime.bigint();
for (let i = 0; i < N; i++) {
  const text = redactor.redact(texts[i % texts.length]);
  const analysis = analyzeVerbatim({ text, metadata: DEVICES[i % DEVICES.length] }, classifier);
  checksum += analysis.categoryConfidence;
  let assigner = assigners.get(analysis.category);
  if (!assigner) assigners.set(analysis.category, (assigner = new IrritantAssigner([])));
  const terms = toConcepts(analysis.stems);
  assigner.place(termVector(terms, idf), terms, analysis.surfaces);
}
const seconds = Number(process.hrtime.bigint() - begin) / 1e9;
const peak = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) / 1024;
const irritants = [...assigners.values()].reduce((sum, assigner) => sum + assigner.size, 0);
if (!Number.isFinite(checksum)) throw new Error('analysis produced no confidence');
process.stdout.write(
  `docs=${N} seconds=${seconds.toFixed(1)} docs_per_s=${Math.round(N / seconds)} peak_rss_mb=${Math.round(peak)} train_s=${trainSeconds.toFixed(2)} irritants=${irritants}\n`,
);
