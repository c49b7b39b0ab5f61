export { Redactor, redact, findPii } from './redaction/redact';
export type { PiiKind, PiiMatch, RedactionPattern } from './redaction/redact';
export { passesLuhn, passesIbanChecksum } from './redaction/checksums';
export { LinearTextClassifier, DEFAULT_TRAINING, fitTemperature } from './classifier/linear-classifier';
export type { LabelledText, Prediction, TrainOptions } from './classifier/linear-classifier';
export { DEFAULT_FEATURES, normalizeForFeatures } from './classifier/features';
export type { FeatureOptions } from './classifier/features';
export { evaluate, expectedCalibrationError } from './classifier/evaluation';
export type { Evaluation, ClassMetrics } from './classifier/evaluation';
export { detectLanguage, foldAccents } from './language/language';
export type { Language, LanguageGuess } from './language/language';
export { prepareText } from './language/prepare';
export type { PreparedText } from './language/prepare';
export { analyzeSentiment } from './sentiment/sentiment';
export type { Sentiment, SentimentLabel } from './sentiment/sentiment';
export { detectIntent } from './signals/intent';
export type { Intent } from './signals/intent';
export { detectTerminal } from './signals/terminal';
export type { Terminal } from './signals/terminal';
export { DEFAULT_TAXONOMY, categoryKeys } from './taxonomy/taxonomy';
export type { Category, Taxonomy } from './taxonomy/taxonomy';
export {
  analyzeVerbatim,
  DEFAULT_TRIAGE_THRESHOLD,
  UNCLEAR_BELOW,
  UNCLEAR_CATEGORY,
} from './analysis/analyze';
export type { VerbatimAnalysis, VerbatimToAnalyze } from './analysis/analyze';
export {
  IdfTable,
  termVector,
  similarity,
  addAllToCentroid,
  addToCentroid,
  mergeCentroids,
  emptyCentroid,
  labelOf,
  removeFromCentroid,
  centroidSimilarity,
  JOIN_THRESHOLD,
  CENTROID_TERMS,
  GENERIC_CONCEPTS,
  languagesMayMeet,
} from './irritants/similarity';
export { IrritantAssigner } from './irritants/assigner';
export { conceptOf, toConcepts } from './irritants/concepts';
export { clusteringTerms, clusteringVector, normaliseForClustering } from './irritants/clustering-terms';
export { regroupWindow, DEFAULT_REGROUP } from './irritants/regroup';
export { groupingAgreement } from './irritants/agreement';
export type { GroupingAgreement } from './irritants/agreement';
export type { RegroupVerbatim, RegroupOptions, RegroupedGroup } from './irritants/regroup';
export type { ClusteringTerms } from './irritants/clustering-terms';
export type { Placement } from './irritants/assigner';
export { fitJoinThreshold, MIN_THRESHOLD_EVIDENCE } from './irritants/threshold';
export type { ThresholdEvidence } from './irritants/threshold';
export type { Centroid, TermVector } from './irritants/similarity';
export { quoteOf } from './quote';
export { ruleSentiment, labelOfSentiment, negationMarked, SENTIMENT_LABELS } from './sentiment/sentiment';
export { sentimentCues } from './sentiment/cues';
export type { SentimentCues } from './sentiment/cues';
export { trainSentimentModel, sentimentOfCategory, sentimentOfSurveyScore } from './sentiment/training';
export type { SentimentTraining } from './sentiment/training';
export { titleOf, TitleBackground } from './irritants/title';
export type { IrritantTitle, TitleOptions, TitleSource, TitleLanguage } from './irritants/title';
