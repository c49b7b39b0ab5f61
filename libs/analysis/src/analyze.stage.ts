import { Injectable } from '@nestjs/common';
import { VerbatimRepository, VerbatimStage } from '@app/database';
import { JobHandler, JobName, JobPayload } from '@app/jobs';
import { analyzeVerbatim } from '@app/nlp';
import { ModelStore } from './model-store';

/**
 * The analyze stage: language, category (with the model version that chose it), sentiment, intent
 * and terminal of ingested verbatims, from their redacted text and the connector's metadata.
 */
@Injectable()
export class AnalyzeStage {
  constructor(
    private readonly verbatims: VerbatimRepository,
    private readonly models: ModelStore,
  ) {}

  @JobHandler(JobName.AnalyzeVerbatims)
  async analyze({ verbatimIds }: JobPayload<JobName.AnalyzeVerbatims>): Promise<void> {
    const pending = (await this.verbatims.findByIds(verbatimIds)).filter(
      (v) => v.stage === VerbatimStage.Ingested,
    );
    if (pending.length === 0) return;
    const model = await this.models.current();
    await this.verbatims.markAnalyzed(
      pending.map((verbatim) => {
        const analysis = analyzeVerbatim(
          { text: verbatim.redactedText ?? '', lang: verbatim.lang, metadata: verbatim.metadata },
          model.classifier,
        );
        return {
          id: verbatim.id,
          lang: analysis.lang,
          category: analysis.category,
          categoryConfidence: analysis.categoryConfidence,
          needsTriage: analysis.needsTriage,
          sentiment: analysis.sentiment,
          sentimentLabel: analysis.sentimentLabel,
          intent: analysis.intent,
          terminal: analysis.terminal,
          modelVersion: model.version,
        };
      }),
    );
  }
}
