import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { dirname, join } from 'node:path';
import { Injectable, Logger } from '@nestjs/common';
import { ClassifierModelRepository } from '@app/database';
import { DEFAULT_TAXONOMY, LabelledText, LinearTextClassifier, categoryKeys } from '@app/nlp';

export interface LoadedModel {
  version: string;
  classifier: LinearTextClassifier;
}

const TRAINING_SET = join('libs', 'nlp', 'src', 'taxonomy', 'training-set.jsonl');

/** The training set ships in the repository, found from wherever this code runs (sources or dist). */
export function findTrainingSet(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, TRAINING_SET))) return join(dir, TRAINING_SET);
  }
  throw new Error(`the classifier's training set (${TRAINING_SET}) is missing`);
}

/**
 * The category classifier in use: the newest artefact stored, or, on a fresh installation, the
 * default one trained from the bilingual training set that ships with the product (a second or
 * so) and stored. Training is seeded, so processes that train at the same time store one version.
 */
@Injectable()
export class ModelStore {
  private readonly logger = new Logger(ModelStore.name);
  private loading: Promise<LoadedModel> | null = null;

  constructor(private readonly models: ClassifierModelRepository) {}

  current(): Promise<LoadedModel> {
    this.loading ??= this.load().catch((error: unknown) => {
      this.loading = null; // let the next job try again
      throw error;
    });
    return this.loading;
  }

  private async load(): Promise<LoadedModel> {
    const stored = await this.models.latest();
    if (stored)
      return { version: stored.version, classifier: LinearTextClassifier.deserialize(stored.artefact) };
    return this.trainDefault();
  }

  private async trainDefault(): Promise<LoadedModel> {
    const keys = new Set(categoryKeys(DEFAULT_TAXONOMY));
    const examples: LabelledText[] = [];
    const lines = createInterface({
      input: createReadStream(findTrainingSet(), 'utf8'),
      crlfDelay: Infinity,
    });
    for await (const line of lines) {
      if (line.trim() === '') continue;
      // A file of ours: a malformed line is a bug to fail loudly on, not input to skip.
      const value = JSON.parse(line) as { text?: unknown; label?: unknown };
      if (typeof value.text === 'string' && typeof value.label === 'string' && keys.has(value.label)) {
        examples.push({ text: value.text, label: value.label });
      }
    }
    const classifier = LinearTextClassifier.train(examples);
    const artefact = classifier.serialize();
    const version = `${DEFAULT_TAXONOMY.name}-${createHash('sha256').update(artefact).digest('hex').slice(0, 12)}`;
    await this.models.saveOnce({
      version,
      taxonomy: DEFAULT_TAXONOMY.name,
      artefact,
      trainedOn: examples.length,
    });
    this.logger.log(`trained the default classifier ${version} on ${examples.length} examples`);
    return { version, classifier };
  }
}
