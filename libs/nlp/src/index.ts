export { Redactor, redact, findPii } from './redaction/redact';
export type { PiiKind, PiiMatch, RedactionPattern } from './redaction/redact';
export { passesLuhn, passesIbanChecksum } from './redaction/checksums';
export { LinearTextClassifier, DEFAULT_TRAINING } from './classifier/linear-classifier';
export type { LabelledText, Prediction, TrainOptions } from './classifier/linear-classifier';
export { DEFAULT_FEATURES, normalizeForFeatures } from './classifier/features';
export type { FeatureOptions } from './classifier/features';
export { evaluate } from './classifier/evaluation';
export type { Evaluation, ClassMetrics } from './classifier/evaluation';
