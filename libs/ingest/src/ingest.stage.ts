import { Injectable } from '@nestjs/common';
import { VerbatimRepository, VerbatimStage } from '@app/database';
import { JobHandler, JobName, JobPayload, JobQueue } from '@app/jobs';
import { Redactor } from '@app/nlp';

/**
 * The ingest stage: redacts personal data from freshly stored verbatims, so that everything shown,
 * searched, exported or analysed from here on works on the redacted text.
 */
@Injectable()
export class IngestStage {
  private readonly redactor = new Redactor();

  constructor(
    private readonly verbatims: VerbatimRepository,
    private readonly jobs: JobQueue,
  ) {}

  @JobHandler(JobName.IngestVerbatims)
  async ingest({ verbatimIds }: JobPayload<JobName.IngestVerbatims>): Promise<void> {
    const pending = (await this.verbatims.findByIds(verbatimIds)).filter(
      (v) => v.stage === VerbatimStage.Received,
    );
    await this.verbatims.markIngested(
      pending.map((verbatim) => ({ id: verbatim.id, redactedText: this.redactor.redact(verbatim.rawText) })),
    );
    // Every verbatim of the payload now waiting for analysis, not only those this run moved: a
    // replay after a crash between the commit above and this enqueue must finish the hand-on.
    const ready = await this.verbatims.findInStage(verbatimIds, VerbatimStage.Ingested);
    if (ready.length > 0) await this.jobs.add(JobName.AnalyzeVerbatims, { verbatimIds: ready });
  }
}
