/**
 * Analysis benchmark: `npm run bench:nlp [-- --n 100000]`. Runs the whole per-verbatim analysis
 * (redaction, language, preparation, category, sentiment, intent, terminal, and the irritant
 * placement of the cluster stage, in memory: one assigner across categories, term weights from
 * the installation's own verbatims as the regrouping stores them) over N varied French and English
 * verbatims (`realisticText`: the public datasets and shipped examples with greetings, signatures
 * and personal data, see bench/customer-texts.ts) on one core, with the default classifier trained
 * from the shipped training set; then one regrouping pass over the most recent window (as
 * `irritants.regroup` runs it, at most REGROUP_MAX_VERBATIMS); then titles every irritant of 2+
 * verbatims (`titleOf` on its 100 most recent, as the retitling job does). Last line:
 *   docs=N seconds=S docs_per_s=R cpu_s=C peak_rss_mb=M train_s=T irritants=I regroup_s=G
 *   regrouped_irritants=J titles=K titles_s=U titles_cpu_s=V
 * `seconds` covers the analysis and placement; regroup_s and titles_s their own passes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DEFAULT_REGROUP,
  IdfTable,
  IrritantAssigner,
  LabelledText,
  LinearTextClassifier,
  Redactor,
  analyzeVerbatim,
  clusteringTerms,
  clusteringVector,
  detectLanguage,
  regroupWindow,
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
/** The regrouping's window at most (`REGROUP_MAX_VERBATIMS` of libs/analysis). */
const REGROUP_MAX_VERBATIMS = 20_000;
const assigner = new IrritantAssigner([]);
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
// The cluster stage's term weights: the installation's own verbatims, as the regrouping stores
// them (here the first 5,000, as after a first pass).
const idf = IdfTable.fromDocuments(
  texts.slice(0, 5_000).map((text) => clusteringTerms(text, detectLanguage(text).lang).terms),
);
const placed: { id: string; irritantId: string; lang: string | null; text: string }[] = [];
// Each irritant's verbatims (the most recent 100 kept), for the titling after.
const members = new Map<string, string[]>();

let checksum = 0;
const cpuBegin = process.cpuUsage();
const begin = process.hrtime.bigint();
for (let i = 0; i < N; i++) {
  const text = redactor.redact(texts[i % texts.length]);
  const analysis = analyzeVerbatim({ text, metadata: DEVICES[i % DEVICES.length] }, classifier);
  checksum += analysis.categoryConfidence;
  const reading = clusteringVector(text, analysis.lang, idf);
  const { key: group } = assigner.place(reading.vector, reading.terms, reading.surfaces, analysis.lang);
  placed.push({ id: String(i), irritantId: group, lang: analysis.lang, text });
  const list = members.get(group) ?? [];
  if (list.length >= 100) list.shift();
  list.push(text);
  members.set(group, list);
}
const seconds = Number(process.hrtime.bigint() - begin) / 1e9;
const cpuEnd = process.cpuUsage();
// CPU time says what the work costs on a loaded machine, where `seconds` says how long it waited.
const cpuSeconds = (cpuEnd.user - cpuBegin.user + cpuEnd.system - cpuBegin.system) / 1e6;
const regrouping = process.hrtime.bigint();
const window = placed.slice(-REGROUP_MAX_VERBATIMS).map((one) => ({
  ...one,
  terms: clusteringTerms(one.text, one.lang).terms,
  fixed: false,
}));
const regrouped = regroupWindow(
  window,
  new Set(),
  IdfTable.fromDocuments(window.map((one) => one.terms)),
  DEFAULT_REGROUP,
);
const regroupSeconds = Number(process.hrtime.bigint() - regrouping) / 1e9;
const regroupEnd = process.cpuUsage();
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
const titlesCpu = (titlesEnd.user - regroupEnd.user + titlesEnd.system - regroupEnd.system) / 1e6;
const peak = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) / 1024;
const irritants = assigner.size;
if (!Number.isFinite(checksum)) throw new Error('analysis produced no confidence');
process.stdout.write(
  `docs=${N} seconds=${seconds.toFixed(1)} docs_per_s=${Math.round(N / seconds)} cpu_s=${cpuSeconds.toFixed(1)} peak_rss_mb=${Math.round(peak)} train_s=${trainSeconds.toFixed(2)} irritants=${irritants} regroup_s=${regroupSeconds.toFixed(1)} regrouped_irritants=${regrouped.length} titles=${titles} titles_s=${titlesSeconds.toFixed(1)} titles_cpu_s=${titlesCpu.toFixed(1)}\n`,
);
