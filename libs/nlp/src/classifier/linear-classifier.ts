import { FeatureTable } from './feature-table';
import { DEFAULT_FEATURES, FeatureOptions, extractFeatures } from './features';

export interface LabelledText {
  text: string;
  label: string;
}

export interface TrainOptions {
  features: FeatureOptions;
  /** Inverse regularisation strength of the SVM (scikit-learn's C). */
  c: number;
  /** Passes over the data at most, per class. */
  maxEpochs: number;
  /** Stop when the projected gradient's spread falls below this (liblinear's eps). */
  tolerance: number;
  /** Features seen in fewer documents than this are dropped (noise, and model size). */
  minDocumentFrequency: number;
  /** Seed of the shuffling, so that a training run is reproducible. */
  seed: number;
  /**
   * The confidence is calibrated on one fold in this many, held out (0: not calibrated, the fixed
   * scale of earlier models): a model trained on the other folds scores it, and the temperature
   * that makes those scores most likely is the final model's.
   */
  calibrationFolds: number;
}

export const DEFAULT_TRAINING: TrainOptions = {
  features: DEFAULT_FEATURES,
  c: 1,
  maxEpochs: 40,
  tolerance: 0.05,
  minDocumentFrequency: 2,
  seed: 1,
  calibrationFolds: 0,
};

export interface Prediction {
  label: string;
  /**
   * 0..1: the probability that the label is right, a softmax of the SVM margins at the model's
   * temperature (calibrated on held-out folds at training: of predictions at 0.8, about 80% right).
   */
  confidence: number;
  /** The second most likely label, for "did you mean" in triage. */
  runnerUp: string | null;
}

/** Sparse TF-IDF vector: sorted feature indices and their L2-normalised weights. */
interface SparseVector {
  indices: Int32Array;
  values: Float32Array;
}

// Margins of a linear SVM are unbounded; this scale turns them into a 0..1 confidence when the
// model was not calibrated (artefacts of format 1).
const CONFIDENCE_SCALE = 4;

/**
 * The temperature at which a softmax of the margins is calibrated: the scale that minimises the
 * negative log-likelihood of the true labels (temperature scaling, Guo et al. 2017), found by a
 * golden-section search on a log scale (the likelihood is unimodal in it).
 */
export function fitTemperature(margins: readonly Float32Array[], truth: readonly number[]): number {
  const nll = (scale: number) => {
    let total = 0;
    margins.forEach((scores, i) => {
      let top = -Infinity;
      for (const score of scores) top = Math.max(top, score);
      let sum = 0;
      for (const score of scores) sum += Math.exp(scale * (score - top));
      total -= scale * (scores[truth[i]] - top) - Math.log(sum);
    });
    return total;
  };
  let low = Math.log(0.05);
  let high = Math.log(200);
  const ratio = (Math.sqrt(5) - 1) / 2;
  for (let step = 0; step < 60; step++) {
    const a = high - ratio * (high - low);
    const b = low + ratio * (high - low);
    if (nll(Math.exp(a)) < nll(Math.exp(b))) high = b;
    else low = a;
  }
  return Math.exp((low + high) / 2);
}

/** A feature's row in `LinearTextClassifier.rows` starts with its idf and the text's count of it. */
const ROW_HEAD = 2;

function sortSparse(vector: SparseVector): void {
  const order = Array.from(vector.indices.keys()).sort((a, b) => vector.indices[a] - vector.indices[b]);
  const indices = Int32Array.from(order, (k) => vector.indices[k]);
  const values = Float32Array.from(order, (k) => vector.values[k]);
  vector.indices.set(indices);
  vector.values.set(values);
}

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A one-vs-rest linear SVM over TF-IDF word and character n-grams: the model that scores ~91% on
 * Banking77 in scikit-learn, written here so that it trains in seconds and classifies tens of
 * thousands of texts per second per core without leaving Node. Trained by dual coordinate descent
 * (the liblinear algorithm behind scikit-learn's LinearSVC, L2-regularised squared hinge loss).
 */
export class LinearTextClassifier {
  private readonly hashes: number[] = [];
  private readonly table: FeatureTable;
  /**
   * Each feature's idf, the count of it in the text being weighed (reset after each use) and its
   * weight for every class, side by side (`stride` floats per feature), built on first use: one
   * cache line per n-gram of the text instead of one in each of four arrays. The training's model
   * without weights has the first two only.
   */
  private rows: Float32Array | null = null;
  private readonly stride: number;
  /** The rows of the text's features (as offsets into `rows`) and their TF-IDF, `weigh`'s output. */
  private readonly touched: Int32Array;
  private readonly values: Float32Array;

  private constructor(
    readonly labels: readonly string[],
    readonly features: FeatureOptions,
    /** 32-bit n-gram hash -> feature index. */
    private readonly vocabulary: Map<number, number>,
    private readonly idf: Float32Array,
    /** Feature-major: the weights of feature f for every class sit together, at f * labels.length. */
    private readonly weights: Float32Array,
    private readonly bias: Float32Array,
    /** Softmax scale of the margins: calibrated at training, or the fixed one of format 1. */
    readonly temperature: number = CONFIDENCE_SCALE,
  ) {
    this.stride = ROW_HEAD + (weights.length > 0 ? labels.length : 0);
    this.touched = new Int32Array(idf.length);
    this.values = new Float32Array(idf.length);
    this.table = new FeatureTable(vocabulary, vocabulary.size);
  }

  get featureCount(): number {
    return this.idf.length;
  }

  static train(examples: readonly LabelledText[], options: Partial<TrainOptions> = {}): LinearTextClassifier {
    const settings = { ...DEFAULT_TRAINING, ...options };
    const model = LinearTextClassifier.fit(examples, settings);
    if (settings.calibrationFolds < 2 || examples.length < 4 * settings.calibrationFolds) return model;
    // Held-out margins: one fold scored by a model trained on the others (one fold only: a second
    // training of most of the data is what calibration may cost, not k of them).
    const folds = settings.calibrationFolds;
    const margins: Float32Array[] = [];
    const truth: number[] = [];
    const train = examples.filter((_, i) => i % folds !== 0);
    const heldOut = examples.filter((_, i) => i % folds === 0);
    if (new Set(train.map((example) => example.label)).size >= 2) {
      // Its margins only set a temperature: a quarter of the passes is enough for that.
      const partial = LinearTextClassifier.fit(train, {
        ...settings,
        maxEpochs: Math.max(5, Math.ceil(settings.maxEpochs / 4)),
      });
      for (const example of heldOut) {
        const index = partial.labels.indexOf(example.label);
        if (index < 0) continue;
        margins.push(partial.scores(example.text));
        truth.push(index);
      }
    }
    if (margins.length === 0) return model;
    return model.withTemperature(fitTemperature(margins, truth));
  }

  /** The same model at another softmax temperature. */
  withTemperature(temperature: number): LinearTextClassifier {
    return new LinearTextClassifier(
      this.labels,
      this.features,
      this.vocabulary,
      this.idf,
      this.weights,
      this.bias,
      temperature,
    );
  }

  private static fit(examples: readonly LabelledText[], settings: TrainOptions): LinearTextClassifier {
    if (examples.length === 0) throw new Error('no training examples');
    const labels = [...new Set(examples.map((example) => example.label))].sort();
    if (labels.length < 2) throw new Error('training needs at least two labels');

    // Vocabulary: document frequency of every hashed n-gram.
    const hashed: Uint32Array[] = [];
    const documentFrequency = new Map<number, number>();
    const buffer: number[] = [];
    for (const example of examples) {
      buffer.length = 0;
      extractFeatures(example.text, settings.features, buffer);
      const unique = Uint32Array.from(new Set(buffer));
      hashed.push(Uint32Array.from(buffer));
      for (const hash of unique) documentFrequency.set(hash, (documentFrequency.get(hash) ?? 0) + 1);
    }
    const vocabulary = new Map<number, number>();
    const frequencies: number[] = [];
    for (const [hash, df] of documentFrequency) {
      if (df >= settings.minDocumentFrequency) {
        vocabulary.set(hash, frequencies.length);
        frequencies.push(df);
      }
    }
    const n = examples.length;
    const idf = Float32Array.from(frequencies, (df) => Math.log((1 + n) / (1 + df)) + 1);

    const blank = new LinearTextClassifier(
      labels,
      settings.features,
      vocabulary,
      idf,
      new Float32Array(0),
      new Float32Array(0),
    );
    const vectors = hashed.map((hashes) => blank.vectorizeHashes(Array.from(hashes)));
    // The sparse dot products of training run faster over sorted indices (sequential memory).
    for (const vector of vectors) sortSparse(vector);
    const classOf = Int32Array.from(examples, (example) => labels.indexOf(example.label));

    const weights = new Float32Array(idf.length * labels.length);
    const bias = new Float32Array(labels.length);
    const random = mulberry32(settings.seed);
    for (let label = 0; label < labels.length; label++) {
      const { w, b } = trainBinarySvm(vectors, classOf, label, idf.length, settings, random);
      for (let f = 0; f < idf.length; f++) weights[f * labels.length + label] = w[f];
      bias[label] = b;
    }
    return new LinearTextClassifier(labels, settings.features, vocabulary, idf, weights, bias);
  }

  /**
   * TF-IDF of a text's hashed n-grams, sublinear term frequency (the tenth "refund" says less than
   * the first), L2-normalised, into `touched` and `values` in first-seen order (the dot products
   * don't care). @returns how many distinct features the text has.
   */
  private weigh(hashes: readonly number[]): number {
    const rows = (this.rows ??= this.buildRows());
    const { stride, table, touched, values } = this;
    let distinct = 0;
    for (const hash of hashes) {
      const index = table.get(hash);
      if (index < 0) continue;
      const row = index * stride;
      if (rows[row + 1] === 0) touched[distinct++] = row;
      rows[row + 1]++;
    }
    let norm = 0;
    for (let k = 0; k < distinct; k++) {
      const row = touched[k];
      const value = (1 + Math.log(rows[row + 1])) * rows[row];
      rows[row + 1] = 0;
      values[k] = value;
      norm += value * value;
    }
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let k = 0; k < distinct; k++) values[k] *= scale;
    return distinct;
  }

  /** The text's TF-IDF as a sparse vector over feature indices (training). */
  private vectorizeHashes(hashes: readonly number[]): SparseVector {
    const distinct = this.weigh(hashes);
    return {
      indices: Int32Array.from(this.touched.subarray(0, distinct), (row) => row / this.stride),
      values: this.values.slice(0, distinct),
    };
  }

  /** Raw SVM margin of every label, in `labels` order. */
  scores(text: string): Float32Array {
    this.hashes.length = 0;
    extractFeatures(text, this.features, this.hashes);
    const distinct = this.weigh(this.hashes);
    const rows = this.rows as Float32Array;
    const { touched, values } = this;
    const count = this.labels.length;
    const scores = Float32Array.from(this.bias);
    for (let k = 0; k < distinct; k++) {
      const weights = touched[k] + ROW_HEAD;
      const value = values[k];
      for (let label = 0; label < count; label++) scores[label] += value * rows[weights + label];
    }
    return scores;
  }

  private buildRows(): Float32Array {
    const { stride } = this;
    const count = stride - ROW_HEAD;
    const rows = new Float32Array(this.idf.length * stride);
    for (let feature = 0; feature < this.idf.length; feature++) {
      rows[feature * stride] = this.idf[feature];
      if (count > 0)
        rows.set(this.weights.subarray(feature * count, (feature + 1) * count), feature * stride + ROW_HEAD);
    }
    return rows;
  }

  /** The probability of every label, in `labels` order (a softmax of the margins). */
  probabilities(text: string): Float64Array {
    const scores = this.scores(text);
    let top = -Infinity;
    for (const score of scores) top = Math.max(top, score);
    const result = Float64Array.from(scores, (score) => Math.exp(this.temperature * (score - top)));
    const sum = result.reduce((total, value) => total + value, 0);
    for (let i = 0; i < result.length; i++) result[i] /= sum;
    return result;
  }

  classify(text: string): Prediction {
    const scores = this.scores(text);
    let best = 0;
    let second = -1;
    for (let i = 1; i < scores.length; i++) {
      if (scores[i] > scores[best]) {
        second = best;
        best = i;
      } else if (second < 0 || scores[i] > scores[second]) {
        second = i;
      }
    }
    let sum = 0;
    for (const score of scores) sum += Math.exp(this.temperature * (score - scores[best]));
    return {
      label: this.labels[best],
      confidence: 1 / sum,
      runnerUp: second >= 0 ? this.labels[second] : null,
    };
  }

  /** A self-contained binary artefact: JSON header, then the arrays. */
  serialize(): Buffer {
    const keys = new Uint32Array(this.vocabulary.size);
    const positions = new Int32Array(this.vocabulary.size);
    let i = 0;
    for (const [hash, index] of this.vocabulary) {
      keys[i] = hash;
      positions[i++] = index;
    }
    const header = Buffer.from(
      JSON.stringify({
        format: 'loveboard-linear-text-classifier',
        formatVersion: 2,
        labels: this.labels,
        features: this.features,
        vocabulary: keys.length,
        temperature: this.temperature,
      }),
    );
    const parts = [keys, positions, this.idf, this.weights, this.bias].map((array) =>
      Buffer.from(array.buffer, array.byteOffset, array.byteLength),
    );
    const length = Buffer.alloc(4);
    length.writeUInt32LE(header.length);
    return Buffer.concat([length, header, ...parts]);
  }

  static deserialize(data: Buffer): LinearTextClassifier {
    const headerLength = data.readUInt32LE(0);
    const header = JSON.parse(data.subarray(4, 4 + headerLength).toString('utf8')) as {
      format: string;
      formatVersion: number;
      labels: string[];
      features: FeatureOptions;
      vocabulary: number;
      temperature?: number;
    };
    if (
      header.format !== 'loveboard-linear-text-classifier' ||
      (header.formatVersion !== 1 && header.formatVersion !== 2)
    ) {
      throw new Error(
        `not a classifier artefact this version reads (${header.format} v${header.formatVersion})`,
      );
    }
    // Copy into aligned buffers: typed arrays need offsets that are multiples of 4.
    let offset = 4 + headerLength;
    const take = (bytes: number) => {
      const copy = new Uint8Array(bytes);
      copy.set(data.subarray(offset, offset + bytes));
      offset += bytes;
      return copy.buffer;
    };
    const size = header.vocabulary;
    const keys = new Uint32Array(take(size * 4));
    const positions = new Int32Array(take(size * 4));
    const idf = new Float32Array(take(size * 4));
    const weights = new Float32Array(take(size * header.labels.length * 4));
    const bias = new Float32Array(take(header.labels.length * 4));
    if (offset !== data.length) throw new Error('classifier artefact has trailing or missing bytes');
    const vocabulary = new Map<number, number>();
    for (let i = 0; i < size; i++) vocabulary.set(keys[i], positions[i]);
    const temperature =
      typeof header.temperature === 'number' && header.temperature > 0
        ? header.temperature
        : CONFIDENCE_SCALE;
    return new LinearTextClassifier(
      header.labels,
      header.features,
      vocabulary,
      idf,
      weights,
      bias,
      temperature,
    );
  }
}

/**
 * Dual coordinate descent for one class against the rest (Hsieh et al. 2008, as in liblinear's
 * L2R_L2LOSS_SVC_DUAL), with liblinear's shrinking: an example whose dual variable sits at zero
 * with a gradient above the last pass's largest projected gradient is set aside until the active
 * ones have converged, then every example is checked again before stopping. In one class against
 * 76 most examples are such negatives after three or four passes; training Banking77 (calibration
 * included) went from 27 s to 15 s here, converging to the same tolerance. The bias is a constant
 * feature of value 1, regularised like the others.
 */
function trainBinarySvm(
  vectors: readonly SparseVector[],
  classOf: Int32Array,
  positive: number,
  dimensions: number,
  settings: TrainOptions,
  random: () => number,
): { w: Float64Array; b: number } {
  const n = vectors.length;
  const w = new Float64Array(dimensions);
  let b = 0;
  const alpha = new Float64Array(n);
  const diagonal = 0.5 / settings.c;
  const qd = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = 1 + diagonal; // the bias feature contributes 1
    for (const value of vectors[i].values) sum += value * value;
    qd[i] = sum;
  }
  const order = Int32Array.from({ length: n }, (_, i) => i);
  let active = n;
  let shrinkAbove = Infinity;
  for (let epoch = 0; epoch < settings.maxEpochs; epoch++) {
    for (let i = active - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const swap = order[i];
      order[i] = order[j];
      order[j] = swap;
    }
    let maxGradient = -Infinity;
    let minGradient = Infinity;
    for (let k = 0; k < active; k++) {
      const i = order[k];
      const y = classOf[i] === positive ? 1 : -1;
      const { indices, values } = vectors[i];
      let dot = b;
      for (let t = 0; t < indices.length; t++) dot += w[indices[t]] * values[t];
      const gradient = y * dot - 1 + alpha[i] * diagonal;
      let projected = gradient;
      if (alpha[i] === 0) {
        if (gradient > shrinkAbove) {
          // Set aside: swapped past the end of the active part, and this slot read again.
          active--;
          order[k] = order[active];
          order[active] = i;
          k--;
          continue;
        }
        projected = Math.min(gradient, 0);
      }
      if (projected > maxGradient) maxGradient = projected;
      if (projected < minGradient) minGradient = projected;
      if (Math.abs(projected) > 1e-12) {
        const previous = alpha[i];
        alpha[i] = Math.max(previous - gradient / qd[i], 0);
        const step = (alpha[i] - previous) * y;
        for (let t = 0; t < indices.length; t++) w[indices[t]] += step * values[t];
        b += step;
      }
    }
    if (maxGradient - minGradient < settings.tolerance) {
      // Converged on the active examples: done if none was set aside, else check them all again.
      if (active === n) break;
      active = n;
      shrinkAbove = Infinity;
      continue;
    }
    shrinkAbove = maxGradient > 0 ? maxGradient : Infinity;
  }
  return { w, b };
}
