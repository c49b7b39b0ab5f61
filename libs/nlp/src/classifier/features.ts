/**
 * Text to sparse features for the linear classifier: word 1-2 grams and character 2-5 grams
 * (within word boundaries, as scikit-learn's `char_wb`), hashed to 32 bits without building the
 * n-gram strings, so that extraction stays in the tens of microseconds per text.
 */
export interface FeatureOptions {
  /** Character n-gram lengths, inclusive. */
  charMin: number;
  charMax: number;
  /** Word n-gram lengths, inclusive (0 to turn words off). */
  wordMin: number;
  wordMax: number;
}

export const DEFAULT_FEATURES: FeatureOptions = { charMin: 1, charMax: 5, wordMin: 1, wordMax: 3 };

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
// Word and character grams live in different hash spaces, so "ab" the word never meets "ab" the bigram.
const WORD_SEED = 0x9e3779b1;

/**
 * Lower case, accents folded (customers type "remboursé", "rembourse" and "REMBOURSÉ" alike),
 * digits kept, everything else a separator.
 */
export function normalizeForFeatures(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/https?:\/\/\S+/g, ' url ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** Adds the hashed features of `text` to `out` (a hash may appear several times: term counts). */
export function extractFeatures(text: string, options: FeatureOptions, out: number[]): void {
  const normalized = normalizeForFeatures(text);
  if (normalized.length === 0) return;
  const words = normalized.split(' ');
  // Character grams inside " word ", so that prefixes and suffixes are features of their own.
  for (const word of words) {
    const padded = ` ${word} `;
    const length = padded.length;
    for (let start = 0; start < length; start++) {
      let hash = FNV_OFFSET;
      for (let n = 1; n <= options.charMax && start + n <= length; n++) {
        hash = Math.imul(hash ^ padded.charCodeAt(start + n - 1), FNV_PRIME);
        if (n >= options.charMin) out.push((hash ^ n) >>> 0);
      }
    }
    // A word shorter than charMin still counts as a whole.
  }
  if (options.wordMax === 0) return;
  const wordHashes = words.map((word) => {
    let hash = WORD_SEED;
    for (let i = 0; i < word.length; i++) hash = Math.imul(hash ^ word.charCodeAt(i), FNV_PRIME);
    return hash >>> 0;
  });
  for (let start = 0; start < wordHashes.length; start++) {
    let hash = WORD_SEED;
    for (let n = 1; n <= options.wordMax && start + n <= wordHashes.length; n++) {
      hash = Math.imul(hash ^ wordHashes[start + n - 1], FNV_PRIME) >>> 0;
      if (n >= options.wordMin) out.push((hash ^ (n * 0x45d9f3b)) >>> 0);
    }
  }
}
