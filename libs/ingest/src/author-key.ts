import { createHmac, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/config';

/**
 * Turns who wrote a verbatim into a stable key: the same customer counts once across verbatims and
 * channels, and nobody can read back who they were. Keyed (HMAC), so that a list of known e-mail
 * addresses cannot be hashed and matched against the table.
 */
@Injectable()
export class AuthorKeys {
  private readonly secret: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.secret = config.authorKeySecret ?? AuthorKeys.embeddedSecret(config.dataDir);
  }

  /** Embedded mode keeps its secret next to its data, made once at the first start. */
  private static embeddedSecret(dataDir: string): string {
    const path = join(dataDir, 'author-key.secret');
    try {
      return readFileSync(path, 'utf8').trim();
    } catch {
      mkdirSync(dataDir, { recursive: true });
      try {
        writeFileSync(path, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
      } catch (error) {
        // Another process of the same installation made it first: use theirs.
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      return readFileSync(path, 'utf8').trim();
    }
  }

  of(author: string): string {
    return createHmac('sha256', this.secret)
      .update(author.normalize('NFKC').trim().toLowerCase())
      .digest('hex');
  }
}
