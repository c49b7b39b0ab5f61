import { Injectable } from '@nestjs/common';
import { VerbatimRepository, VerbatimStage } from '@app/database';
import { JobHandler, JobName, JobPayload } from '@app/jobs';
import { Redactor } from '@app/nlp';

/**
 * The ingest stage: redacts personal data from freshly stored verbatims, so that everything shown,
 * searched, exported or analysed from here on works on the redacted text.
 */
@Injectable()
export class IngestStage {
  private readonly redactor = new Redactor();

  constructor(private readonly verbatims: VerbatimRepository) {}

  @JobHandler(JobName.IngestVerbatims)
  async ingest({ verbatimIds }: JobPayload<JobName.IngestVerbatims>): Promise<number> {
    const pending = (await this.verbatims.findByIds(verbatimIds)).filter(
      (v) => v.stage === VerbatimStage.Received,
    );
    return this.verbatims.markIngested(
      pending.map((verbatim) => ({ id: verbatim.id, redactedText: this.redactor.redact(verbatim.rawText) })),
    );
  }
}
