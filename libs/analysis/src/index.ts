export { AnalysisModule } from './analysis.module';
export {
  CALIBRATION_FOLDS,
  ModelStore,
  findTrainingSet,
  readCategorySet,
  readSentimentSet,
} from './model-store';
export type { LoadedModel } from './model-store';
export { IrritantTriageService } from './irritant-triage.service';
export { IrritantTitleService } from './irritant-titles.service';
export { PrivacyService } from './privacy.service';
export { VerbatimGrowthService } from './verbatim-growth.service';
export type { GrowingVerbatim, GrowthOutcome } from './verbatim-growth.service';
export { TaxonomyService, CATEGORY_KEY, MIN_NEW_CATEGORY_EXAMPLES } from './taxonomy.service';
export type { NewCategory } from './taxonomy.service';
export { RegroupService, REGROUP_WINDOW_DAYS, REGROUP_MAX_VERBATIMS } from './regroup.service';
export type { RegroupSummary } from './regroup.service';
export { ClusteringVocabulary } from './clustering-vocabulary';
