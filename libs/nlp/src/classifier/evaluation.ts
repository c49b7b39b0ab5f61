import type { LabelledText, LinearTextClassifier } from './linear-classifier';

export interface ClassMetrics {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface Evaluation {
  accuracy: number;
  macroF1: number;
  perClass: ClassMetrics[];
  /** Classifications per second on one core, measured over the test set. */
  docsPerSecond: number;
  /**
   * Expected calibration error: over 15 equal-width bins of confidence, how far the share of right
   * answers stands from the mean confidence, weighted by the bin's size (0: perfectly calibrated).
   */
  ece: number;
}

/** Expected calibration error of (confidence, right or wrong) pairs, over `bins` equal-width bins. */
export function expectedCalibrationError(
  predictions: readonly { confidence: number; correct: boolean }[],
  bins = 15,
): number {
  const count = new Array<number>(bins).fill(0);
  const confidence = new Array<number>(bins).fill(0);
  const right = new Array<number>(bins).fill(0);
  for (const prediction of predictions) {
    const bin = Math.min(bins - 1, Math.floor(prediction.confidence * bins));
    count[bin]++;
    confidence[bin] += prediction.confidence;
    if (prediction.correct) right[bin]++;
  }
  let ece = 0;
  for (let bin = 0; bin < bins; bin++) {
    if (count[bin] === 0) continue;
    ece +=
      (count[bin] / predictions.length) * Math.abs(right[bin] / count[bin] - confidence[bin] / count[bin]);
  }
  return ece;
}

/** Accuracy, macro-F1 and per-class precision/recall/F1 of a model on held-out examples. */
export function evaluate(model: LinearTextClassifier, test: readonly LabelledText[]): Evaluation {
  if (test.length === 0) throw new Error('no test examples');
  const labels = [...new Set([...model.labels, ...test.map((example) => example.label)])].sort();
  const truePositive = new Map<string, number>();
  const predicted = new Map<string, number>();
  const actual = new Map<string, number>();
  let correct = 0;
  // Let the JIT settle first, so that the rate is that of a running service, not of a cold start.
  for (let i = 0; i < Math.min(1_000, test.length); i++) model.classify(test[i].text);
  const started = process.hrtime.bigint();
  const predictions = test.map((example) => model.classify(example.text));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  test.forEach((example, i) => {
    const guess = predictions[i].label;
    actual.set(example.label, (actual.get(example.label) ?? 0) + 1);
    predicted.set(guess, (predicted.get(guess) ?? 0) + 1);
    if (guess === example.label) {
      correct++;
      truePositive.set(guess, (truePositive.get(guess) ?? 0) + 1);
    }
  });
  const perClass = labels
    .filter((label) => (actual.get(label) ?? 0) > 0)
    .map((label) => {
      const tp = truePositive.get(label) ?? 0;
      const precision = tp / Math.max(1, predicted.get(label) ?? 0);
      const recall = tp / Math.max(1, actual.get(label) ?? 0);
      const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
      return { label, precision, recall, f1, support: actual.get(label) ?? 0 };
    });
  return {
    accuracy: correct / test.length,
    macroF1: perClass.reduce((sum, metrics) => sum + metrics.f1, 0) / perClass.length,
    perClass,
    docsPerSecond: test.length / Math.max(seconds, 1e-9),
    ece: expectedCalibrationError(
      predictions.map((prediction, i) => ({
        confidence: prediction.confidence,
        correct: prediction.label === test[i].label,
      })),
    ),
  };
}
