import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  AuditRepository,
  FeedbackKind,
  Irritant,
  IrritantFeedback,
  IrritantRepository,
  RedirectRepository,
  Verbatim,
  VerbatimStage,
} from '@app/database';
import {
  Centroid,
  IdfTable,
  addToCentroid,
  centroidSimilarity,
  clusteringVector,
  emptyCentroid,
  labelOf,
  mergeCentroids,
  removeFromCentroid,
  similarity,
} from '@app/nlp';
import { ClusteringVocabulary } from './clustering-vocabulary';

type Lesson = Omit<IrritantFeedback, 'id' | 'createdAt'>;

/** A verbatim as clustering reads it. */
const read = (verbatim: Verbatim, idf: IdfTable) =>
  clusteringVector(verbatim.redactedText ?? '', verbatim.lang, idf);

const CLUSTERED_OR_ANALYZED: readonly string[] = [VerbatimStage.Analyzed, VerbatimStage.Clustered];

/**
 * The triage team's decisions on irritants: merge two, split verbatims off into a new one, move one
 * verbatim. Each decision runs under the clustering lock (shared: never while the regrouping
 * rewrites the window) with row locks on the irritants it changes (the cluster stage re-reads a
 * centroid under the same lock before it grows it), keeps the centroids true to the decision so
 * that later verbatims follow it, holds the irritants it touched (the regrouping leaves their
 * verbatims where the person put them), is audited, and is stored as a lesson that the next
 * training fits the join threshold to.
 */
@Injectable()
export class IrritantTriageService {
  constructor(
    private readonly irritants: IrritantRepository,
    private readonly audit: AuditRepository,
    private readonly vocabulary: ClusteringVocabulary,
    private readonly redirects: RedirectRepository,
  ) {}

  /** Merges `sourceId` into `intoId`: its verbatims move, the centroids add up, it is deleted. */
  async merge(sourceId: string, intoId: string, actor: string): Promise<void> {
    if (sourceId === intoId) throw new BadRequestException('an irritant cannot be merged into itself');
    await this.existing([sourceId, intoId]);
    await this.irritants.inClusteringLock(async (tx) => {
      const [lockedSource, lockedInto] = await this.lockAll([sourceId, intoId], tx);
      await this.irritants.hold([intoId], actor, tx);
      const centroid = mergeCentroids(lockedInto.centroid, lockedSource.centroid);
      await this.irritants.moveAll(sourceId, lockedInto, actor, tx);
      await this.irritants.updateCentroid(intoId, labelOf(centroid) || lockedInto.label, centroid, tx);
      await this.irritants.remove(sourceId, tx);
      // Links, bookmarks and boards that name the merged irritant lead to the one it lives on as.
      await this.redirects.redirect(sourceId, intoId, 'merge', actor, new Date(), tx);
      await this.irritants.recount([intoId], tx);
      await this.irritants.recordFeedback(
        [
          {
            kind: FeedbackKind.Merge,
            verbatimId: null,
            irritantId: intoId,
            similarity: centroidSimilarity(lockedSource.centroid, lockedInto.centroid),
            shouldJoin: true,
          },
        ].map((lesson) => ({ ...lesson, actor })),
        tx,
      );
      await this.audit.record(
        {
          actor,
          action: 'irritant.merge',
          subjectType: 'irritant',
          subjectId: intoId,
          before: { merged: { id: sourceId, label: lockedSource.label, category: lockedSource.category } },
          after: { into: intoId },
        },
        tx,
      );
    });
  }

  /**
   * Splits verbatims off an irritant into a new irritant of the same category, pinned there; their
   * words leave the old centroid, so later verbatims like them join the new one.
   * @returns the new irritant's id.
   */
  async split(irritantId: string, verbatimIds: string[], actor: string): Promise<string> {
    const ids = [...new Set(verbatimIds)];
    await this.existing([irritantId]);
    const idf = await this.vocabulary.current();
    return this.irritants.inClusteringLock(async (tx) => {
      const [locked] = await this.lockAll([irritantId], tx);
      const verbatims = await this.irritants.lockVerbatims(ids, tx);
      const strangers = ids.filter(
        (id) => !verbatims.some((v) => v.id === id && v.irritantId === irritantId),
      );
      if (strangers.length > 0) {
        throw new BadRequestException(
          `not verbatims of irritant ${irritantId}: ${strangers.slice(0, 10).join(', ')}`,
        );
      }
      if (verbatims.length >= locked.verbatimCount) {
        throw new BadRequestException('a split must leave at least one verbatim in the irritant');
      }
      const readings = verbatims.map((verbatim) => read(verbatim, idf));
      let remaining = locked.centroid;
      let split: Centroid = emptyCentroid();
      for (const one of readings) {
        remaining = removeFromCentroid(remaining, one.vector);
        split = addToCentroid(split, one.vector, one.terms, one.surfaces);
      }
      const seenAt = new Date(Math.min(...verbatims.map((v) => v.receivedAt.getTime())));
      const newId = await this.irritants.create(
        {
          category: locked.category,
          lang: locked.lang,
          label: labelOf(split) || '(no words)',
          centroid: split,
          seenAt,
        },
        tx,
      );
      await this.irritants.hold([irritantId, newId], actor, tx);
      const lessons: Lesson[] = [];
      readings.forEach((one, i) => {
        const lesson = { kind: FeedbackKind.Split, verbatimId: verbatims[i].id, actor };
        // Each split verbatim should not have joined what remains, and belongs with the others.
        lessons.push({
          ...lesson,
          irritantId,
          similarity: similarity(one.vector, remaining),
          shouldJoin: false,
        });
        if (readings.length > 1) {
          const others = removeFromCentroid(split, one.vector);
          lessons.push({
            ...lesson,
            irritantId: newId,
            similarity: similarity(one.vector, others),
            shouldJoin: true,
          });
        }
      });
      await this.irritants.placeByHand(ids, { id: newId, category: locked.category }, actor, tx);
      await this.irritants.updateCentroid(irritantId, labelOf(remaining) || locked.label, remaining, tx);
      await this.irritants.recount([irritantId, newId], tx);
      await this.irritants.recordFeedback(lessons, tx);
      await this.audit.record(
        {
          actor,
          action: 'irritant.split',
          subjectType: 'irritant',
          subjectId: irritantId,
          before: { verbatimCount: locked.verbatimCount },
          after: { into: newId, verbatimIds: ids },
        },
        tx,
      );
      return newId;
    });
  }

  /**
   * Moves one verbatim into an irritant (of its category or another: then it is a category
   * correction too). Moving it where it already is changes nothing.
   * @returns the irritant it left, if any.
   */
  async move(verbatimId: string, intoId: string, actor: string): Promise<{ from: string | null }> {
    await this.existing([intoId]);
    const idf = await this.vocabulary.current();
    const [peek] = await this.irritants.peekVerbatims([verbatimId]);
    if (!peek) throw new NotFoundException(`verbatim ${verbatimId} does not exist`);
    if (!CLUSTERED_OR_ANALYZED.includes(peek.stage) || peek.category === null) {
      throw new ConflictException(`verbatim ${verbatimId} is not analysed yet (stage ${peek.stage})`);
    }
    return this.irritants.inClusteringLock(async (tx) => {
      const [verbatim] = await this.irritants.lockVerbatims([verbatimId], tx);
      if (verbatim.category !== peek.category) {
        throw new ConflictException(`verbatim ${verbatimId} changed category meanwhile: try again`);
      }
      const fromId = verbatim.irritantId;
      if (fromId === intoId) return { from: fromId };
      const locked = await this.lockAll(fromId ? [fromId, intoId] : [intoId], tx);
      await this.irritants.hold(fromId ? [fromId, intoId] : [intoId], actor, tx);
      const target = locked.find((irritant) => irritant.id === intoId) as Irritant;
      const one = read(verbatim, idf);
      const lessons: Lesson[] = [
        {
          kind: FeedbackKind.Move,
          verbatimId,
          irritantId: intoId,
          similarity: similarity(one.vector, target.centroid),
          shouldJoin: true,
          actor,
        },
      ];
      const grown = addToCentroid(target.centroid, one.vector, one.terms, one.surfaces);
      await this.irritants.placeByHand([verbatimId], target, actor, tx);
      await this.irritants.updateCentroid(intoId, labelOf(grown) || target.label, grown, tx);
      if (fromId) {
        const source = locked.find((irritant) => irritant.id === fromId) as Irritant;
        const shrunk = removeFromCentroid(source.centroid, one.vector);
        lessons.push({
          kind: FeedbackKind.Move,
          verbatimId,
          irritantId: fromId,
          similarity: similarity(one.vector, shrunk),
          shouldJoin: false,
          actor,
        });
        await this.irritants.updateCentroid(fromId, labelOf(shrunk) || source.label, shrunk, tx);
      }
      await this.irritants.recount(fromId ? [fromId, intoId] : [intoId], tx);
      if (fromId) await this.irritants.deleteEmpty([fromId], tx);
      await this.irritants.recordFeedback(lessons, tx);
      await this.audit.record(
        {
          actor,
          action: 'verbatim.irritant.move',
          subjectType: 'verbatim',
          subjectId: verbatimId,
          before: { irritantId: fromId, category: verbatim.category },
          after: { irritantId: intoId, category: target.category },
        },
        tx,
      );
      return { from: fromId };
    });
  }

  /**
   * After a person corrected a verbatim's category: it stays in its irritant (irritants follow the
   * topic, whatever the category), whose category is its verbatims' majority again (unless a
   * person set it). A verbatim not clustered yet is placed by the cluster stage as any other.
   */
  async categoryCorrected(verbatimId: string): Promise<void> {
    const [peek] = await this.irritants.peekVerbatims([verbatimId]);
    if (!peek || peek.irritantId === null) return;
    const irritantId = peek.irritantId;
    await this.irritants.inClusteringLock((tx) => this.irritants.recount([irritantId], tx));
  }

  /** A person sets an irritant's category (audited): it no longer follows the majority. */
  async setCategory(irritantId: string, category: string, actor: string): Promise<Irritant> {
    await this.existing([irritantId]);
    await this.irritants.inClusteringLock(async (tx) => {
      const [locked] = await this.lockAll([irritantId], tx);
      await this.irritants.setCategory(irritantId, category, actor, tx);
      await this.audit.record(
        {
          actor,
          action: 'irritant.category.set',
          subjectType: 'irritant',
          subjectId: irritantId,
          before: { category: locked.category, categorySetBy: locked.categorySetBy },
          after: { category },
        },
        tx,
      );
    });
    const [after] = await this.existing([irritantId]);
    return after;
  }

  /** Records where an irritant emptied by moves went (the irritant its last verbatim joined). */
  async redirectEmptied(fromId: string, toId: string, actor: string): Promise<void> {
    if (fromId === toId || (await this.irritants.findByIds([fromId])).length > 0) return;
    await this.redirects.redirect(fromId, toId, 'emptied', actor, new Date());
  }

  private async existing(ids: string[]): Promise<Irritant[]> {
    const found = await this.irritants.findByIds(ids);
    return ids.map((id) => {
      const irritant = found.find((one) => one.id === id);
      if (!irritant) throw new NotFoundException(`irritant ${id} does not exist`);
      return irritant;
    });
  }

  /** Locks the irritants, in the order asked; one deleted meanwhile is a 404. */
  private async lockAll(ids: string[], tx: EntityManager): Promise<Irritant[]> {
    const locked = await this.irritants.lockIrritants(ids, tx);
    return ids.map((id) => {
      const irritant = locked.find((one) => one.id === id);
      if (!irritant) throw new NotFoundException(`irritant ${id} does not exist`);
      return irritant;
    });
  }
}
