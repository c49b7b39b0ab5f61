/**
 * Analysis benchmark: `npm run bench:nlp [-- --n 100000]`. Runs the whole per-verbatim analysis
 * (redaction, language, preparation, category, sentiment, intent, terminal, and the irritant
 * assignment of the cluster stage, in memory) over N varied French and English verbatims
 * (`realisticText`: the public datasets and shipped examples with greetings, signatures and personal
 * data, see bench/customer-texts.ts) on one core, with the default classifier trained from the
 * shipped training set, then titles every irritant of 2+ verbatims (`titleOf` on its 100 most
 * recent, as the retitling job does), and prints as its last line:
 *   docs=N seconds=S docs_per_s=R peak_rss_mb=M train_s=T irritants=I titles=K titles_s=U
 * `seconds` covers the analysis and assignment; titles_s the titling alone.
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
  TitleBackground,
  titleOf,
} from '@app/nlp';
import { realisticText, textPools } from './customer-texts';

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

const pools = textPools();
process.stderr.write(
  `texts: ${Object.entries(pools.origins)
    .map(([origin, count]) => `${origin} ${count}`)
    .join(', ')}\n`,
);
// Drawn before the clock starts: the benchmark measures the analysis, not the drawing.
const texts = Array.from({ length: Math.min(N, 100_000) }, (_, i) => realisticText(pools, i).text);
// Each irritant's verbatims (the most recent 100 kept), for the titling after.
const members = new Map<string, string[]>();

let checksum = 0;
const cpuBegin = process.cpuUsage();
const begin = process.hrtime.bigint();
for (let i = 0; i < N; i++) {
  const text = redactor.redact(texts[i % texts.length]);
  const analysis = analyzeVerbatim({ text, metadata: DEVICES[i % DEVICES.length] }, classifier);
  checksum += analysis.categoryConfidence;
  let assigner = assigners.get(analysis.category);
  if (!assigner) assigners.set(analysis.category, (assigner = new IrritantAssigner([])));
  const terms = toConcepts(analysis.stems);
  const { key } = assigner.place(termVector(terms, idf), terms, analysis.surfaces);
  const group = `${analysis.category}/${key}`;
  const list = members.get(group) ?? [];
  if (list.length >= 100) list.shift();
  list.push(text);
  members.set(group, list);
}
const seconds = Number(process.hrtime.bigint() - begin) / 1e9;
const cpuEnd = process.cpuUsage();
// CPU time says what the work costs on a loaded machine, where `seconds` says how long it waited.
const cpuSeconds = (cpuEnd.user - cpuBegin.user + cpuEnd.system - cpuBegin.system) / 1e6;
const titling = process.hrtime.bigint();
const background = TitleBackground.fromTexts(
  texts.slice(0, 5_000).map((text) => ({ text, lang: detectLanguage(text).lang })),
);
let titles = 0;
for (const list of members.values()) {
  if (list.length < 2) continue;
  const titled = titleOf(
    list.map((text) => ({ text, lang: detectLanguage(text).lang })),
    { weight: background.weight },
  );
  if (titled) titles++;
}
const titlesSeconds = Number(process.hrtime.bigint() - titling) / 1e9;
const titlesEnd = process.cpuUsage();
const titlesCpu = (titlesEnd.user - cpuEnd.user + titlesEnd.system - cpuEnd.system) / 1e6;
const peak = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) / 1024;
const irritants = [...assigners.values()].reduce((sum, assigner) => sum + assigner.size, 0);
if (!Number.isFinite(checksum)) throw new Error('analysis produced no confidence');
process.stdout.write(
  `docs=${N} seconds=${seconds.toFixed(1)} docs_per_s=${Math.round(N / seconds)} cpu_s=${cpuSeconds.toFixed(1)} peak_rss_mb=${Math.round(peak)} train_s=${trainSeconds.toFixed(2)} irritants=${irritants} titles=${titles} titles_s=${titlesSeconds.toFixed(1)} titles_cpu_s=${titlesCpu.toFixed(1)}\n`,
);
