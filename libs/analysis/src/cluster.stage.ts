import { Injectable } from '@nestjs/common';
import { IrritantCentroid, IrritantRepository, VerbatimRepository, VerbatimStage } from '@app/database';
import { JobHandler, JobName, JobPayload } from '@app/jobs';
import {
  JOIN_THRESHOLD,
  addToCentroid,
  emptyCentroid,
  labelOf,
  prepareText,
  similarity,
  termVector,
} from '@app/nlp';
import { ModelStore } from './model-store';

interface Candidate {
  id: string;
  centroid: IrritantCentroid;
  changed: boolean;
}

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
    for (const [category, ids] of byCategory) {
      await this.irritants.inCategoryLock(category, async (tx) => {
        const waiting = await this.irritants.lockWaiting(ids, category, tx);
        if (waiting.length === 0) return;
        const candidates: Candidate[] = (await this.irritants.candidates(category, tx)).map((irritant) => ({
          id: irritant.id,
          centroid: irritant.centroid,
          changed: false,
        }));
        // Which candidates hold a term: a verbatim is compared only with irritants it shares a word
        // with (the others score 0), instead of every irritant of the category.
        const holders = new Map<string, Set<Candidate>>();
        const index = (candidate: Candidate) => {
          for (const term of Object.keys(candidate.centroid.terms)) {
            let set = holders.get(term);
            if (!set) holders.set(term, (set = new Set()));
            set.add(candidate);
          }
        };
        candidates.forEach(index);
        const assignments: { verbatimId: string; irritantId: string }[] = [];
        waiting.sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime());
        for (const verbatim of waiting) {
          const lang = verbatim.lang === 'fr' || verbatim.lang === 'en' ? verbatim.lang : 'other';
          const prepared = prepareText(verbatim.redactedText ?? '', lang);
          const vector = termVector(prepared.stems, idf);
          let best: Candidate | null = null;
          let bestScore = 0;
          const sharing = new Set<Candidate>();
          for (const term of vector.keys())
            for (const candidate of holders.get(term) ?? []) sharing.add(candidate);
          for (const candidate of sharing) {
            const score = similarity(vector, candidate.centroid);
            if (score > bestScore) {
              best = candidate;
              bestScore = score;
            }
          }
          if (best && bestScore >= JOIN_THRESHOLD) {
            best.centroid = addToCentroid(best.centroid, vector, prepared.stems, prepared.surfaces);
            best.changed = true;
            index(best);
            assignments.push({ verbatimId: verbatim.id, irritantId: best.id });
            continue;
          }
          const centroid = addToCentroid(emptyCentroid(), vector, prepared.stems, prepared.surfaces);
          const id = await this.irritants.create(
            { category, label: labelOf(centroid) || '(no words)', centroid, seenAt: verbatim.receivedAt },
            tx,
          );
          const created: Candidate = { id, centroid, changed: false };
          candidates.push(created);
          index(created);
          assignments.push({ verbatimId: verbatim.id, irritantId: id });
        }
        for (const candidate of candidates.filter((c) => c.changed)) {
          await this.irritants.updateCentroid(
            candidate.id,
            labelOf(candidate.centroid),
            candidate.centroid,
            tx,
          );
        }
        await this.irritants.attach(assignments, tx);
        await this.irritants.recount([...new Set(assignments.map((a) => a.irritantId))], tx);
      });
    }
  }
}
