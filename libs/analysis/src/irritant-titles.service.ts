import { Injectable, Logger, NotFoundException } from '@nestjs/common';
import { AuditRepository, IrritantTitleRepository } from '@app/database';
import { JobHandler, JobName } from '@app/jobs';
import { TitleBackground, TitleSource, detectLanguage, titleOf } from '@app/nlp';
import { readCategorySet } from './model-store';

/** Irritants retitled per batch (one sample query, one update), and batches per run at most. */
const IRRITANTS_PER_BATCH = 200;
const BATCHES_PER_RUN = 25;
/** Verbatims a title is made from: the most recent, enough for the phrase customers share. */
const SAMPLE_PER_IRRITANT = 100;
/** The installation's recent verbatims that say which words are common here ("flight" for an airline). */
const BACKGROUND_SAMPLE = 5_000;
const BACKGROUND_REFRESH_MS = 10 * 60_000;

/**
 * Irritants' titles: generated in their customers' words (`titleOf`) by a periodic job over the
 * irritants whose verbatims changed, and the names triagers give them, which win everywhere and
 * that no recomputation or regrouping overwrites (they live in a column only `rename` writes).
 */
@Injectable()
export class IrritantTitleService {
  private readonly logger = new Logger(IrritantTitleService.name);
  private background: { table: Promise<TitleBackground>; at: number } | null = null;
  private shipped: Promise<TitleSource[]> | null = null;

  constructor(
    private readonly titles: IrritantTitleRepository,
    private readonly audit: AuditRepository,
  ) {}

  /**
   * How distinctive words are: among the installation's recent verbatims and the shipped examples
   * (so that a young installation still knows "bonjour" from "remboursement"), refreshed now and then.
   */
  private weights(): Promise<TitleBackground> {
    if (!this.background || Date.now() - this.background.at > BACKGROUND_REFRESH_MS) {
      this.shipped ??= readCategorySet().then((examples) =>
        examples.map(({ text }) => ({ text, lang: detectLanguage(text).lang })),
      );
      const table = Promise.all([this.shipped, this.titles.recentTexts(BACKGROUND_SAMPLE)]).then(
        ([shipped, recent]) => TitleBackground.fromTexts([...shipped, ...recent]),
      );
      table.catch(() => (this.background = null));
      this.background = { table, at: Date.now() };
    }
    return this.background.table;
  }

  @JobHandler(JobName.RetitleIrritants)
  async retitle(): Promise<number> {
    let weights: TitleBackground | null = null;
    let done = 0;
    for (let batch = 0; batch < BATCHES_PER_RUN; batch++) {
      const stale = await this.titles.stale(IRRITANTS_PER_BATCH);
      if (stale.length === 0) break;
      weights ??= await this.weights();
      const { weight } = weights;
      const samples = await this.titles.samples(
        stale.map((irritant) => irritant.id),
        SAMPLE_PER_IRRITANT,
      );
      await this.titles.store(
        stale.map(({ id, count }) => {
          const titled = titleOf(samples.get(id) ?? [], { weight });
          return {
            id,
            count,
            title: titled?.title ?? null,
            lang: titled?.lang ?? null,
            other: titled?.other?.title ?? null,
            otherLang: titled?.other?.lang ?? null,
            quote: titled?.quote ?? null,
          };
        }),
      );
      done += stale.length;
      if (stale.length < IRRITANTS_PER_BATCH) break;
    }
    if (done > 0) this.logger.debug(`retitled ${done} irritants`);
    return done;
  }

  /** A person's name for an irritant (null gives it back its generated title), audited. */
  async rename(id: string, name: string | null, actor: string): Promise<void> {
    const renamed = await this.titles.rename(id, name, (before, tx) =>
      this.audit.record(
        {
          actor,
          action: 'irritant.rename',
          subjectType: 'irritant',
          subjectId: id,
          before: { name: before },
          after: { name },
        },
        tx,
      ),
    );
    if (!renamed) throw new NotFoundException(`irritant ${id} does not exist`);
  }
}
