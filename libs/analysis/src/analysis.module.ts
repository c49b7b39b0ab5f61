import { Module } from '@nestjs/common';
import { AnalyzeStage } from './analyze.stage';
import { ModelStore } from './model-store';

@Module({ providers: [ModelStore, AnalyzeStage], exports: [ModelStore] })
export class AnalysisModule {}
