import { Injectable } from '@nestjs/common';
import { Verbatim, VerbatimRepository, VerbatimStage } from '@app/database';
import { JobHandler, JobName, JobPayload, JobQueue } from '@app/jobs';
import { analyzeVerbatim } from '@app/nlp';
import { LoadedModel, ModelStore } from './model-store';

/**
 * The analyze stage: language, category (with the model version that chose it), sentiment, intent
 * and terminal of ingested verbatims, from their redacted text and the connector's metadata.
 */
@Injectable()
export class AnalyzeStage {
  constructor(
    private readonly verbatims: VerbatimRepository,
    private readonly models: ModelStore,
    private readonly jobs: JobQueue,
  ) {}

  @JobHandler(JobName.AnalyzeVerbatims)
  async analyze({ verbatimIds }: JobPayload<JobName.AnalyzeVerbatims>): Promise<void> {
    const pending = (await this.verbatims.findByIds(verbatimIds)).filter(
      (v) => v.stage === VerbatimStage.Ingested,
    );
    if (pending.length > 0) await this.analyzeAll(pending, await this.models.current());
    // Every verbatim of the payload now analysed, not only those this run moved: a replay after a
    // crash between the commit and this enqueue must finish the hand-on.
    const ready = await this.verbatims.findInStage(verbatimIds, VerbatimStage.Analyzed);
    if (ready.length > 0) await this.jobs.add(JobName.ClusterVerbatims, { verbatimIds: ready });
  }

  private async analyzeAll(pending: Verbatim[], model: LoadedModel): Promise<void> {
    await this.verbatims.markAnalyzed(
      pending.map((verbatim) => {
        const analysis = analyzeVerbatim(
          { text: verbatim.redactedText ?? '', lang: verbatim.lang, metadata: verbatim.metadata },
          model.classifier,
          undefined,
          model.sentiment,
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
