import { prepareText } from '../language/prepare';
import { toConcepts } from './concepts';
import { IdfTable, TermVector, termVector } from './similarity';

/** What irritant clustering compares of a text: its terms and the readable word of each. */
export interface ClusteringTerms {
  /** Stems, French and English words for one thing merged into one concept. */
  terms: string[];
  /** The word each term came from (same order): labels are made of these. */
  surfaces: string[];
}

/** The terms of a text as clustering reads them (`lang` as stored: anything but fr/en is other). */
export function clusteringTerms(text: string, lang: string | null): ClusteringTerms {
  const prepared = prepareText(text, lang === 'fr' || lang === 'en' ? lang : 'other');
  // French and English words for one thing meet as one concept: one complaint, one irritant.
  return { terms: toConcepts(prepared.stems), surfaces: prepared.surfaces };
}

/** The terms and their weighted vector against the background: what a placement compares. */
export function clusteringVector(
  text: string,
  lang: string | null,
  idf: IdfTable,
): ClusteringTerms & { vector: TermVector } {
  const read = clusteringTerms(text, lang);
  return { ...read, vector: termVector(read.terms, idf) };
}
