/**
 * Near-duplicate grouping of verbatims into irritants. A verbatim is a bag of stems weighted by
 * how distinctive each stem is (IDF against a background corpus: "bonjour" and "toujours" weigh
 * little, "fauteuil" and "3-D Secure" a lot), compared by cosine with the centroid of each
 * irritant of its category. Measured on the demo data: at 0.15, the 34 "3-D Secure refused"
 * complaints fall into a handful of irritants (French and English apart) instead of 34.
 */
export type TermVector = Map<string, number>;

export interface Centroid {
  /** Summed weights of the irritant's verbatims, the strongest kept. */
  terms: Record<string, number>;
  /** A readable word for each stem: the first surface form seen. */
  surfaces: Record<string, string>;
  /** Verbatims folded into it. */
  size: number;
}

/** Terms kept per centroid: enough to recognise a topic, small enough to store and compare. */
export const CENTROID_TERMS = 60;
/**
 * Cosine above which a verbatim joins an irritant rather than starting one. Terms are words and
 * pairs of neighbouring words weighted against the installation's own verbatims: measured on
 * Banking77 and Bitext (README, "Irritants"), 0.3 keeps irritants pure without scattering a topic.
 */
export const JOIN_THRESHOLD = 0.3;

/** How distinctive a stem is, learnt from a background corpus of stem lists. */
export class IdfTable {
  private constructor(
    private readonly frequencies: ReadonlyMap<string, number>,
    private readonly documents: number,
  ) {}

  static fromDocuments(documents: readonly (readonly string[])[]): IdfTable {
    const frequencies = new Map<string, number>();
    for (const stems of documents)
      for (const stem of new Set(stems)) frequencies.set(stem, (frequencies.get(stem) ?? 0) + 1);
    return new IdfTable(frequencies, documents.length);
  }

  /** A table stored as document frequencies (the installation's vocabulary). */
  static fromFrequencies(frequencies: Readonly<Record<string, number>>, documents: number): IdfTable {
    return new IdfTable(new Map(Object.entries(frequencies)), documents);
  }

  /** No background at all: every term weighs the same (a fresh installation's first verbatims). */
  static uniform(): IdfTable {
    return new IdfTable(new Map(), 0);
  }

  get documentCount(): number {
    return this.documents;
  }

  /**
   * The frequencies worth storing: a term seen once weighs as an unknown one does (about), so
   * it is left out and the stored table stays small.
   */
  frequenciesSeenTwice(): Record<string, number> {
    const kept: Record<string, number> = {};
    for (const [term, df] of this.frequencies) if (df >= 2) kept[term] = df;
    return kept;
  }

  weight(stem: string): number {
    const df = this.frequencies.get(stem);
    // A stem the background never saw is distinctive, but not more than a rare known one: a
    // single typo must not outweigh the topic.
    return df === undefined
      ? Math.log(this.documents + 1) * 0.6 + 1
      : Math.log((this.documents + 1) / (df + 1)) + 1;
  }
}

export function termVector(stems: readonly string[], idf: IdfTable): TermVector {
  const counts = new Map<string, number>();
  for (const stem of stems) counts.set(stem, (counts.get(stem) ?? 0) + 1);
  let norm = 0;
  for (const [stem, count] of counts) {
    const weight = (1 + Math.log(count)) * idf.weight(stem);
    counts.set(stem, weight);
    norm += weight * weight;
  }
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (const [stem, weight] of counts) counts.set(stem, weight * scale);
  return counts;
}

export function emptyCentroid(): Centroid {
  return { terms: {}, surfaces: {}, size: 0 };
}

export function similarity(vector: TermVector, centroid: Centroid): number {
  let norm = 0;
  for (const weight of Object.values(centroid.terms)) norm += weight * weight;
  if (norm === 0) return 0;
  let dot = 0;
  for (const [term, weight] of vector) dot += weight * (centroid.terms[term] ?? 0);
  return dot / Math.sqrt(norm);
}

/** The centroid with one more verbatim in it (a new object; the input is left as it was). */
export function addToCentroid(
  centroid: Centroid,
  vector: TermVector,
  stems: readonly string[],
  surfaces: readonly string[],
): Centroid {
  return addAllToCentroid(centroid, [{ vector, terms: stems, surfaces }]);
}

/**
 * A batch of verbatims added to a centroid at once: their weights summed, then the strongest terms
 * kept (one sort, not one per verbatim). Summed in a Map and given surfaces for the kept terms
 * only: copying the stored objects whole (dictionary-mode objects keyed by stems) was most of the
 * cost, called for every irritant a batch grows (12.5 s of the API's and workers' CPU in a
 * profiled `bench:ingest` of 100,000; 130 µs a call, then 80).
 */
export function addAllToCentroid(
  centroid: Centroid,
  readings: readonly { vector: TermVector; terms: readonly string[]; surfaces: readonly string[] }[],
): Centroid {
  if (readings.length === 0) return centroid;
  const weights = new Map<string, number>();
  for (const term in centroid.terms) weights.set(term, centroid.terms[term]);
  for (const { vector } of readings)
    for (const [term, weight] of vector) weights.set(term, (weights.get(term) ?? 0) + weight);
  const strongest = [...weights]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, CENTROID_TERMS);
  // The first surface seen: the centroid's own, else the first reading's that has the stem.
  const firstSurface = new Map<string, string>();
  for (const { terms: stems, surfaces } of readings)
    stems.forEach((stem, i) => {
      if (centroid.surfaces[stem] === undefined && !firstSurface.has(stem))
        firstSurface.set(stem, surfaces[i] ?? stem);
    });
  return {
    terms: Object.fromEntries(strongest),
    surfaces: Object.fromEntries(
      strongest.map(([term]) => [term, centroid.surfaces[term] ?? firstSurface.get(term) ?? term]),
    ),
    size: centroid.size + readings.length,
  };
}

/**
 * A verbatim's terms, strongest first, and how many of them a comparison must look up: the terms
 * after `kept` weigh less than `threshold` together (their norm, `restNorm`), so an irritant
 * sharing only those cannot reach it (Cauchy-Schwarz), and they can lift a partial score by
 * `restNorm` at most. Placement and the regrouping look irritants up by the kept terms only
 * (the common words, held by thousands of irritants, are mostly the ones left out).
 */
export function strongestTerms(
  vector: TermVector,
  threshold: number,
): { entries: [string, number][]; kept: number; restNorm: number } {
  const entries = [...vector].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const bound = threshold * threshold;
  let kept = entries.length;
  let rest = 0;
  while (kept > 0 && rest + entries[kept - 1][1] ** 2 < bound) rest += entries[--kept][1] ** 2;
  return { entries, kept, restNorm: Math.sqrt(rest) };
}

/** One centroid for two irritants a person decided are the same (exact: centroids are sums). */
export function mergeCentroids(a: Centroid, b: Centroid): Centroid {
  const terms: Record<string, number> = { ...a.terms };
  for (const [term, weight] of Object.entries(b.terms)) terms[term] = (terms[term] ?? 0) + weight;
  const kept = Object.fromEntries(
    Object.entries(terms)
      .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))
      .slice(0, CENTROID_TERMS),
  );
  const surfaces = { ...b.surfaces, ...a.surfaces };
  return {
    terms: kept,
    surfaces: Object.fromEntries(Object.keys(kept).map((term) => [term, surfaces[term] ?? term])),
    size: a.size + b.size,
  };
}

/** A label a person reads: the irritant's strongest words, in the customers' own spelling. */
export function labelOf(centroid: Centroid, maxTerms = 4): string {
  return Object.entries(centroid.terms)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, maxTerms)
    .map(([term]) => centroid.surfaces[term] ?? term)
    .join(', ');
}

/**
 * The centroid without one verbatim, as a triager moved it out. Centroids keep only their
 * strongest terms, so this is the sum as stored minus the verbatim: weights that fall to nothing
 * leave the centroid.
 */
export function removeFromCentroid(centroid: Centroid, vector: TermVector): Centroid {
  const terms: Record<string, number> = { ...centroid.terms };
  for (const [term, weight] of vector) {
    if (terms[term] === undefined) continue;
    const left = terms[term] - weight;
    if (left > 1e-9) terms[term] = left;
    else delete terms[term];
  }
  return {
    terms,
    surfaces: Object.fromEntries(Object.keys(terms).map((term) => [term, centroid.surfaces[term] ?? term])),
    size: Math.max(0, centroid.size - 1),
  };
}

/** Cosine between two centroids: how alike two irritants are. */
export function centroidSimilarity(a: Centroid, b: Centroid): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (const [term, weight] of Object.entries(a.terms)) {
    normA += weight * weight;
    dot += weight * (b.terms[term] ?? 0);
  }
  for (const weight of Object.values(b.terms)) normB += weight * weight;
  return normA === 0 || normB === 0 ? 0 : dot / Math.sqrt(normA * normB);
}

/**
 * Concepts French and English share that say nothing of a topic on their own: time ("heure" /
 * "hour"), luggage ("bagage" / "bag"), politeness, a problem, a customer. A French and an
 * English text meet only through two distinctive concepts at least (see `sharesDistinctConcepts`).
 */
export const GENERIC_CONCEPTS: ReadonlySet<string> = new Set(
  [
    'hour',
    'minute',
    'day',
    'week',
    'month',
    'tomorrow',
    'morning',
    'evening',
    'night',
    'weekend',
    'date',
    'time',
    'duration',
    'first',
    'second',
    'urgent',
    'luggage',
    'thanks',
    'hello',
    'bad',
    'great',
    'easy',
    'difficult',
    'problem',
    'customer',
    'information',
    'need',
    'use',
    'try',
    'understand',
    'request',
    'answer',
    'wait',
    'assistance',
    'impossible',
    'work',
    'find',
    'change',
    'receive',
    'send',
    'number',
    'user',
    'fix',
    'solution',
    'wrong',
    'contact',
    'call',
    'message',
    'open',
    'close',
    'fast',
    'slow',
    'kind',
    'rude',
    'english',
    'french',
    'euro',
    'money',
    'amount',
  ].map((name) => `~${name}`),
);

/** Distinct terms French and English can share that tell a topic: not generic, not a pair. */
function distinctShared(a: Iterable<string>, b: { has(term: string): boolean }): number {
  let shared = 0;
  for (const term of a) if (!term.includes(' ') && !GENERIC_CONCEPTS.has(term) && b.has(term)) shared++;
  return shared;
}

/** Distinct concepts two texts (or irritants) of different languages need in common to meet. */
export const CROSS_LANGUAGE_MIN_SHARED = 2;

/**
 * Whether texts in these languages may meet on these terms: always within one language (or when
 * one is unknown), and across French and English only through two distinctive shared terms, so
 * that "heure" and "bagage" do not pull a hotel review into an airline complaint.
 */
export function languagesMayMeet(
  langA: string | null,
  termsA: Iterable<string>,
  langB: string | null,
  termsB: { has(term: string): boolean },
): boolean {
  const known = (lang: string | null) => lang === 'fr' || lang === 'en';
  if (!known(langA) || !known(langB) || langA === langB) return true;
  return distinctShared(termsA, termsB) >= CROSS_LANGUAGE_MIN_SHARED;
}
