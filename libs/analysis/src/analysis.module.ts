import { Module } from '@nestjs/common';
import { AnalyzeStage } from './analyze.stage';
import { ClusterStage } from './cluster.stage';
import { IrritantTriageService } from './irritant-triage.service';
import { ModelStore } from './model-store';
import { PrivacyService } from './privacy.service';
import { TaxonomyService } from './taxonomy.service';

@Module({
  providers: [ModelStore, AnalyzeStage, ClusterStage, IrritantTriageService, PrivacyService, TaxonomyService],
  exports: [ModelStore, IrritantTriageService, PrivacyService, TaxonomyService],
})
export class AnalysisModule {}
