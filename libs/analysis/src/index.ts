export { AnalysisModule } from './analysis.module';
export { ModelStore, findTrainingSet } from './model-store';
export type { LoadedModel } from './model-store';
export { IrritantTriageService } from './irritant-triage.service';
export { PrivacyService } from './privacy.service';
export { VerbatimGrowthService } from './verbatim-growth.service';
export type { GrowingVerbatim, GrowthOutcome } from './verbatim-growth.service';
