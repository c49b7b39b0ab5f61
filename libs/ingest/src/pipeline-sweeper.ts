import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/config';
import { ImportRepository, VerbatimRepository, VerbatimStage } from '@app/database';
import { BullJobQueue, JobHandler, JobName, JobQueue, verbatimBatches } from '@app/jobs';
import { IngestService } from './ingest.service';

const SWEEP_LIMIT = 50_000;

/**
 * Jobs are hints; the database is the truth. Whatever has waited in a stage for longer than a job
 * could take (its job lost in a Redis restart, or its process killed between commit and enqueue)
 * is enqueued again. Stages are idempotent, so enqueueing too much is harmless.
 */
@Injectable()
export class PipelineSweeper implements OnModuleInit {
  private readonly logger = new Logger(PipelineSweeper.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly verbatims: VerbatimRepository,
    private readonly imports: ImportRepository,
    private readonly ingest: IngestService,
    private readonly jobs: JobQueue,
  ) {}

  onModuleInit(): void {
    // A Redis that restarted empty lost every queued job: what waits in the database is enqueued
    // again at once, by whichever process notices first (the same batches, the same job ids).
    if (this.jobs instanceof BullJobQueue) this.jobs.onForgotten(() => this.sweep(new Date()));
  }

  @JobHandler(JobName.SweepPipeline)
  async sweepStale(): Promise<void> {
    await this.sweep(new Date(Date.now() - this.config.sweepAfterSeconds * 1_000));
  }

  /** @param olderThan work created before this instant is considered lost. */
  async sweep(olderThan: Date): Promise<{ chunks: number; verbatims: number }> {
    const chunkIds = await this.imports.findWaitingChunks(olderThan, SWEEP_LIMIT);
    await this.jobs.addMany(
      JobName.ImportChunk,
      chunkIds.map((chunkId) => ({ chunkId })),
    );
    const received = await this.verbatims.findWaiting(VerbatimStage.Received, olderThan, SWEEP_LIMIT);
    await this.ingest.enqueueIngest(received);
    const ingested = await this.verbatims.findWaiting(VerbatimStage.Ingested, olderThan, SWEEP_LIMIT);
    await this.jobs.addMany(JobName.AnalyzeVerbatims, verbatimBatches(ingested));
    const analyzed = await this.verbatims.findWaiting(VerbatimStage.Analyzed, olderThan, SWEEP_LIMIT);
    await this.jobs.addMany(JobName.ClusterVerbatims, verbatimBatches(analyzed));
    const verbatims = received.length + ingested.length + analyzed.length;
    if (chunkIds.length + verbatims > 0) {
      this.logger.log({ chunks: chunkIds.length, verbatims }, 're-enqueued waiting work');
    }
    return { chunks: chunkIds.length, verbatims };
  }
}
