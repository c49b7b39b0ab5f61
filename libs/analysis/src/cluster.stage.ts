import { Injectable } from '@nestjs/common';
import { IrritantRepository, VerbatimRepository, VerbatimStage } from '@app/database';
import { JobHandler, JobName, JobPayload } from '@app/jobs';
import { IrritantAssigner, clusteringVector, labelOf } from '@app/nlp';
import { ModelStore } from './model-store';

/**
 * The cluster stage: each analysed verbatim joins the irritant of its category whose centroid it
 * resembles most, or starts one. Per category, under a lock, inside one transaction with the
 * verbatims' new stage: a replayed job finds them clustered already and changes nothing.
 */
@Injectable()
export class ClusterStage {
  constructor(
    private readonly verbatims: VerbatimRepository,
    private readonly irritants: IrritantRepository,
    private readonly models: ModelStore,
  ) {}

  @JobHandler(JobName.ClusterVerbatims)
  async cluster({ verbatimIds }: JobPayload<JobName.ClusterVerbatims>): Promise<void> {
    const byCategory = new Map<string, string[]>();
    for (const verbatim of await this.verbatims.findByIds(verbatimIds)) {
      if (verbatim.stage !== VerbatimStage.Analyzed || verbatim.category === null) continue;
      byCategory.set(verbatim.category, [...(byCategory.get(verbatim.category) ?? []), verbatim.id]);
    }
    if (byCategory.size === 0) return;
    const idf = await this.models.background();
    const { joinThreshold } = await this.models.current();
    for (const [category, ids] of byCategory) {
      await this.irritants.inCategoryLock(category, async (tx) => {
        const waiting = await this.irritants.lockWaiting(ids, category, tx);
        if (waiting.length === 0) return;
        const assigner = new IrritantAssigner(await this.irritants.candidates(category, tx), joinThreshold);
        const placed: { verbatimId: string; key: string }[] = [];
        const firstSeen = new Map<string, Date>();
        waiting.sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime());
        for (const verbatim of waiting) {
          const { terms, surfaces, vector } = clusteringVector(
            verbatim.redactedText ?? '',
            verbatim.lang,
            idf,
          );
          const { key, created } = assigner.place(vector, terms, surfaces);
          if (created) firstSeen.set(key, verbatim.receivedAt);
          placed.push({ verbatimId: verbatim.id, key });
        }
        const stored = new Map<string, string>();
        for (const change of assigner.changes()) {
          const label = labelOf(change.centroid) || '(no words)';
          if (change.created) {
            const seenAt = firstSeen.get(change.key) as Date;
            stored.set(
              change.key,
              await this.irritants.create({ category, label, centroid: change.centroid, seenAt }, tx),
            );
          } else {
            await this.irritants.updateCentroid(change.key, label, change.centroid, tx);
          }
        }
        const assignments = placed.map(({ verbatimId, key }) => ({
          verbatimId,
          irritantId: stored.get(key) ?? key,
        }));
        await this.irritants.attach(assignments, tx);
        await this.irritants.recount([...new Set(assignments.map((a) => a.irritantId))], tx);
      });
    }
  }
}
