import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import { ApiKeyService } from '@app/auth';
import { AppConfig, Clock, loadConfig } from '@app/config';
import { Role } from '@app/database';
import { InProcessJobQueue, JobQueue } from '@app/jobs';
import { createApi } from '../../apps/api/src/app';
import { TEST_REDIS_URL, TestDatabase, createTestDatabase } from './database';
import { atSuiteEnd } from './suite-end';

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
    // Suites see what clustering alone does; the regrouping suite turns it on (test/irritants-regroup.e2e-spec.ts).
    REGROUP_CHECK_SECONDS: '0',
    // The webhook, chat and tracker peers of the suites listen on the loopback, which an installation
    // refuses by default (issue 19): test/outbound-addresses.e2e-spec.ts checks the refusal itself.
    OUTBOUND_ALLOW_PRIVATE: 'true',
    // The run's log directory (test/global-setup.ts): every line goes there at debug, to be scanned
    // for secrets and customer data at the end of the run (test/global-teardown.ts).
    LOG_DIR: process.env.LOG_DIR,
    LOG_DIR_LEVEL: process.env.LOG_DIR === undefined ? undefined : 'debug',
    // The browser the suites drive is the API's too (tools/date-matrix.sh points it at a wrapper
    // that keeps the real clock).
    CHROMIUM_PATH: process.env.CHROMIUM_PATH,
    ...env,
  });
}

export interface RunningApi {
  app: INestApplication;
  url: string;
  config: AppConfig;
  /** The application's clock: a test says what time it is with `freeze`, `travel`, `advance`. */
  clock: Clock;
  /** A new API key of that role. */
  key(role: Role): Promise<string>;
  /**
   * Resolves once the in-process queue has nothing waiting, running or due for a retry: what a test
   * waits on after handing work to the jobs, before asserting what they did (or did not) do.
   */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export async function startApi(config: AppConfig): Promise<RunningApi> {
  const app = await createApi(config);
  await app.listen(0, '127.0.0.1');
  const server = app.getHttpServer() as Server;
  // fetch keeps connections 4 s; Node's server drops idle ones after 5 s, and on a loaded machine
  // a request sent as the server drops its connection fails with ECONNRESET. The client must be
  // the one to let go first.
  server.keepAliveTimeout = 60_000;
  const address = server.address() as { port: number };
  return {
    app,
    url: `http://127.0.0.1:${address.port}`,
    config,
    clock: app.get(Clock),
    key: async (role) => (await app.get(ApiKeyService).create(`test ${role}`, role, 'test')).key,
    idle: () => {
      const queue = app.get(JobQueue);
      if (!(queue instanceof InProcessJobQueue))
        throw new Error('idle() waits on the in-process queue; this API runs BullMQ (REDIS_URL is set)');
      return queue.idle();
    },
    close: () => app.close(),
  };
}

export interface ApiSuite {
  /** The suite's own database, with the migrations applied. */
  db: TestDatabase;
  api: RunningApi;
  /** A second API on the same database (`peer: true`): two processes racing. */
  peer: RunningApi;
}

/**
 * The set-up most suites share: a database of their own, an API on it (in-process jobs unless
 * `env` sets REDIS_URL), optionally a second one, all closed and dropped once the test file is
 * over (after the suite's own `afterAll` hooks: test/support/suite-end.ts). Call it at the top of
 * a `describe`: it registers the suite's first `beforeAll`, and returns handles usable in every
 * later hook and test. `env` may be a function, called once the
 * hooks registered before `useApi` have run.
 *
 *   const { api, db } = useApi({ env: { MODEL_REFRESH_SECONDS: '1' } });
 */
export function useApi(
  options: {
    env?: TestEnv | (() => TestEnv);
    peer?: boolean;
    /** Without the default model: the first analysis trains it, as on a fresh installation. */
    untrained?: boolean;
  } = {},
): ApiSuite {
  let db: TestDatabase | undefined;
  let api: RunningApi | undefined;
  let peer: RunningApi | undefined;
  beforeAll(async () => {
    db = await createTestDatabase({ untrained: options.untrained });
    atSuiteEnd(() => (db as TestDatabase).drop());
    // A function when the suite's environment comes from an earlier hook (a server's port).
    const env = {
      DATABASE_URL: db.url,
      ...(typeof options.env === 'function' ? options.env() : options.env),
    };
    api = await startApi(testConfig(env));
    atSuiteEnd(() => (api as RunningApi).close());
    if (options.peer) {
      peer = await startApi(testConfig(env));
      atSuiteEnd(() => (peer as RunningApi).close());
    }
  });
  return {
    db: lateBound(() => db, 'db'),
    api: lateBound(() => api, 'api'),
    peer: lateBound(() => (options.peer ? peer : undefined), 'peer (useApi({ peer: true }))'),
  };
}

/** An object standing for one that exists only once `beforeAll` has run. */
function lateBound<T extends object>(get: () => T | undefined, name: string): T {
  return new Proxy({} as T, {
    get(_target, property) {
      const target = get();
      if (target === undefined) throw new Error(`${name} is used before useApi's beforeAll made it`);
      const value: unknown = Reflect.get(target, property);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

export { TEST_REDIS_URL };
