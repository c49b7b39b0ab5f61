import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '@app/config';
import { AuditRepository, Irritant, IrritantRepository, RedirectRepository } from '@app/database';
import { JobHandler, JobName, JobQueue } from '@app/jobs';
import {
  Centroid,
  DEFAULT_REGROUP,
  IdfTable,
  RegroupedGroup,
  addToCentroid,
  clusteringTerms,
  emptyCentroid,
  labelOf,
  regroupWindow,
  termVector,
} from '@app/nlp';
import { ClusteringVocabulary } from './clustering-vocabulary';
import { ModelStore } from './model-store';

/** The recent window the regrouping reworks: older topics are left as they are. */
export const REGROUP_WINDOW_DAYS = 30;
/** At most this many verbatims (the most recent) per pass: the pass is in memory and quadratic-ish. */
export const REGROUP_MAX_VERBATIMS = 20_000;
/** The automatic pass waits for this long without new clustering (a burst is over)… */
const QUIET_MS = 20_000;
/** …or for this long since the last pass, under a steady stream. */
const MAX_WAIT_MS = 90_000;

export interface RegroupSummary {
  windowVerbatims: number;
  irritantsBefore: number;
  irritantsAfter: number;
  /** Irritants merged into another (their ids redirect to it). */
  merged: number;
  /** Irritants started for a topic split off another. */
  created: number;
  /** Verbatims that changed irritant. */
  moved: number;
  seconds: number;
}

interface Reading {
  id: string;
  terms: string[];
  surfaces: string[];
  lang: string | null;
  irritantId: string;
  fixed: boolean;
}

/**
 * The regrouping pass: the recent window's verbatims grouped again from scratch with term weights
 * from the window itself (`regroupWindow`), then mapped back onto the irritants they were in so
 * that ids stay where the topic is the same. What a person decided is left alone: verbatims they
 * placed, and every verbatim of a held irritant (merged into, split, moved in or out of, with a
 * pinned quote), stay; two held irritants never merge. Counts are recomputed from the verbatims.
 * Runs under the clustering lock taken exclusively: placements and triage decisions wait for it.
 */
@Injectable()
export class RegroupService {
  private readonly logger = new Logger(RegroupService.name);

  constructor(
    private readonly irritants: IrritantRepository,
    private readonly redirects: RedirectRepository,
    private readonly audit: AuditRepository,
    private readonly vocabulary: ClusteringVocabulary,
    private readonly models: ModelStore,
    private readonly jobs: JobQueue,
    private readonly clock: Clock,
  ) {}

  /** The debounced run: only when verbatims were clustered since the last pass, and things are quiet. */
  @JobHandler(JobName.RegroupIrritants)
  async whenDue(): Promise<void> {
    const { lastRegroupAt, lastChangeAt, now } = await this.irritants.regroupState();
    if (lastChangeAt === null || (lastRegroupAt !== null && lastChangeAt <= lastRegroupAt)) return;
    const quiet = now.getTime() - lastChangeAt.getTime() >= QUIET_MS;
    const waitedLongEnough = lastRegroupAt === null || now.getTime() - lastRegroupAt.getTime() >= MAX_WAIT_MS;
    if (quiet || waitedLongEnough) await this.regroup('auto', 'system');
  }

  /** Runs the pass now (an admin's demand, the evaluation, or the debounced job). */
  async regroup(trigger: 'auto' | 'admin', actor: string): Promise<RegroupSummary> {
    const started = Date.now();
    const startedAt = new Date();
    const since = new Date(this.clock.nowMs() - REGROUP_WINDOW_DAYS * 86_400_000);
    const { joinThreshold } = await this.models.current();
    // The heavy part runs before the lock, so that placements and triage decisions wait only
    // for the writes; if the window changed meanwhile (a person decided something), it runs again
    // inside the lock.
    const plan = async (tx?: EntityManager) => {
      const window = await this.irritants.regroupWindow(since, REGROUP_MAX_VERBATIMS, tx);
      const readings: Reading[] = window.map((one) => ({ ...one, ...clusteringTerms(one.text, one.lang) }));
      const idf = IdfTable.fromDocuments(readings.map((one) => one.terms));
      const held = new Set(readings.filter((one) => one.fixed).map((one) => one.irritantId));
      const groups = regroupWindow(readings, held, idf, { ...DEFAULT_REGROUP, joinThreshold });
      return { readings, idf, held, groups };
    };
    const early = await plan();
    const { summary, idf } = await this.irritants.inRegroupLock(async (tx) => {
      const { readings, idf, held, groups } = (await this.irritants.windowUnchanged(early.readings, tx))
        ? early
        : await plan(tx);
      const result = await this.apply(readings, idf, held, groups, actor, tx);
      const summary: RegroupSummary = { ...result, seconds: (Date.now() - started) / 1_000 };
      await this.irritants.storeVocabulary(idf.documentCount, idf.frequenciesSeenTwice(), tx);
      await this.irritants.recordRegroup({ trigger, actor, startedAt, ...summary }, tx);
      if (trigger === 'admin') {
        await this.audit.record(
          {
            actor,
            action: 'irritants.regroup',
            subjectType: 'irritant',
            subjectId: 'window',
            before: { irritants: summary.irritantsBefore },
            after: { ...summary },
          },
          tx,
        );
      }
      return { summary, idf };
    });
    this.vocabulary.replace(idf);
    if (summary.moved > 0) await this.jobs.add(JobName.RefreshBoard, {});
    this.logger.log(
      `regrouped ${summary.windowVerbatims} verbatims: ${summary.irritantsBefore} → ${summary.irritantsAfter} irritants, ${summary.merged} merged, ${summary.created} new, ${summary.moved} moved`,
    );
    return summary;
  }

  private async apply(
    readings: Reading[],
    idf: IdfTable,
    held: ReadonlySet<string>,
    groups: RegroupedGroup[],
    actor: string,
    tx: EntityManager,
  ): Promise<Omit<RegroupSummary, 'seconds'>> {
    const before = [...new Set(readings.map((one) => one.irritantId))];
    const empty = {
      windowVerbatims: readings.length,
      irritantsBefore: before.length,
      merged: 0,
      created: 0,
      moved: 0,
    };
    if (readings.length === 0) return { ...empty, irritantsAfter: 0 };
    const existing = new Map<string, Irritant>(
      (await this.irritants.lockIrritants(before, tx)).map((irritant) => [irritant.id, irritant]),
    );
    const byId = new Map(readings.map((one) => [one.id, one]));

    // Ids stay with the topic: each group takes the irritant most of its verbatims were in (the
    // largest, then the oldest, on a tie), each irritant going to one group at most.
    const target: (string | null)[] = groups.map((group) => group.heldIrritantId);
    const claimed = new Set<string>(held);
    const pairs: { group: number; irritantId: string; overlap: number }[] = [];
    groups.forEach((group, index) => {
      if (group.heldIrritantId !== null) return;
      const overlap = new Map<string, number>();
      for (const id of group.verbatimIds) {
        const from = (byId.get(id) as Reading).irritantId;
        if (!held.has(from)) overlap.set(from, (overlap.get(from) ?? 0) + 1);
      }
      for (const [irritantId, count] of overlap) pairs.push({ group: index, irritantId, overlap: count });
    });
    const size = (id: string) => existing.get(id)?.verbatimCount ?? 0;
    const firstSeen = (id: string) => existing.get(id)?.firstSeenAt.getTime() ?? 0;
    pairs.sort(
      (a, b) =>
        b.overlap - a.overlap ||
        size(b.irritantId) - size(a.irritantId) ||
        firstSeen(a.irritantId) - firstSeen(b.irritantId) ||
        (a.irritantId < b.irritantId ? -1 : 1),
    );
    for (const pair of pairs) {
      if (target[pair.group] !== null || claimed.has(pair.irritantId)) continue;
      target[pair.group] = pair.irritantId;
      claimed.add(pair.irritantId);
    }

    const moves: { verbatimId: string; irritantId: string }[] = [];
    const touched = new Set<string>();
    const updates: { id: string; label: string; centroid: Centroid }[] = [];
    const starts: {
      index: number;
      category: string;
      lang: string | null;
      label: string;
      centroid: Centroid;
      seenAt: Date;
    }[] = [];
    const groupIds: string[] = [];
    for (const [index, group] of groups.entries()) {
      const members = group.verbatimIds.map((id) => byId.get(id) as Reading);
      const targetId = target[index];
      const current = targetId === null ? null : existing.get(targetId);
      let centroid: Centroid;
      if (current && group.heldIrritantId !== null) {
        // A held irritant keeps the words of its verbatims outside the window: only newcomers add.
        centroid = current.centroid;
        for (const one of members) {
          if (one.irritantId !== current.id) centroid = this.grow(centroid, one, idf);
        }
      } else {
        centroid = emptyCentroid();
        for (const one of members) centroid = this.grow(centroid, one, idf);
      }
      const label = labelOf(centroid) || current?.label || '(no words)';
      if (current) {
        updates.push({ id: current.id, label, centroid });
        groupIds[index] = current.id;
      } else {
        // Category, language and dates are its verbatims' (recount below); these are placeholders.
        const source = existing.get(members[0].irritantId);
        starts.push({
          index,
          category: source?.category ?? 'other',
          lang: members[0].lang,
          label,
          centroid,
          seenAt: source?.firstSeenAt ?? new Date(),
        });
      }
    }
    await this.irritants.updateCentroids(updates, tx);
    const createdIds = await this.irritants.createMany(starts, tx);
    starts.forEach((start, i) => (groupIds[start.index] = createdIds[i]));
    const created = createdIds.length;
    for (const [index, group] of groups.entries()) {
      const irritantId = groupIds[index];
      touched.add(irritantId);
      for (const id of group.verbatimIds) {
        const one = byId.get(id) as Reading;
        if (one.irritantId !== irritantId) {
          moves.push({ verbatimId: one.id, irritantId });
          touched.add(one.irritantId);
        }
      }
    }
    await this.irritants.reassign(moves, tx);

    // Irritants no group took are empty now: their ids lead to where most of their verbatims went,
    // so that boards, decisions, tickets and links follow them as they follow a merge.
    let merged = 0;
    const gone = await this.irritants.deleteEmpty(
      before.filter((id) => !claimed.has(id)),
      tx,
    );
    for (const id of gone) {
      const destinations = new Map<string, number>();
      for (const move of moves) {
        if ((byId.get(move.verbatimId) as Reading).irritantId === id) {
          destinations.set(move.irritantId, (destinations.get(move.irritantId) ?? 0) + 1);
        }
      }
      const [to] = [...destinations.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
      if (to) {
        await this.redirects.redirect(id, to[0], 'regroup', actor, new Date(), tx);
        merged++;
      }
      touched.delete(id);
    }
    await this.irritants.recount([...touched], tx);
    return { ...empty, irritantsAfter: groups.length, merged, created, moved: moves.length };
  }

  private grow(centroid: Centroid, one: Reading, idf: IdfTable): Centroid {
    return addToCentroid(centroid, termVector(one.terms, idf), one.terms, one.surfaces);
  }
}
