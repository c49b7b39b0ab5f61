import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig, findShippedFile } from '@app/config';
import { JobHandler, JobName } from '@app/jobs';
import {
  ClassifierModel,
  ClassifierModelRepository,
  IrritantRepository,
  TaxonomyRepository,
  VerbatimRepository,
} from '@app/database';
import {
  DEFAULT_TAXONOMY,
  JOIN_THRESHOLD,
  LabelledText,
  LinearTextClassifier,
  categoryKeys,
  fitJoinThreshold,
  sentimentOfSurveyScore,
  trainSentimentModel,
} from '@app/nlp';

export interface LoadedModel {
  version: string;
  classifier: LinearTextClassifier;
  /** Negative / neutral / positive, learnt with the rules (null: a model stored before it existed). */
  sentiment: LinearTextClassifier | null;
  /** The cosine at which a verbatim joins an irritant: fitted to triage decisions, or the default. */
  joinThreshold: number;
}

export interface TrainedModel extends LoadedModel {
  shipped: number;
  corrections: number;
  /** Survey comments (by their score) and sentiment corrections the sentiment model learnt from. */
  sentimentLessons: number;
  /** Triage decisions (moves, splits, merges) the join threshold was fitted to. */
  decisions: number;
  /** False when the same model (same artefact) was stored already. */
  isNew: boolean;
}

const TRAINING_SET = join('libs', 'nlp', 'src', 'taxonomy', 'training-set.jsonl');
const SENTIMENT_SET = join('libs', 'nlp', 'src', 'sentiment', 'training-set.jsonl');
/** Sentiment lessons of each kind (corrections, survey comments) kept, the most recent. */
const MAX_SENTIMENT_LESSONS = 50_000;
/**
 * The classifier's confidence is calibrated at training (temperature scaling) on one third of the
 * examples held out, scored by a model trained on the other two: about two thirds of a training more.
 */
export const CALIBRATION_FOLDS = 3;
/** Corrections beyond this many (the most recent are kept) would only slow training down. */
const MAX_CORRECTIONS = 50_000;
/** Irritant decisions the join threshold is fitted to: the most recent, as the team's taste moves. */
const MAX_DECISIONS = 20_000;

function loaded(stored: ClassifierModel): LoadedModel {
  return {
    version: stored.version,
    classifier: LinearTextClassifier.deserialize(stored.artefact),
    sentiment: stored.sentimentArtefact ? LinearTextClassifier.deserialize(stored.sentimentArtefact) : null,
    joinThreshold: stored.joinThreshold ?? JOIN_THRESHOLD,
  };
}

/** The training set ships in the repository, found from wherever this code runs (sources or dist). */
export function findTrainingSet(file = TRAINING_SET): string {
  const path = findShippedFile(file);
  if (path !== null) return path;
  throw new Error(`the training set ${file} is missing`);
}

/** The hand-written sentiment examples that ship with the product. */
export function readSentimentSet(): Promise<LabelledText[]> {
  return readJsonl(findTrainingSet(SENTIMENT_SET), new Set(['negative', 'neutral', 'positive']));
}

/**
 * The category classifier in use: the newest artefact stored, or, on a fresh installation, the
 * default one trained from the bilingual training set that ships with the product (under a
 * second) and stored. Training is seeded, so processes that train at the same time store one
 * version. A process looks for a newer model every MODEL_REFRESH_SECONDS (after `nlp:train`).
 */
@Injectable()
export class ModelStore {
  private readonly logger = new Logger(ModelStore.name);
  private loading: Promise<LoadedModel> | null = null;
  private checkedAt = 0;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly models: ClassifierModelRepository,
    private readonly verbatims: VerbatimRepository,
    private readonly irritants: IrritantRepository,
    private readonly taxonomy: TaxonomyRepository,
  ) {}

  async current(): Promise<LoadedModel> {
    if (this.loading && Date.now() - this.checkedAt > this.config.modelRefreshSeconds * 1_000) {
      this.checkedAt = Date.now();
      const [loaded, latest] = await Promise.all([this.loading, this.models.latestVersion()]);
      if (latest !== null && latest !== loaded.version) this.loading = null;
    }
    if (!this.loading) {
      this.checkedAt = Date.now();
      this.loading = this.load().catch((error: unknown) => {
        this.loading = null; // let the next job try again
        throw error;
      });
    }
    return this.loading;
  }

  private async load(): Promise<LoadedModel> {
    const stored = await this.models.latest();
    if (stored) return loaded(stored);
    // Embedded mode: this process alone owns the database (and its pool may be one connection).
    if (this.config.databaseUrl === null) return this.train(false);
    // A fresh installation: one process trains the first model (seconds of CPU), the others wait
    // for it and load it, instead of every worker training the same model at once.
    return this.models.whileTrainingFirst(async () => {
      const meanwhile = await this.models.latest();
      return meanwhile ? loaded(meanwhile) : this.train(false);
    });
  }

  /**
   * Trains on the shipped training set, plus the triage team's corrections and irritant decisions
   * when asked (categories moved or corrected train the classifier; moves, splits and merges fit
   * the join threshold), and stores the artefact as the newest model.
   */
  async train(fromTriage: boolean): Promise<TrainedModel> {
    const added = await this.taxonomy.categories();
    const keys = new Set([...categoryKeys(DEFAULT_TAXONOMY), ...added.map((category) => category.key)]);
    // The shipped examples, and those admins gave their categories (shipped or added).
    const shipped = [...(await readTrainingSet(keys)), ...(await this.taxonomy.examples())];
    const corrections = fromTriage
      ? (await this.verbatims.findCorrections(MAX_CORRECTIONS)).filter((example) => keys.has(example.label))
      : [];
    const fitted = fitJoinThreshold(fromTriage ? await this.irritants.feedback(MAX_DECISIONS) : []);
    const classifier = LinearTextClassifier.train([...shipped, ...corrections], {
      calibrationFolds: CALIBRATION_FOLDS,
    });
    const artefact = classifier.serialize();
    const lessons = fromTriage ? await this.sentimentLessons() : [];
    // Two trainings of seconds each: let the event loop breathe between them.
    await new Promise((resolve) => setImmediate(resolve));
    const sentiment = trainSentimentModel({
      shipped: await readSentimentSet(),
      categories: shipped,
      learnt: lessons,
    });
    const sentimentArtefact = sentiment.serialize();
    const version = `${DEFAULT_TAXONOMY.name}-${createHash('sha256')
      .update(artefact)
      .update(sentimentArtefact)
      .update(`join=${fitted.threshold}`)
      .digest('hex')
      .slice(0, 12)}`;
    const isNew = await this.models.saveOnce({
      version,
      taxonomy: DEFAULT_TAXONOMY.name,
      artefact,
      sentimentArtefact,
      trainedOn: shipped.length + corrections.length,
      joinThreshold: fitted.agreement === null ? null : fitted.threshold,
    });
    this.logger.log(
      `classifier ${version}: ${shipped.length} shipped examples, ${corrections.length} corrections, ` +
        `${lessons.length} sentiment lessons; ` +
        `join threshold ${fitted.threshold} from ${fitted.decisions} triage decisions`,
    );
    return {
      version,
      classifier,
      sentiment,
      joinThreshold: fitted.threshold,
      shipped: shipped.length,
      corrections: corrections.length,
      sentimentLessons: lessons.length,
      decisions: fitted.decisions,
      isNew,
    };
  }

  /**
   * What the installation teaches the sentiment model: triagers' corrections as they are, survey
   * comments by their score (NPS 0-6 / 9-10, CSAT 1-2 / 4-5; passives teach nothing).
   */
  private async sentimentLessons(): Promise<LabelledText[]> {
    const rows = await this.verbatims.findSentimentLessons(MAX_SENTIMENT_LESSONS);
    return rows.flatMap(({ text, label, surveyKind, score }) => {
      if (label === 'negative' || label === 'neutral' || label === 'positive') return [{ text, label }];
      if ((surveyKind === 'nps' || surveyKind === 'csat') && score !== null) {
        const learnt = sentimentOfSurveyScore(surveyKind, score);
        return learnt ? [{ text, label: learnt }] : [];
      }
      return [];
    });
  }

  /**
   * The scheduled retrain: a new model only when the team corrected or moved something, a survey
   * comment came in, or an admin extended the taxonomy, since the newest one was trained.
   * @returns the new model, or null when nothing was learnt since.
   */
  @JobHandler(JobName.RetrainModel)
  async retrainIfTaught(): Promise<TrainedModel | null> {
    const [latest, corrected, decided, felt, extended] = await Promise.all([
      this.models.latestTrainedAt(),
      this.verbatims.lastCorrectionAt(),
      this.irritants.lastFeedbackAt(),
      this.verbatims.lastSentimentLessonAt(),
      this.taxonomy.lastChangeAt(),
    ]);
    const taughtAt = Math.max(...[corrected, decided, felt, extended].map((at) => at?.getTime() ?? 0));
    if (taughtAt === 0 || (latest !== null && taughtAt <= latest.getTime())) return null;
    return this.train(true);
  }
}

/** The shipped category examples of the default taxonomy. */
export function readCategorySet(): Promise<LabelledText[]> {
  return readTrainingSet(new Set(categoryKeys(DEFAULT_TAXONOMY)));
}

function readTrainingSet(keys: ReadonlySet<string>): Promise<LabelledText[]> {
  return readJsonl(findTrainingSet(), keys);
}

async function readJsonl(file: string, keys: ReadonlySet<string>): Promise<LabelledText[]> {
  const examples: LabelledText[] = [];
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    // A file of ours: a malformed line is a bug to fail loudly on, not input to skip.
    const value = JSON.parse(line) as { text?: unknown; label?: unknown };
    if (typeof value.text === 'string' && typeof value.label === 'string' && keys.has(value.label)) {
      examples.push({ text: value.text, label: value.label });
    }
  }
  return examples;
}
