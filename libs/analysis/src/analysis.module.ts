import { Module } from '@nestjs/common';
import { AnalyzeStage } from './analyze.stage';
import { ClusterStage } from './cluster.stage';
import { IrritantTriageService } from './irritant-triage.service';
import { ModelStore } from './model-store';

@Module({
  providers: [ModelStore, AnalyzeStage, ClusterStage, IrritantTriageService],
  exports: [ModelStore, IrritantTriageService],
})
export class AnalysisModule {}
