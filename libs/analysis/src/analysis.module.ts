import { Module } from '@nestjs/common';
import { AnalyzeStage } from './analyze.stage';
import { ClusterStage } from './cluster.stage';
import { IrritantTriageService } from './irritant-triage.service';
import { ModelStore } from './model-store';
import { PrivacyService } from './privacy.service';

@Module({
  providers: [ModelStore, AnalyzeStage, ClusterStage, IrritantTriageService, PrivacyService],
  exports: [ModelStore, IrritantTriageService, PrivacyService],
})
export class AnalysisModule {}
