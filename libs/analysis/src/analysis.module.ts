import { Module } from '@nestjs/common';
import { AnalyzeStage } from './analyze.stage';
import { ClusterStage } from './cluster.stage';
import { ClusteringVocabulary } from './clustering-vocabulary';
import { RegroupService } from './regroup.service';
import { IrritantTriageService } from './irritant-triage.service';
import { IrritantTitleService } from './irritant-titles.service';
import { ModelStore } from './model-store';
import { PrivacyService } from './privacy.service';
import { VerbatimGrowthService } from './verbatim-growth.service';
import { TaxonomyService } from './taxonomy.service';

@Module({
  providers: [
    ModelStore,
    AnalyzeStage,
    ClusterStage,
    ClusteringVocabulary,
    RegroupService,
    IrritantTriageService,
    IrritantTitleService,
    PrivacyService,
    VerbatimGrowthService,
    TaxonomyService,
  ],
  exports: [
    ModelStore,
    RegroupService,
    ClusteringVocabulary,
    IrritantTriageService,
    IrritantTitleService,
    PrivacyService,
    VerbatimGrowthService,
    TaxonomyService,
  ],
})
export class AnalysisModule {}
