import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  AnalyzedVerbatim,
  IrritantRepository,
  Verbatim,
  VerbatimRepository,
  VerbatimStage,
} from '@app/database';
import { JobHandler, JobName, JobPayload, JobQueue } from '@app/jobs';
import { Redactor, analyzeVerbatim } from '@app/nlp';
import { ClusterStage, Placeable } from './cluster.stage';
import { LoadedModel, ModelStore } from './model-store';

type Analysis = AnalyzedVerbatim & { redactedText?: string };

/**
 * The ingest, analyze and cluster stages, in one pass: personal data redacted from freshly stored
 * verbatims (everything shown, searched, exported or analysed from here on works on the redacted
 * text), then language, category (with the model version that chose it), sentiment, intent and
 * terminal, from the redacted text and the connector's metadata, then the placement in an
 * irritant, written with the analysis in one statement. One read and one write of each row instead
 * of three reads and three writes (each write of a row rewrites its eight index entries, the
 * full-text one included): measured on the ingestion benchmark, docs/ARCHITECTURE.md. The stages
 * stay distinct in the row (`analyzed` is where a verbatim waits when it is not placed here: a
 * pinned one, one left by an older release, or one whose placement failed and is swept).
 */
@Injectable()
export class AnalyzeStage {
  private readonly redactor = new Redactor();

  constructor(
    private readonly verbatims: VerbatimRepository,
    private readonly irritants: IrritantRepository,
    private readonly models: ModelStore,
    private readonly cluster: ClusterStage,
    private readonly jobs: JobQueue,
  ) {}

  @JobHandler(JobName.IngestVerbatims)
  async ingest({ verbatimIds }: JobPayload<JobName.IngestVerbatims>): Promise<void> {
    await this.readAndHandOn(verbatimIds);
  }

  @JobHandler(JobName.AnalyzeVerbatims)
  async analyze({ verbatimIds }: JobPayload<JobName.AnalyzeVerbatims>): Promise<void> {
    await this.readAndHandOn(verbatimIds);
  }

  private async readAndHandOn(verbatimIds: string[]): Promise<void> {
    const read = await this.verbatims.findByIds(verbatimIds);
    const fresh = read.filter(isFresh);
    /** Of the fresh ones, those the placement's transaction locked and wrote (pinned included). */
    let written = new Set<string>();
    let pinned: string[] = [];
    if (fresh.length > 0) {
      const model = await this.models.current();
      // Redaction and the models run before the transaction (they are most of the CPU), on the
      // rows as read; a row whose text changed before it was locked is analysed again there.
      const analysed = new Map(
        fresh.map((verbatim) => [verbatim.id, { verbatim, analysis: this.analysisOf(verbatim, model) }]),
      );
      await this.cluster.place(
        async (tx) => {
          const locked = await this.lockAndAnalyse(analysed, model, tx);
          written = new Set(locked.ids);
          pinned = locked.pinned;
          return locked.placeable;
        },
        (assignments, tx) =>
          this.verbatims
            .markAnalyzed(
              assignments.map(({ verbatim, irritantId }) => ({ ...verbatim.analysis, irritantId })),
              tx,
            )
            .then(() => undefined),
      );
    }
    // A verbatim another transaction held (a conversation growing at that moment) was skipped, not
    // waited for: the job fails after committing the rest, and its retry a second later takes it.
    // Asked of the table only when one was skipped: every row locked was written.
    if (fresh.some((verbatim) => !written.has(verbatim.id))) {
      const left = await this.verbatims.findInStage(verbatimIds, [
        VerbatimStage.Received,
        VerbatimStage.Ingested,
      ]);
      if (left.length > 0)
        throw new Error(`${left.length} verbatim(s) held by another transaction: analysed on the retry`);
    }
    // Verbatims analysed but not placed (pinned by a person, or analysed by an older release) go
    // on to the cluster stage, which knows what to do with each; a replay after a crash between
    // that commit and this enqueue finishes the hand-on.
    const ready = [
      ...read.filter((verbatim) => verbatim.stage === VerbatimStage.Analyzed).map((verbatim) => verbatim.id),
      ...pinned,
    ];
    if (ready.length > 0) await this.jobs.add(JobName.ClusterVerbatims, { verbatimIds: ready });
  }

  /**
   * In the placement's transaction: the verbatims still waiting, locked, with their analysis. A
   * pinned one (a person's decision) gets its analysis here and is not placed.
   */
  private async lockAndAnalyse(
    read: Map<string, { verbatim: Verbatim; analysis: Analysis }>,
    model: LoadedModel,
    tx: EntityManager,
  ): Promise<{ placeable: (Placeable & { analysis: Analysis })[]; ids: string[]; pinned: string[] }> {
    const locked = await this.irritants.lockFresh([...read.keys()], tx);
    const unchanged = (row: (typeof locked)[number]) => {
      const { rawText, redactedText } = (read.get(row.id) as { verbatim: Verbatim }).verbatim;
      return (
        md5(rawText) === row.rawHash &&
        (redactedText === null ? row.redactedHash === null : md5(redactedText) === row.redactedHash)
      );
    };
    // A text that changed since it was read (a conversation that grew) is read again, and analysed again.
    const current = await this.irritants.textsOf(
      locked.filter((row) => !unchanged(row)).map((row) => row.id),
      tx,
    );
    const placeable: (Placeable & { analysis: Analysis })[] = [];
    const pinned: Analysis[] = [];
    for (const row of locked) {
      const before = read.get(row.id) as { verbatim: Verbatim; analysis: Analysis };
      const now = current.get(row.id);
      const analysis = now ? this.analysisOf({ ...before.verbatim, ...now }, model) : before.analysis;
      if (row.pinned) {
        pinned.push(analysis);
        continue;
      }
      placeable.push({
        id: row.id,
        redactedText: analysis.redactedText ?? (now ?? before.verbatim).redactedText,
        lang: analysis.lang,
        category: analysis.category,
        receivedAt: before.verbatim.receivedAt,
        analysis,
      });
    }
    await this.verbatims.markAnalyzed(pinned, tx);
    return { placeable, ids: locked.map((row) => row.id), pinned: pinned.map((analysis) => analysis.id) };
  }

  /** Redacted (when not yet) and analysed; `redactedText` is set only when this redacted it. */
  private analysisOf(verbatim: Verbatim, model: LoadedModel): Analysis {
    const redactedText = verbatim.redactedText === null ? this.redactor.redact(verbatim.rawText) : undefined;
    const analysis = analyzeVerbatim(
      { text: redactedText ?? verbatim.redactedText ?? '', lang: verbatim.lang, metadata: verbatim.metadata },
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
      redactedText,
    };
  }
}

const isFresh = (verbatim: Verbatim) =>
  verbatim.stage === VerbatimStage.Received || verbatim.stage === VerbatimStage.Ingested;

/** As PostgreSQL's md5() of a text (its UTF-8 bytes). */
const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');
