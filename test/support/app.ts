import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { ApiKeyService } from '@app/auth';
import { AppConfig, loadConfig } from '@app/config';
import { Role } from '@app/database';
import { createApi } from '../../apps/api/src/app';
import { TEST_REDIS_URL } from './database';

export interface TestEnv {
  DATABASE_URL?: string;
  REDIS_URL?: string;
  [name: string]: string | undefined;
}

/** A config as the app would validate it, on test services, with a queue prefix of its own. */
export function testConfig(env: TestEnv): AppConfig {
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    AUTHOR_KEY_SECRET: 'test-author-key-secret-0123456789',
    SECRETS_KEY: 'test-secrets-key-0123456789abcdef0123456789',
    QUEUE_PREFIX: `lbt${randomBytes(4).toString('hex')}`,
    PORT: '0',
    DEMO_DATA: 'false',
    // The run's log directory (test/global-setup.ts): every line goes there at debug, to be scanned
    // for secrets and customer data at the end of the run (test/global-teardown.ts).
    LOG_DIR: process.env.LOG_DIR,
    LOG_DIR_LEVEL: process.env.LOG_DIR === undefined ? undefined : 'debug',
    ...env,
  });
}

export interface RunningApi {
  app: INestApplication;
  url: string;
  config: AppConfig;
  key(role: Role): Promise<string>;
  close(): Promise<void>;
}

export async function startApi(config: AppConfig): Promise<RunningApi> {
  const app = await createApi(config);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return {
    app,
    url: `http://127.0.0.1:${address.port}`,
    config,
    key: async (role) => (await app.get(ApiKeyService).create(`test ${role}`, role, 'test')).key,
    close: () => app.close(),
  };
}

export { TEST_REDIS_URL };
