import { Injectable } from '@nestjs/common';
import { Channel, IrritantRepository, Transactions, VerbatimRepository } from '@app/database';
import { JobName, JobQueue } from '@app/jobs';
import { clusteringVector, labelOf, removeFromCentroid } from '@app/nlp';
import { ClusteringVocabulary } from './clustering-vocabulary';

/** A verbatim as a change to it sees it. */
export interface GrowingVerbatim {
  rawText: string;
  metadata: Record<string, unknown>;
  channel: Channel;
}

export type GrowthOutcome = 'grown' | 'updated' | 'unchanged' | 'missing';

const ATTEMPTS = 5;

/**
 * Verbatims that grow after they were stored: a chat conversation that a platform delivers message
 * by message is one verbatim whose text gets each new message. A grown verbatim leaves its irritant
 * (its old words out of the centroid, under the clustering lock, as a triage decision does) and goes back through redaction, analysis and clustering with its whole new text.
 */
@Injectable()
export class VerbatimGrowthService {
  constructor(
    private readonly irritants: IrritantRepository,
    private readonly verbatims: VerbatimRepository,
    private readonly transactions: Transactions,
    private readonly vocabulary: ClusteringVocabulary,
    private readonly jobs: JobQueue,
  ) {}

  /**
   * Applies `change` to the verbatim as it is when locked (called again if it moved meanwhile):
   * null leaves it as it is; the same text with other metadata updates only those.
   */
  async grow(
    verbatimId: string,
    change: (current: GrowingVerbatim) => GrowingVerbatim | null,
  ): Promise<GrowthOutcome> {
    const idf = await this.vocabulary.current();
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const [peek] = await this.irritants.peekVerbatims([verbatimId]);
      if (!peek) return 'missing';
      const [irritant] = peek.irritantId ? await this.irritants.findByIds([peek.irritantId]) : [];
      const inLock = <T>(work: Parameters<Transactions['run']>[0]) =>
        (irritant ? this.irritants.inClusteringLock(work) : this.transactions.run(work)) as Promise<T>;
      const outcome = await inLock<GrowthOutcome | 'moved'>(async (tx) => {
        const [verbatim] = await this.irritants.lockVerbatims([verbatimId], tx);
        if (!verbatim) return 'missing';
        if (verbatim.irritantId !== (irritant?.id ?? null)) return 'moved';
        const next = change({
          rawText: verbatim.rawText,
          metadata: verbatim.metadata,
          channel: verbatim.channel,
        });
        if (next === null) return 'unchanged';
        if (next.rawText === verbatim.rawText) {
          await this.verbatims.updateMetadata(verbatimId, next, tx);
          return 'updated';
        }
        if (irritant) {
          const [locked] = await this.irritants.lockIrritants([irritant.id], tx);
          if (locked) {
            const old = clusteringVector(verbatim.redactedText ?? '', verbatim.lang, idf).vector;
            const shrunk = removeFromCentroid(locked.centroid, old);
            await this.irritants.detach(verbatimId, tx);
            await this.irritants.updateCentroid(locked.id, labelOf(shrunk) || locked.label, shrunk, tx);
            await this.irritants.recount([locked.id], tx);
            await this.irritants.deleteEmpty([locked.id], tx);
          }
        }
        await this.verbatims.regrow(verbatimId, next, tx);
        return 'grown';
      });
      if (outcome === 'moved') continue;
      // A lost enqueue is caught by the sweeper, as for any verbatim waiting in `received`.
      if (outcome === 'grown')
        await this.jobs.requeue(JobName.IngestVerbatims, { verbatimIds: [verbatimId] });
      return outcome;
    }
    throw new Error(`verbatim ${verbatimId} kept moving between irritants while it grew`);
  }
}
