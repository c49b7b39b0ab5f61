import { createHmac } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from './env';
import { APP_CONFIG_TOKEN } from './public-url';
import { localSecret } from './secrets';

/** How a stored, keyed hash of an identifier looks: never an identifier a source sends. */
export const HASHED_ID = /^h:[0-9a-f]{64}$/;

/**
 * Keyed hashes of the identifiers that can name a person (a source's id of a message is often an
 * e-mail address or a Message-ID). Keyed with the installation's author-key secret, so that a list
 * of known addresses cannot be hashed and matched against the table, and each use gets its own
 * derived key, so that one table's hashes cannot be joined to another's.
 */
@Injectable()
export class PersonalKeys {
  private readonly externalIdKey: Buffer;

  constructor(@Inject(APP_CONFIG_TOKEN) config: AppConfig) {
    const secret = config.authorKeySecret ?? localSecret(config.dataDir, 'author-key');
    this.externalIdKey = createHmac('sha256', secret).update('loveboard external id v1').digest();
  }

  /**
   * The keyed hash of a source's id of a verbatim: the same id always gives the same hash (replays
   * stay idempotent), and two different ids never share one. The UTF-16 code units are hashed as
   * they are, lone surrogates included: turning those into U+FFFD first, as storage would, made
   * "a\ud800" and "a\udc00" one id.
   */
  externalId(id: string): string {
    return `h:${createHmac('sha256', this.externalIdKey).update(Buffer.from(id, 'utf16le')).digest('hex')}`;
  }
}
