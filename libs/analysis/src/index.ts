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
export { PrivacyService } from './privacy.service';
