/** How a grouping agrees with reference labels: what `nlp:irritants-eval` prints. */
export interface GroupingAgreement {
  groups: number;
  /** Normalised mutual information (arithmetic mean of the entropies), 0..1. */
  nmi: number;
  /** Of the items in groups of 2 or more, the share carrying their group's majority label. */
  purity2: number;
  /** The share of items in groups of 5 or more. */
  shareIn5Plus: number;
}

/** Compares groups (`group` of each item) with labels (`label` of each item). */
export function groupingAgreement(items: readonly { group: string; label: string }[]): GroupingAgreement {
  const n = items.length;
  if (n === 0) return { groups: 0, nmi: 0, purity2: 0, shareIn5Plus: 0 };
  const byGroup = new Map<string, Map<string, number>>();
  const byLabel = new Map<string, number>();
  for (const { group, label } of items) {
    let labels = byGroup.get(group);
    if (!labels) byGroup.set(group, (labels = new Map()));
    labels.set(label, (labels.get(label) ?? 0) + 1);
    byLabel.set(label, (byLabel.get(label) ?? 0) + 1);
  }
  let mutual = 0;
  let groupEntropy = 0;
  let labelEntropy = 0;
  let majority2 = 0;
  let in2 = 0;
  let in5 = 0;
  for (const labels of byGroup.values()) {
    let size = 0;
    let top = 0;
    for (const count of labels.values()) {
      size += count;
      top = Math.max(top, count);
    }
    const p = size / n;
    groupEntropy -= p * Math.log(p);
    for (const [label, count] of labels) {
      const joint = count / n;
      mutual += joint * Math.log(joint / (p * ((byLabel.get(label) as number) / n)));
    }
    if (size >= 2) {
      in2 += size;
      majority2 += top;
    }
    if (size >= 5) in5 += size;
  }
  for (const count of byLabel.values()) labelEntropy -= (count / n) * Math.log(count / n);
  const denominator = groupEntropy + labelEntropy;
  return {
    groups: byGroup.size,
    // One group and one label: nothing to tell apart, they agree.
    nmi: denominator === 0 ? 1 : (2 * mutual) / denominator,
    purity2: in2 === 0 ? 0 : majority2 / in2,
    shareIn5Plus: in5 / n,
  };
}
