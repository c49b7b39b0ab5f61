import { Module } from '@nestjs/common';
import { AnalyzeStage } from './analyze.stage';
import { ClusterStage } from './cluster.stage';
import { ModelStore } from './model-store';

@Module({ providers: [ModelStore, AnalyzeStage, ClusterStage], exports: [ModelStore] })
export class AnalysisModule {}
