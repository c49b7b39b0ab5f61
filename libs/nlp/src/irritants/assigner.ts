import {
  CENTROID_TERMS,
  Centroid,
  JOIN_THRESHOLD,
  TermVector,
  languagesMayMeet,
  strongestTerms,
} from './similarity';

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
  /** When it was met first: `changes()` reports in that order. */
  order: number;
  /** Its position among the slots (set when tracked). */
  index: number;
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
 * stage keeps one per process (refreshed from the database, see `upsert`, `remove`, `rekey`) and
 * stores its placements; the NLP benchmark runs it alone.
 */
export class IrritantAssigner {
  /** Slots by position; a removed slot leaves a hole (undefined) that a new one may take. */
  private readonly slots: (Slot | undefined)[] = [];
  private readonly free: number[] = [];
  private readonly byKey = new Map<string, Slot>();
  /**
   * Which irritants hold a term: a verbatim is compared only with irritants it shares a word with
   * (the others score 0), instead of with every irritant.
   */
  private readonly holders = new Map<string, Holders>();
  /** Dot products of the verbatim being placed, by slot position (reused: no allocation per call). */
  private dots = new Float64Array(64);
  /**
   * Each slot's norm (0 when empty), by position, kept with `normSquared`: placing a verbatim
   * bounds thousands of touched irritants by their norm, and reading it from one array instead
   * of from each slot object (a cache miss each) was most of the placement's time (V8 profile).
   */
  private norms = new Float64Array(64);
  private created = 0;
  private order = 0;

  constructor(
    irritants: readonly { id: string; centroid: Centroid; lang?: string | null }[],
    public threshold = JOIN_THRESHOLD,
  ) {
    for (const { id, centroid, lang } of irritants) this.upsert(id, centroid, lang ?? null);
  }

  /** Adds an irritant as stored, or replaces the one of that id (another process grew it). */
  upsert(id: string, centroid: Centroid, lang: string | null): void {
    const known = this.byKey.get(id);
    const terms = new Map(Object.entries(centroid.terms));
    let normSquared = 0;
    for (const weight of terms.values()) normSquared += weight * weight;
    const stored = {
      lang,
      terms,
      surfaces: new Map(Object.entries(centroid.surfaces)),
      size: centroid.size,
      normSquared,
      created: false,
    };
    if (!known) {
      this.track({ key: id, ...stored, changed: false, order: 0, index: -1 });
      return;
    }
    // In place: a grown centroid keeps most of its terms, whose weights are updated where they
    // are held, instead of every term being unindexed and indexed again (the cache replaces
    // every centroid another process grew: 30,000 times a worker at 100,000 verbatims).
    for (const term of known.terms.keys()) if (!terms.has(term)) this.unhold(term, known);
    for (const [term, weight] of terms) this.holderSet(term).set(known, weight);
    Object.assign(known, stored, { order: ++this.order });
    this.measure(known);
  }

  /** Forgets an irritant (gone, or too old to be a candidate). */
  remove(key: string): void {
    const known = this.byKey.get(key);
    if (known) this.untrack(known);
  }

  /** A started irritant (`new-<n>`) now stored under its id. */
  rekey(key: string, id: string): void {
    const slot = this.byKey.get(key);
    if (!slot) return;
    this.byKey.delete(key);
    slot.key = id;
    slot.created = false;
    this.byKey.set(id, slot);
  }

  /**
   * The irritant's centroid as it is to be stored, its slot trimmed to it: a slot that held the
   * stored centroid when the batch began holds it plus the batch's verbatims, summed in the order
   * they were placed, as `addAllToCentroid` would sum them (without copying and sorting the stored
   * one again, then indexing the result again). Undefined for an unknown key.
   */
  settle(key: string): Centroid | undefined {
    const slot = this.byKey.get(key);
    if (!slot) return undefined;
    if (slot.terms.size > CENTROID_TERMS) this.trim(slot);
    return this.centroidOf(slot);
  }

  /** The irritant's main language as stored (its verbatims' majority, counted with them). */
  setLang(key: string, lang: string | null): void {
    const slot = this.byKey.get(key);
    if (slot) slot.lang = lang;
  }

  /** Starts a new batch: `changes()` reports only what is placed from now on. */
  resetChanges(): void {
    for (const slot of this.byKey.values()) slot.changed = false;
  }

  has(key: string): boolean {
    return this.byKey.has(key);
  }

  keys(): IterableIterator<string> {
    return this.byKey.keys();
  }

  place(
    vector: TermVector,
    stems: readonly string[],
    surfaces: readonly string[],
    lang: string | null = null,
  ): Placement {
    // Only irritants holding one of the verbatim's strongest terms can reach the threshold
    // (`strongestTerms`): exact for the decision, and much cheaper.
    const { entries, kept, restNorm } = strongestTerms(vector, this.threshold);
    const dots = this.dots;
    const norms = this.norms;
    const touched: number[] = [];
    for (let i = 0; i < kept; i++) {
      const [term, weight] = entries[i];
      const holders = this.holders.get(term);
      if (!holders) continue;
      // Each holder's position and weight for the term, from two arrays: no lookup, no entry object.
      const { indices, weights } = holders;
      for (let j = 0; j < indices.length; j++) {
        const index = indices[j];
        if (dots[index] === 0) touched.push(index);
        dots[index] += weight * weights[j];
      }
    }
    let best: Slot | null = null;
    let bestScore = 0;
    let bar = Math.max(this.threshold, bestScore);
    for (const index of touched) {
      const partial = dots[index];
      dots[index] = 0;
      const norm = norms[index];
      if (norm <= 0) continue;
      let score = partial / norm;
      // The left-out terms add at most their norm: complete only an irritant they could lift.
      if (score + restNorm < bar) continue;
      const slot = this.slots[index] as Slot;
      for (let i = kept; i < entries.length; i++) {
        const held = slot.terms.get(entries[i][0]);
        if (held !== undefined) score += (entries[i][1] * held) / norm;
      }
      // On a tie the irritant tracked first wins, so the same input always places the same way.
      const better = score > bestScore || (score === bestScore && best !== null && slot.order < best.order);
      if (better && languagesMayMeet(lang, vector.keys(), slot.lang, slot.terms)) {
        best = slot;
        bestScore = score;
        bar = Math.max(this.threshold, bestScore);
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
      order: 0,
      index: -1,
    };
    this.add(this.track(slot), vector, stems, surfaces);
    return { key: slot.key, created: true, score: 0 };
  }

  /**
   * Irritants started or grown since construction (or the last reset), in order, centroids
   * trimmed; only those started with `startedOnly` (the cluster stage grows the others from the
   * table's centroid).
   */
  changes(startedOnly = false): { key: string; centroid: Centroid; created: boolean }[] {
    return this.slots
      .filter((slot): slot is Slot => slot?.changed === true && (!startedOnly || slot.created))
      .sort((a, b) => a.order - b.order)
      .map((slot) => ({ key: slot.key, centroid: this.centroidOf(slot), created: slot.created }));
  }

  get size(): number {
    return this.byKey.size;
  }

  private add(slot: Slot, vector: TermVector, stems: readonly string[], surfaces: readonly string[]): void {
    for (const [term, weight] of vector) {
      const before = slot.terms.get(term);
      const after = (before ?? 0) + weight;
      slot.terms.set(term, after);
      slot.normSquared += after * after - (before ?? 0) * (before ?? 0);
      this.holderSet(term).set(slot, after);
    }
    stems.forEach((stem, i) => {
      if (!slot.surfaces.has(stem)) slot.surfaces.set(stem, surfaces[i] ?? stem);
    });
    slot.size += 1;
    slot.changed = true;
    if (slot.terms.size > TRIM_AT) this.trim(slot);
    else this.measure(slot);
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
    this.measure(slot);
  }

  /** The slot's norm where placement reads it (after every change of `normSquared`). */
  private measure(slot: Slot): void {
    this.norms[slot.index] = slot.normSquared > 0 ? Math.sqrt(slot.normSquared) : 0;
  }

  private centroidOf(slot: Slot): Centroid {
    // A stored centroid's terms are a set (their order means nothing): a trimmed slot is not sorted again.
    const kept = slot.terms.size > CENTROID_TERMS ? strongest(slot.terms) : slot.terms;
    return {
      terms: Object.fromEntries(kept),
      surfaces: Object.fromEntries([...kept.keys()].map((term) => [term, slot.surfaces.get(term) ?? term])),
      size: slot.size,
    };
  }

  private track(slot: Slot): Slot {
    const index = this.free.pop() ?? this.slots.length;
    const tracked = Object.assign(slot, { index, order: ++this.order });
    this.slots[index] = tracked;
    if (index >= this.dots.length) {
      const grown = new Float64Array(this.dots.length * 2);
      grown.set(this.dots);
      this.dots = grown;
      const norms = new Float64Array(this.norms.length * 2);
      norms.set(this.norms);
      this.norms = norms;
    }
    this.measure(tracked);
    this.byKey.set(tracked.key, tracked);
    for (const [term, weight] of tracked.terms) this.holderSet(term).set(tracked, weight);
    return tracked;
  }

  private untrack(slot: Slot): void {
    for (const term of slot.terms.keys()) this.unhold(term, slot);
    this.byKey.delete(slot.key);
    this.slots[slot.index] = undefined;
    this.free.push(slot.index);
  }

  /** The slot no longer holds the term (a term no slot holds is forgotten). */
  private unhold(term: string, slot: Slot): void {
    const set = this.holders.get(term);
    set?.delete(slot);
    if (set?.size === 0) this.holders.delete(term);
  }

  private holderSet(term: string): Holders {
    let set = this.holders.get(term);
    if (!set) this.holders.set(term, (set = new Holders()));
    return set;
  }
}

/**
 * The irritants holding a term and their weights for it, as two parallel arrays: placing a
 * verbatim walks them for each of its strongest terms (a Map of thousands of entries per common
 * term was most of the placement's cost), and a position per irritant keeps updates and removals
 * constant-time (a removal moves the last entry into the hole).
 */
class Holders {
  /** The holding slots' positions (a slot keeps its position while it is tracked). */
  readonly indices: number[] = [];
  readonly weights: number[] = [];
  /** The slots, in the same order as `indices` (to move the last one into a hole). */
  private readonly holding: Slot[] = [];
  private readonly positions = new Map<Slot, number>();

  get size(): number {
    return this.indices.length;
  }

  set(slot: Slot, weight: number): void {
    const position = this.positions.get(slot);
    if (position !== undefined) {
      this.weights[position] = weight;
      return;
    }
    this.positions.set(slot, this.indices.length);
    this.indices.push(slot.index);
    this.weights.push(weight);
    this.holding.push(slot);
  }

  delete(slot: Slot): void {
    const position = this.positions.get(slot);
    if (position === undefined) return;
    const last = this.indices.length - 1;
    if (position !== last) {
      const moved = this.holding[last];
      this.indices[position] = this.indices[last];
      this.weights[position] = this.weights[last];
      this.holding[position] = moved;
      this.positions.set(moved, position);
    }
    this.indices.pop();
    this.weights.pop();
    this.holding.pop();
    this.positions.delete(slot);
  }
}

/** The CENTROID_TERMS strongest terms, ties broken by the term, as addToCentroid keeps them. */
function strongest(terms: ReadonlyMap<string, number>): Map<string, number> {
  return new Map(
    [...terms.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, CENTROID_TERMS),
  );
}
