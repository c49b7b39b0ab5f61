import { createHmac } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig, localSecret } from '@app/config';

/**
 * Turns who wrote a verbatim into a stable key: the same customer counts once across verbatims and
 * channels, and nobody can read back who they were. Keyed (HMAC), so that a list of known e-mail
 * addresses cannot be hashed and matched against the table.
 */
@Injectable()
export class AuthorKeys {
  private readonly secret: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    // Embedded mode keeps its secret next to its data, made once at the first start.
    this.secret = config.authorKeySecret ?? localSecret(config.dataDir, 'author-key');
  }

  of(author: string): string {
    return createHmac('sha256', this.secret)
      .update(author.normalize('NFKC').trim().toLowerCase())
      .digest('hex');
  }
}
