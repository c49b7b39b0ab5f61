import { Module } from '@nestjs/common';
import { AnalyzeStage } from './analyze.stage';
import { ClusterStage } from './cluster.stage';
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
    IrritantTriageService,
    IrritantTitleService,
    PrivacyService,
    VerbatimGrowthService,
    TaxonomyService,
  ],
  exports: [
    ModelStore,
    IrritantTriageService,
    IrritantTitleService,
    PrivacyService,
    VerbatimGrowthService,
    TaxonomyService,
  ],
})
export class AnalysisModule {}
