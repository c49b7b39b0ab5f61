import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig, Clock } from '@app/config';
import { AuditRepository, IrritantRepository, PrivacyRepository } from '@app/database';
import { JobHandler, JobName } from '@app/jobs';
import { Redactor } from '@app/nlp';

const PURGE_BATCH = 50_000;
const METADATA_BATCH = 2_000;

/**
 * A person's erasure (GDPR) and the retention of raw text. Erasure removes their verbatims, survey
 * answers, identity links, and their words quoted on boards, frozen ones included; the irritants
 * they were in are recounted (deleted when nothing is left).
 */
@Injectable()
export class PrivacyService {
  private readonly logger = new Logger(PrivacyService.name);
  private readonly redactor = new Redactor();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly privacy: PrivacyRepository,
    private readonly irritants: IrritantRepository,
    private readonly audit: AuditRepository,
  ) {}

  async erase(
    authorKey: string,
    actor: string,
  ): Promise<{
    verbatims: number;
    surveyAnswers: number;
    identityLinks: number;
    irritantsRecounted: number;
  }> {
    const erased = await this.privacy.erase(authorKey);
    await this.irritants.recountNow(erased.irritants);
    await this.irritants.deleteEmptyNow(erased.irritants);
    const result = {
      verbatims: erased.verbatims,
      surveyAnswers: erased.surveyAnswers,
      identityLinks: erased.identityLinks,
      irritantsRecounted: erased.irritants.length,
    };
    // The key is a keyed hash: recording it names no one.
    await this.audit.record({
      actor,
      action: 'person.erased',
      subjectType: 'person',
      subjectId: authorKey,
      after: result,
    });
    return result;
  }

  /** What is kept of the people behind these author keys: how many verbatims, erased or not. */
  traces(authorKeys: string[]): Promise<{ authorKey: string; verbatims: number; erased: boolean }[]> {
    return this.privacy.traces(authorKeys);
  }

  @JobHandler(JobName.PurgeRawText)
  async purgeNow(): Promise<void> {
    await this.purge(this.clock.now());
  }

  /** Raw text older than the retention replaced by its redacted form. @returns how many. */
  async purge(now: Date): Promise<number> {
    if (this.config.rawTextRetentionDays === 0) return 0;
    const cut = new Date(now.getTime() - this.config.rawTextRetentionDays * 86_400_000);
    // Metadata is redacted at ingest; rows stored before that have theirs redacted with the text.
    for (let after = '00000000-0000-0000-0000-000000000000'; ;) {
      const rows = await this.privacy.metadataPastRetention(cut, after, METADATA_BATCH);
      if (rows.length === 0) break;
      after = rows[rows.length - 1].id;
      const changes = rows
        .map((row) => ({ id: row.id, metadata: this.redactor.redactJson(row.metadata) }))
        .filter((change, index) => JSON.stringify(change.metadata) !== JSON.stringify(rows[index].metadata));
      await this.privacy.replaceMetadata(changes);
      if (rows.length < METADATA_BATCH) break;
    }
    const purged = await this.privacy.purgeRawText(cut, PURGE_BATCH);
    if (purged > 0) this.logger.log({ purged }, 'raw text past retention replaced by its redacted form');
    return purged;
  }
}
