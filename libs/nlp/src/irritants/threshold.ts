import { JOIN_THRESHOLD } from './similarity';

/**
 * What a triager's decision says about the join threshold: a verbatim moved out of an irritant
 * should not have joined it (its similarity was too low to count), one moved into an irritant or
 * two irritants merged should have been together.
 */
export interface ThresholdEvidence {
  similarity: number;
  shouldJoin: boolean;
}

/** Below this many decisions the default threshold stands: a few moves are anecdotes. */
export const MIN_THRESHOLD_EVIDENCE = 20;
const LOWEST = 0.05;
const HIGHEST = 0.6;
const STEP = 0.01;

/**
 * The join threshold that agrees best with the triage team's decisions: the cut that classifies
 * most of them right (at or above joins, below does not), the one nearest the default on a tie,
 * and the default itself while there are too few decisions.
 */
export function fitJoinThreshold(
  evidence: readonly ThresholdEvidence[],
  fallback = JOIN_THRESHOLD,
): { threshold: number; agreement: number | null; decisions: number } {
  const usable = evidence.filter((item) => Number.isFinite(item.similarity));
  if (usable.length < MIN_THRESHOLD_EVIDENCE)
    return { threshold: fallback, agreement: null, decisions: usable.length };
  let best = fallback;
  let bestRight = -1;
  for (let step = 0; LOWEST + step * STEP <= HIGHEST + 1e-9; step++) {
    const cut = Math.round((LOWEST + step * STEP) * 100) / 100;
    let right = 0;
    for (const item of usable) if (item.similarity >= cut === item.shouldJoin) right++;
    if (right > bestRight || (right === bestRight && Math.abs(cut - fallback) < Math.abs(best - fallback))) {
      best = cut;
      bestRight = right;
    }
  }
  return { threshold: best, agreement: bestRight / usable.length, decisions: usable.length };
}
