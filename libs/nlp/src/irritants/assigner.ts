import { CENTROID_TERMS, Centroid, JOIN_THRESHOLD, TermVector, languagesMayMeet } from './similarity';

/**
 * An irritant while the assigner works on it: its centroid as mutable maps with its norm kept up
 * to date, so that placing a verbatim costs a dot product over the verbatim's few terms instead of
 * copying, sorting and re-measuring a 60-term centroid each time.
 */
interface Slot {
  key: string;
  /** Its main language: a French and an English text meet only on distinctive concepts. */
  lang: string | null;
  terms: Map<string, number>;
  surfaces: Map<string, string>;
  size: number;
  normSquared: number;
  created: boolean;
  changed: boolean;
}

export interface Placement {
  /** The irritant's id, or for a new irritant the key `new-<n>` the caller stores it under. */
  key: string;
  created: boolean;
  /** Cosine with the irritant joined (0 for a new one). */
  score: number;
}

/**
 * A slot keeps up to this many terms between trims: trimming to CENTROID_TERMS at every join
 * would sort at every join. Between trims, weak terms live a little longer; every centroid handed
 * out is trimmed.
 */
const TRIM_AT = CENTROID_TERMS * 2;

/**
 * Places verbatims among the recent irritants, whatever their category: each joins the irritant
 * whose centroid it resembles most when the cosine reaches the threshold (and, across French and
 * English, when they share distinctive concepts), or starts one. Pure and in memory: the cluster
 * stage runs it and stores the result; the NLP benchmark runs it alone.
 */
export class IrritantAssigner {
  private readonly slots: Slot[] = [];
  /**
   * Which irritants hold a term: a verbatim is compared only with irritants it shares a word with
   * (the others score 0), instead of with every irritant of the category.
   */
  private readonly holders = new Map<string, Set<Slot>>();
  private created = 0;

  constructor(
    irritants: readonly { id: string; centroid: Centroid; lang?: string | null }[],
    private readonly threshold = JOIN_THRESHOLD,
  ) {
    for (const { id, centroid, lang } of irritants) {
      const terms = new Map(Object.entries(centroid.terms));
      let normSquared = 0;
      for (const weight of terms.values()) normSquared += weight * weight;
      this.track({
        key: id,
        lang: lang ?? null,
        terms,
        surfaces: new Map(Object.entries(centroid.surfaces)),
        size: centroid.size,
        normSquared,
        created: false,
        changed: false,
      });
    }
  }

  place(
    vector: TermVector,
    stems: readonly string[],
    surfaces: readonly string[],
    lang: string | null = null,
  ): Placement {
    const dots = new Map<Slot, number>();
    for (const [term, weight] of vector) {
      const holders = this.holders.get(term);
      if (!holders) continue;
      for (const slot of holders) {
        const held = slot.terms.get(term);
        if (held !== undefined) dots.set(slot, (dots.get(slot) ?? 0) + weight * held);
      }
    }
    let best: Slot | null = null;
    let bestScore = 0;
    for (const [slot, dot] of dots) {
      const score = slot.normSquared > 0 ? dot / Math.sqrt(slot.normSquared) : 0;
      // Strictly greater: on a tie the first met wins, so the same input always places the same way.
      if (score > bestScore && languagesMayMeet(lang, vector.keys(), slot.lang, slot.terms)) {
        best = slot;
        bestScore = score;
      }
    }
    if (best && bestScore >= this.threshold) {
      this.add(best, vector, stems, surfaces);
      return { key: best.key, created: false, score: bestScore };
    }
    const slot: Slot = {
      key: `new-${++this.created}`,
      lang,
      terms: new Map(),
      surfaces: new Map(),
      size: 0,
      normSquared: 0,
      created: true,
      changed: true,
    };
    this.track(slot);
    this.add(slot, vector, stems, surfaces);
    return { key: slot.key, created: true, score: 0 };
  }

  /** Irritants started or grown since construction, in the order they were met, centroids trimmed. */
  changes(): { key: string; centroid: Centroid; created: boolean }[] {
    return this.slots
      .filter((slot) => slot.changed)
      .map((slot) => ({ key: slot.key, centroid: this.centroidOf(slot), created: slot.created }));
  }

  get size(): number {
    return this.slots.length;
  }

  private add(slot: Slot, vector: TermVector, stems: readonly string[], surfaces: readonly string[]): void {
    for (const [term, weight] of vector) {
      const before = slot.terms.get(term);
      const after = (before ?? 0) + weight;
      slot.terms.set(term, after);
      slot.normSquared += after * after - (before ?? 0) * (before ?? 0);
      if (before === undefined) this.holderSet(term).add(slot);
    }
    stems.forEach((stem, i) => {
      if (!slot.surfaces.has(stem)) slot.surfaces.set(stem, surfaces[i] ?? stem);
    });
    slot.size += 1;
    slot.changed = true;
    if (slot.terms.size > TRIM_AT) this.trim(slot);
  }

  /** Keeps the strongest terms, as a stored centroid does. */
  private trim(slot: Slot): void {
    const kept = strongest(slot.terms);
    for (const term of slot.terms.keys()) {
      if (!kept.has(term)) this.holders.get(term)?.delete(slot);
    }
    slot.terms = kept;
    slot.normSquared = 0;
    for (const weight of kept.values()) slot.normSquared += weight * weight;
    for (const stem of slot.surfaces.keys()) if (!kept.has(stem)) slot.surfaces.delete(stem);
  }

  private centroidOf(slot: Slot): Centroid {
    const kept = strongest(slot.terms);
    return {
      terms: Object.fromEntries(kept),
      surfaces: Object.fromEntries([...kept.keys()].map((term) => [term, slot.surfaces.get(term) ?? term])),
      size: slot.size,
    };
  }

  private track(slot: Slot): void {
    this.slots.push(slot);
    for (const term of slot.terms.keys()) this.holderSet(term).add(slot);
  }

  private holderSet(term: string): Set<Slot> {
    let set = this.holders.get(term);
    if (!set) this.holders.set(term, (set = new Set()));
    return set;
  }
}

/** The CENTROID_TERMS strongest terms, ties broken by the term, as addToCentroid keeps them. */
function strongest(terms: ReadonlyMap<string, number>): Map<string, number> {
  return new Map(
    [...terms.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, CENTROID_TERMS),
  );
}
