import { Centroid, JOIN_THRESHOLD, TermVector, addToCentroid, emptyCentroid, similarity } from './similarity';

/** An irritant as the assigner sees it: new ones get a key of their own until they are stored. */
interface Slot {
  key: string;
  centroid: Centroid;
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
 * Places verbatims of one category among its irritants: each joins the irritant whose centroid it
 * resembles most when the cosine reaches the threshold, or starts one. Pure and in memory: the
 * cluster stage runs it inside its per-category lock and stores the result; the NLP benchmark
 * runs it alone.
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
    irritants: readonly { id: string; centroid: Centroid }[],
    private readonly threshold = JOIN_THRESHOLD,
  ) {
    for (const irritant of irritants)
      this.track({ key: irritant.id, centroid: irritant.centroid, created: false, changed: false });
  }

  place(vector: TermVector, stems: readonly string[], surfaces: readonly string[]): Placement {
    const sharing = new Set<Slot>();
    for (const term of vector.keys()) for (const slot of this.holders.get(term) ?? []) sharing.add(slot);
    let best: Slot | null = null;
    let bestScore = 0;
    for (const slot of sharing) {
      const score = similarity(vector, slot.centroid);
      // Strictly greater: on a tie the first met wins, so the same input always places the same way.
      if (score > bestScore) {
        best = slot;
        bestScore = score;
      }
    }
    if (best && bestScore >= this.threshold) {
      best.centroid = addToCentroid(best.centroid, vector, stems, surfaces);
      best.changed = true;
      this.index(best);
      return { key: best.key, created: false, score: bestScore };
    }
    const slot: Slot = {
      key: `new-${++this.created}`,
      centroid: addToCentroid(emptyCentroid(), vector, stems, surfaces),
      created: true,
      changed: true,
    };
    this.track(slot);
    return { key: slot.key, created: true, score: 0 };
  }

  /** Irritants started or grown since construction, in the order they were started. */
  changes(): { key: string; centroid: Centroid; created: boolean }[] {
    return this.slots
      .filter((slot) => slot.changed)
      .map(({ key, centroid, created }) => ({ key, centroid, created }));
  }

  get size(): number {
    return this.slots.length;
  }

  private track(slot: Slot): void {
    this.slots.push(slot);
    this.index(slot);
  }

  private index(slot: Slot): void {
    for (const term of Object.keys(slot.centroid.terms)) {
      let set = this.holders.get(term);
      if (!set) this.holders.set(term, (set = new Set()));
      set.add(slot);
    }
  }
}
