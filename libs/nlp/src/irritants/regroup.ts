import { createHash } from 'node:crypto';
import {
  IdfTable,
  JOIN_THRESHOLD,
  TermVector,
  languagesMayMeet,
  strongestTerms,
  termVector,
} from './similarity';

/** A verbatim of the recent window as the regrouping reads it. */
export interface RegroupVerbatim {
  id: string;
  terms: readonly string[];
  lang: string | null;
  /** The irritant it is in now. */
  irritantId: string;
  /** A person's decision holds it where it is (its irritant is held): the pass never moves it. */
  fixed: boolean;
}

export interface RegroupOptions {
  /** Cosine with a group's centroid at which a verbatim joins it in the first pass. */
  joinThreshold: number;
  /** A verbatim whose mean cosine with the rest of its group is below this leaves it. */
  splitBelow: number;
  /** Two groups whose mean cosine between their verbatims (average link) reaches this merge. */
  mergeAbove: number;
}

/**
 * Measured on Banking77 and Bitext (README, "Irritants"): an average link of 0.2 between groups
 * brings the rewordings of one topic together without mixing topics; a verbatim whose mean cosine
 * with its group is under 0.1 shares next to nothing with it.
 */
export const DEFAULT_REGROUP: RegroupOptions = Object.freeze({
  joinThreshold: JOIN_THRESHOLD,
  splitBelow: 0.1,
  mergeAbove: 0.2,
});

/** A group after the pass: its verbatims, and the held irritant it is (null: any irritant). */
export interface RegroupedGroup {
  verbatimIds: string[];
  heldIrritantId: string | null;
}

interface Group {
  sum: Map<string, number>;
  members: number[];
  held: string | null;
  langs: Map<string, number>;
  alive: boolean;
}

const dot = (a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): number => {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let total = 0;
  for (const [term, weight] of small) {
    const other = large.get(term);
    if (other !== undefined) total += weight * other;
  }
  return total;
};

const mainLang = (langs: ReadonlyMap<string, number>): string | null => {
  let best: string | null = null;
  let count = 0;
  for (const [lang, n] of langs)
    if (n > count || (n === count && best !== null && lang < best)) {
      best = lang;
      count = n;
    }
  return best;
};

/** Terms that carry a group, to decide whether a French and an English group may meet. */
const TOP_TERMS = 20;
const topTerms = (sum: ReadonlyMap<string, number>): Set<string> =>
  new Set(
    [...sum.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, TOP_TERMS)
      .map(([term]) => term),
  );

/**
 * The order the first pass reads verbatims in: the same whatever order they arrived in (and
 * whatever their ids), from their words alone. Short, focused texts first: a long message about
 * two things, met first, would seed a group of both.
 */
const orderKey = (terms: readonly string[]): string =>
  `${createHash('sha1').update(terms.join('\u0000')).digest('hex')}`;

/**
 * The regrouping of a recent window, from scratch, so that the grouping no longer depends on the
 * order verbatims arrived in:
 * 1. held irritants (a person decided on them) are groups already, with their verbatims fixed;
 * 2. every other verbatim, in an order of its words (the shortest first), joins the group whose centroid it
 *    resembles most at `joinThreshold` (the same rule as the cluster stage, with weights from the
 *    whole window) or starts one;
 * 3. a verbatim that resembles the rest of its group too little (`splitBelow`) leaves it: an
 *    incoherent group is split;
 * 4. groups merge by average link (the mean cosine between their verbatims, exact from the sums
 *    of unit vectors) while it reaches `mergeAbove`; two held irritants never merge (a person may
 *    have split them apart), and a French and an English group only on distinctive concepts.
 * Pure: the regroup service reads the window, runs this, and maps groups to irritant ids.
 */
export function regroupWindow(
  verbatims: readonly RegroupVerbatim[],
  held: ReadonlySet<string>,
  idf: IdfTable,
  options: RegroupOptions = DEFAULT_REGROUP,
): RegroupedGroup[] {
  const vectors: TermVector[] = verbatims.map((one) => termVector(one.terms, idf));
  const groups: Group[] = [];
  const holders = new Map<string, Set<Group>>();
  const norms = new Map<Group, number>();
  const add = (group: Group, index: number): void => {
    let normSquared = norms.get(group) ?? 0;
    for (const [term, weight] of vectors[index]) {
      const before = group.sum.get(term) ?? 0;
      group.sum.set(term, before + weight);
      normSquared += (before + weight) ** 2 - before ** 2;
      if (before === 0) {
        let set = holders.get(term);
        if (!set) holders.set(term, (set = new Set()));
        set.add(group);
      }
    }
    norms.set(group, normSquared);
    group.members.push(index);
    const lang = verbatims[index].lang ?? 'other';
    group.langs.set(lang, (group.langs.get(lang) ?? 0) + 1);
  };
  const newGroup = (heldId: string | null): Group => {
    const group: Group = { sum: new Map(), members: [], held: heldId, langs: new Map(), alive: true };
    groups.push(group);
    return group;
  };

  // 1. Held irritants, with their fixed verbatims.
  const heldGroups = new Map<string, Group>();
  verbatims.forEach((one, index) => {
    if (!one.fixed || !held.has(one.irritantId)) return;
    let group = heldGroups.get(one.irritantId);
    if (!group) heldGroups.set(one.irritantId, (group = newGroup(one.irritantId)));
    add(group, index);
  });

  // 2. Every other verbatim, in an order that does not depend on arrival.
  const free = verbatims
    .map((one, index) => ({
      index,
      key: orderKey(one.terms),
      id: one.id,
      fixed: one.fixed && held.has(one.irritantId),
    }))
    .filter((one) => !one.fixed)
    // Same words, same place: the id only settles the order between identical texts.
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((one) => one.index);
  // Each verbatim is compared only with the groups holding one of its strongest terms
  // (`strongestTerms`, as placement does); a group the other terms could lift is completed.
  for (const index of free) {
    const vector = vectors[index];
    const { entries, kept, restNorm } = strongestTerms(vector, options.joinThreshold);
    const dots = new Map<Group, number>();
    for (let i = 0; i < kept; i++) {
      const [term, weight] = entries[i];
      for (const group of holders.get(term) ?? []) {
        dots.set(group, (dots.get(group) ?? 0) + weight * (group.sum.get(term) ?? 0));
      }
    }
    let best: Group | null = null;
    let bestScore = 0;
    for (const [group, product] of dots) {
      const norm = Math.sqrt(norms.get(group) ?? 1);
      let score = product / norm;
      if (score + restNorm < Math.max(options.joinThreshold, bestScore)) continue;
      for (let i = kept; i < entries.length; i++)
        score += (entries[i][1] * (group.sum.get(entries[i][0]) ?? 0)) / norm;
      if (
        score > bestScore &&
        languagesMayMeet(verbatims[index].lang, vector.keys(), mainLang(group.langs), group.sum)
      ) {
        best = group;
        bestScore = score;
      }
    }
    add(best && bestScore >= options.joinThreshold ? best : newGroup(null), index);
  }

  // 3. Split: a free verbatim that shares too little with the rest of its group leaves it.
  const fixedIndex = (index: number) => verbatims[index].fixed && held.has(verbatims[index].irritantId);
  const leavers: number[] = [];
  for (const group of groups) {
    if (group.members.length < 2) continue;
    const kept: number[] = [];
    for (const index of group.members) {
      const withRest = (dot(vectors[index], group.sum) - 1) / (group.members.length - 1);
      if (!fixedIndex(index) && withRest < options.splitBelow) leavers.push(index);
      else kept.push(index);
    }
    if (kept.length === group.members.length) continue;
    if (kept.length === 0 && group.held === null) {
      // Nobody fits anybody: the first stays, the others leave.
      kept.push(leavers.pop() as number);
    }
    rebuild(group, kept);
  }
  function rebuild(group: Group, members: number[]): void {
    for (const term of group.sum.keys()) holders.get(term)?.delete(group);
    group.sum = new Map();
    group.members = [];
    group.langs = new Map();
    norms.set(group, 0);
    for (const index of members) add(group, index);
  }
  for (const index of leavers) add(newGroup(null), index);

  // 4. Average-link merging between groups.
  const live = groups.filter((group) => group.members.length > 0 || group.held !== null);
  const tops = new Map<Group, Set<string>>();
  const topOf = (group: Group) => {
    let top = tops.get(group);
    if (!top) tops.set(group, (top = topTerms(group.sum)));
    return top;
  };
  const link = (a: Group, b: Group): number => {
    if (a.held !== null && b.held !== null) return -1;
    if (a.members.length === 0 || b.members.length === 0) return -1;
    const score = dot(a.sum, b.sum) / (a.members.length * b.members.length);
    if (score < options.mergeAbove) return score;
    const langA = mainLang(a.langs);
    const langB = mainLang(b.langs);
    if (langA !== langB && !languagesMayMeet(langA, topOf(a), langB, topOf(b))) return -1;
    return score;
  };
  const neighbours = (group: Group): Set<Group> => {
    const found = new Set<Group>();
    for (const term of group.sum.keys()) {
      for (const other of holders.get(term) ?? []) if (other !== group && other.alive) found.add(other);
    }
    return found;
  };
  const nearest = new Map<Group, { other: Group | null; score: number }>();
  const refresh = (group: Group): void => {
    let other: Group | null = null;
    let score = -1;
    for (const candidate of neighbours(group)) {
      const s = link(group, candidate);
      if (s > score) {
        score = s;
        other = candidate;
      }
    }
    nearest.set(group, { other, score });
  };
  for (const group of live) refresh(group);
  for (;;) {
    let from: Group | null = null;
    let bestScore = -1;
    for (const [group, near] of nearest) {
      if (group.alive && near.other !== null && near.score > bestScore) {
        from = group;
        bestScore = near.score;
      }
    }
    if (from === null || bestScore < options.mergeAbove) break;
    const into = (nearest.get(from) as { other: Group }).other;
    if (!into.alive) {
      refresh(from);
      continue;
    }
    // The held one (if any) survives, so that a person's irritant keeps its id.
    const [survivor, absorbed] = into.held !== null ? [into, from] : [from, into];
    for (const index of absorbed.members) add(survivor, index);
    for (const term of absorbed.sum.keys()) holders.get(term)?.delete(absorbed);
    absorbed.alive = false;
    absorbed.members = [];
    nearest.delete(absorbed);
    tops.delete(survivor);
    refresh(survivor);
    for (const [group, near] of nearest) {
      if (!group.alive || group === survivor) continue;
      if (near.other === absorbed || near.other === survivor) refresh(group);
      else {
        const s = link(group, survivor);
        if (s > near.score) nearest.set(group, { other: survivor, score: s });
      }
    }
  }

  return live
    .filter((group) => group.alive && (group.members.length > 0 || group.held !== null))
    .map((group) => ({
      verbatimIds: group.members.map((index) => verbatims[index].id),
      heldIrritantId: group.held,
    }));
}
