import type { Taxonomy } from '@app/nlp';

/** Words a step or a KPI is named with that say nothing about a topic. */
const EMPTY = new Set(['the', 'and', 'les', 'des', 'une', 'pour', 'avec', 'page', 'step', 'time']);

const wordsOf = (text: string): string[] =>
  text
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length >= 3 && !EMPTY.has(word));

/**
 * The categories a journey step (or a KPI) is about, read from its name: a word of the name that
 * begins a word of a category's key or label, in French or English, or that such a word begins
 * ("pay" → payment, "book" → search & booking, "e-ticket" → e-ticket & delivery). Declared
 * categories come first; this reads the names people already give their steps.
 */
export function topicsOf(name: string, taxonomy: Taxonomy): Set<string> {
  const words = wordsOf(name);
  const topics = new Set<string>();
  if (words.length === 0) return topics;
  for (const category of taxonomy.categories) {
    const vocabulary = wordsOf(
      `${category.key.replace(/_/g, ' ')} ${category.label.en} ${category.label.fr}`,
    );
    if (words.some((word) => vocabulary.some((known) => known.startsWith(word) || word.startsWith(known))))
      topics.add(category.key);
  }
  return topics;
}
