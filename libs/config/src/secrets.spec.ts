import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecretBox, localSecret } from './secrets';

describe('SecretBox', () => {
  const box = new SecretBox('a-key-of-at-least-32-characters-000');

  it('opens what it sealed, and seals the same secret differently each time', () => {
    const sealed = box.seal('webhook-secret-é');
    expect(sealed).toMatch(/^v1:/);
    expect(sealed).not.toContain('webhook-secret');
    expect(box.open(sealed)).toBe('webhook-secret-é');
    expect(box.seal('webhook-secret-é')).not.toBe(sealed);
  });

  it('refuses a value sealed under another key, altered, or not sealed at all', () => {
    const sealed = box.seal('secret');
    expect(() => new SecretBox('another-key-of-at-least-32-characters').open(sealed)).toThrow();
    const bytes = Buffer.from(sealed.slice(3), 'base64');
    bytes[bytes.length - 1] ^= 1;
    expect(() => box.open(`v1:${bytes.toString('base64')}`)).toThrow();
    expect(() => box.open('secret')).toThrow('not a sealed secret');
  });

  it('takes its key from the installation when none is configured, made once, readable by its owner only', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lb-secret-'));
    const lazy = new SecretBox(() => localSecret(dir, 'secrets-key'));
    const sealed = lazy.seal('x');
    expect(new SecretBox(() => localSecret(dir, 'secrets-key')).open(sealed)).toBe('x');
    expect(readFileSync(join(dir, 'secrets-key.secret'), 'utf8')).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(join(dir, 'secrets-key.secret')).mode & 0o777).toBe(0o600);
  });
});
