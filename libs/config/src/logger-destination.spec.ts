import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { loadConfig } from './env';
import { logDestination } from './logger-destination';
import { loggerOptions, scrubForLog, scrubString } from './logging';

describe('LOG_DIR: logs also written to a directory', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'log-dir-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('appends the scrubbed JSON lines at LOG_DIR_LEVEL to <dir>/<app>-<pid>.log, stdout keeping LOG_LEVEL', () => {
    const config = loadConfig({ LOG_LEVEL: 'silent', LOG_DIR: dir, LOG_DIR_LEVEL: 'debug' });
    expect(config.logDir).toBe(dir);
    const logger = pino(loggerOptions(config, 'spec'), logDestination(config, 'spec'));
    logger.debug({ text: 'Mon colis est arrivé cassé' }, 'analysed for jeanne@example.com');
    logger.trace('below the level');
    const lines = readFileSync(join(dir, `spec-${process.pid}.log`), 'utf8')
      .trim()
      .split('\n');
    expect(lines).toHaveLength(1);
    const record = JSON.parse(lines[0]) as Record<string, unknown>;
    expect(record).toMatchObject({
      level: 'debug',
      app: 'spec',
      text: '[redacted]',
      msg: 'analysed for [EMAIL]',
    });
  });

  it('defaults LOG_DIR_LEVEL to LOG_LEVEL, and refuses an unknown level', () => {
    expect(loadConfig({ LOG_LEVEL: 'warn', LOG_DIR: dir }).logDirLevel).toBe('warn');
    expect(loadConfig({}).logDir).toBeNull();
    expect(() => loadConfig({ LOG_DIR: dir, LOG_DIR_LEVEL: 'loud' })).toThrow(/LOG_DIR_LEVEL/);
  });
});

describe('log scrubbing stays cheap on hostile input', () => {
  it('cuts strings longer than a log line needs before scrubbing them', () => {
    const hostile = `${'A'.repeat(10_000)}' OR 1=1--`;
    const scrubbed = scrubString(hostile);
    expect(scrubbed.length).toBeLessThan(2_100);
    expect(scrubbed.endsWith('…[truncated]')).toBe(true);
  });

  it('never walks sockets and HTTP messages; leaves req/res whole for their serializers', () => {
    const request = new IncomingMessage(new Socket());
    const record = scrubForLog({ req: request, nested: { stream: request } }) as Record<string, unknown>;
    expect(record.req).toBe(request);
    expect(record.nested).toEqual({ stream: '[IncomingMessage]' });
  });
});
