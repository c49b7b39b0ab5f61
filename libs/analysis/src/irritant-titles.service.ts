import { Injectable, Logger, NotFoundException } from '@nestjs/common';
import { AuditRepository, IrritantTitleRepository } from '@app/database';
import { JobHandler, JobName } from '@app/jobs';
import { conceptOf, titleOf } from '@app/nlp';
import { ModelStore } from './model-store';

/** Irritants retitled per batch (one sample query, one update), and batches per run at most. */
const IRRITANTS_PER_BATCH = 200;
const BATCHES_PER_RUN = 25;
/** Verbatims a title is made from: the most recent, enough for the phrase customers share. */
const SAMPLE_PER_IRRITANT = 150;

/**
 * Irritants' titles: generated in their customers' words (`titleOf`) by a periodic job over the
 * irritants whose verbatims changed, and the names triagers give them, which win everywhere and
 * that no recomputation or regrouping overwrites (they live in a column only `rename` writes).
 */
@Injectable()
export class IrritantTitleService {
  private readonly logger = new Logger(IrritantTitleService.name);

  constructor(
    private readonly titles: IrritantTitleRepository,
    private readonly audit: AuditRepository,
    private readonly models: ModelStore,
  ) {}

  @JobHandler(JobName.RetitleIrritants)
  async retitle(): Promise<number> {
    const idf = await this.models.background();
    // Words weigh what they weigh for clustering: distinctive in the installation's background.
    const weight = (stem: string) => idf.weight(conceptOf(stem));
    let done = 0;
    for (let batch = 0; batch < BATCHES_PER_RUN; batch++) {
      const stale = await this.titles.stale(IRRITANTS_PER_BATCH);
      if (stale.length === 0) break;
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
