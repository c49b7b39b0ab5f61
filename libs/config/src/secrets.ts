import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A secret an installation makes for itself at its first start and keeps next to its data (mode
 * 600), for what needs a stable secret when none is configured (embedded mode).
 */
export function localSecret(dataDir: string, name: string): string {
  const path = join(dataDir, `${name}.secret`);
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

const VERSION = 'v1';

/**
 * Seals the secrets people give the product (webhook and connector secrets, tokens) before they
 * are stored: AES-256-GCM under a key from SECRETS_KEY (or the installation's own, embedded mode),
 * so that a copy of the database alone reveals none of them.
 */
export class SecretBox {
  private derived: Buffer | null = null;

  /** @param secret the key, or where to get it at first use (no file is made before it is needed). */
  constructor(private readonly secret: string | (() => string)) {}

  private get key(): Buffer {
    const secret = typeof this.secret === 'string' ? this.secret : this.secret();
    this.derived ??= createHash('sha256').update(`loveboard-secrets:${secret}`).digest();
    return this.derived;
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `${VERSION}:${Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64')}`;
  }

  /** @throws when the value was not sealed with this installation's key, or was altered. */
  open(sealed: string): string {
    const [version, body] = sealed.split(':');
    if (version !== VERSION || !body) throw new Error('not a sealed secret');
    const bytes = Buffer.from(body, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.key, bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(12, 28));
    return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
  }
}
