import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { HASHED_ID, PersonalKeys } from '@app/config';
import { VerbatimRepository } from '@app/database';
import { Redactor } from '@app/nlp';

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const BACKFILL_BATCH = 5_000;

/** How `id` is stored (see `ExternalIds`); for tools and tests outside an application. */
export function storedExternalId(id: string, keys: PersonalKeys, redactor = new Redactor()): string {
  const hashed =
    HASHED_ID.test(id) ||
    LONE_SURROGATE.test(id) ||
    // E-mail addresses and phone numbers, the ids that name people; a long run of digits that
    // passes Luhn is a platform's id (a tweet's), not a card.
    redactor.findPii(id).some((match) => match.kind === 'email' || match.kind === 'phone');
  return hashed ? keys.externalId(id) : id;
}

/**
 * How a source's id of a verbatim is stored. An id that names a person (an e-mail address as id, a
 * Message-ID, a phone number) is stored as a keyed hash, as is one with lone surrogates (storage
 * would turn them into U+FFFD and make two ids one); an opaque id (a tweet id, "conv-1") is kept as
 * it is, so that support can find a message by its source's reference. Either way the same id is
 * always stored the same way: replays stay idempotent.
 */
@Injectable()
export class ExternalIds implements OnApplicationBootstrap {
  private readonly logger = new Logger(ExternalIds.name);
  private readonly redactor = new Redactor();

  constructor(
    private readonly keys: PersonalKeys,
    private readonly verbatims: VerbatimRepository,
  ) {}

  stored(id: string): string {
    return storedExternalId(id, this.keys, this.redactor);
  }

  /** Ids stored in clear before they were hashed at ingest: hashed in place once, at boot. */
  async onApplicationBootstrap(): Promise<void> {
    let hashed = 0;
    await this.verbatims.runMaintenanceOnce('hash-external-ids', async () => {
      hashed = await this.hashStoredInClear();
    });
    if (hashed > 0) this.logger.log({ hashed }, 'source ids naming a person replaced by their keyed hash');
  }

  async hashStoredInClear(): Promise<number> {
    let hashed = 0;
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows = await this.verbatims.clearExternalIds(after, BACKFILL_BATCH);
      if (rows.length === 0) return hashed;
      const changes = rows
        .map((row) => ({ id: row.id, externalId: this.stored(row.external_id) }))
        .filter((change, index) => change.externalId !== rows[index].external_id);
      await this.verbatims.replaceExternalIds(changes);
      hashed += changes.length;
      after = rows[rows.length - 1].id;
    }
  }
}
