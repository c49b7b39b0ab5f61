import { readFileSync } from 'node:fs';
import { IdfTable, clusteringTerms, detectLanguage, titleOf, conceptOf, LabelledText } from '@app/nlp';
const ROOT = '/work/h14t';
const examples = readFileSync(`${ROOT}/libs/nlp/src/taxonomy/training-set.jsonl`, 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as LabelledText);
const idf = IdfTable.fromDocuments(
  examples.map(({ text }) => clusteringTerms(text, detectLanguage(text).lang).terms),
);
const weight = (stem: string) => idf.weight(conceptOf(stem));
const file = process.argv[2];
const field = process.argv[3] ?? 'label';
const rows = readFileSync(file, 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as Record<string, string>);
const groups = new Map<string, { text: string; lang: string }[]>();
for (const r of rows) {
  const k = r[field];
  if (!groups.has(k)) groups.set(k, []);
  groups.get(k)!.push({ text: r.text, lang: r.lang ?? 'en' });
}
let n = 0;
for (const [k, g] of groups) {
  if (n++ > Number(process.argv[4] ?? 30)) break;
  const t = titleOf(g.slice(0, 200), { weight });
  console.log(
    `${k} (${g.length}): ${t?.title} ${t?.other ? '| ' + t.other.lang + ': ' + t.other.title : ''}\n    “${t?.quote}”`,
  );
}
