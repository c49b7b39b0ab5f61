import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { parse } from 'yaml';
import { createTestDatabase, TEST_REDIS_URL, TestDatabase, waitForLastStage } from './support/database';
import { http } from './support/http';
import { ROOT, Spawned, spawnApp } from './support/processes';

const DOCKERFILE = readFileSync(join(ROOT, 'docker', 'Dockerfile'), 'utf8');
const COMPOSE = parse(readFileSync(join(ROOT, 'docker', 'compose.yaml'), 'utf8'), { merge: true }) as {
  services: Record<string, { environment?: Record<string, string | number>; command?: string[] }>;
};
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The instructions of the Dockerfile's last stage (the image that runs). */
function runtimeStage(): string[] {
  const lines = DOCKERFILE.replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  return lines.slice(lines.findLastIndex((line) => /^FROM\s/i.test(line)));
}

/** ENV of the runtime stage: `ENV A=1 B=2`. */
function imageEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of runtimeStage().filter((one) => /^ENV\s/i.test(one)))
    for (const [, name, value] of line.slice(4).matchAll(/([A-Z_][A-Z0-9_]*)=("[^"]*"|\S+)/g))
      env[name] = value.replace(/^"|"$/g, '');
  return env;
}

/** The variables README's Docker command sets before `docker compose … up`. */
function operatorEnv(): Record<string, string> {
  const command = /With Docker: `([^`]+)`/.exec(README.replace(/\n/g, ' '))?.[1] ?? '';
  expect(command).toContain('docker compose -f docker/compose.yaml up');
  const env: Record<string, string> = {};
  // `$(openssl rand -hex N)`: N random bytes in hex, as the shell would make them.
  for (const [, name, bytes] of command.matchAll(/([A-Z_]+)=\$\(openssl rand -hex (\d+)\)/g))
    env[name] = randomBytes(Number(bytes)).toString('hex');
  return env;
}

/** A service's environment as compose gives it: `${NAME:?message}` and `${NAME:-default}` resolved. */
function composeEnv(service: string, operator: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, raw] of Object.entries(COMPOSE.services[service].environment ?? {})) {
    env[name] = String(raw).replace(
      /\$\{([A-Z_]+)(?::([?-])([^}]*))?\}/g,
      (_all, variable: string, kind, rest) => {
        if (operator[variable] !== undefined) return operator[variable];
        if (kind === '?')
          throw new Error(`compose requires ${variable} (${rest}), which README's command does not set`);
        return kind === '-' ? (rest as string) : '';
      },
    );
  }
  return env;
}

/**
 * The image's file layout: what the runtime stage copies (dist, the shipped data files), and
 * node_modules. A file the code needs at run time and the image lacks fails here as in production.
 */
function imageLayout(): string {
  const root = mkdtempSync(join(tmpdir(), 'loveboard-image-'));
  for (const line of runtimeStage().filter((one) => /^COPY\s/i.test(one))) {
    const parts = line.split(/\s+/).slice(1);
    const fromBuild = parts[0].startsWith('--from=');
    const [source, target] = fromBuild ? parts.slice(1) : parts;
    const relative = source.replace(/^\/app\//, '').replace(/^\.\//, '');
    // `COPY file ./` lands in the folder under the file's name.
    const into = join(root, target.replace(/^\.\//, ''), target.endsWith('/') ? basename(relative) : '');
    if (relative === 'node_modules') {
      symlinkSync(join(ROOT, 'node_modules'), into);
      continue;
    }
    mkdirSync(dirname(into), { recursive: true });
    cpSync(join(ROOT, relative), into, { recursive: true });
  }
  return root;
}

/**
 * The Docker quick start, without a Docker engine: the API and a worker booted from the image's
 * layout with exactly the environment the Dockerfile and docker/compose.yaml give them (and the
 * variables README's command sets). Only the addresses differ: the compose services `postgres` and
 * `redis` are this machine's test services, the port is a free one, and the queue prefix is the
 * run's own, so that parallel runs on one Redis do not share queues.
 */
describe('the Docker quick start', () => {
  let db: TestDatabase;
  let root: string;
  const processes: Spawned[] = [];

  beforeAll(async () => {
    db = await createTestDatabase({ empty: true });
    root = imageLayout();
  });

  afterAll(async () => {
    await Promise.all(processes.map((one) => one.stop()));
    await db?.drop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  /** What a service's container sees, with the services' addresses mapped to this machine's. */
  const queuePrefix = `lbdocker${randomBytes(4).toString('hex')}`;
  const environment = (service: string, operator: Record<string, string>): Record<string, string> => {
    const env = { ...imageEnv(), ...composeEnv(service, operator) };
    expect(new URL(env.DATABASE_URL).hostname).toBe('postgres');
    expect(new URL(env.REDIS_URL).hostname).toBe('redis');
    expect(Object.keys(COMPOSE.services)).toEqual(expect.arrayContaining(['postgres', 'redis']));
    return {
      ...env,
      DATABASE_URL: db.url,
      REDIS_URL: TEST_REDIS_URL,
      PORT: '0',
      QUEUE_PREFIX: queuePrefix,
    };
  };

  it('runs in production with what compose passes: the API answers, a worker analyses', async () => {
    const operator = operatorEnv();
    const apiEnv = environment('api', operator);
    expect(apiEnv.NODE_ENV).toBe('production');
    expect(COMPOSE.services.api.command).toEqual(['node', 'dist/apps/api/src/main.js']);
    expect(COMPOSE.services.worker.command).toEqual(['node', 'dist/apps/worker/src/main.js']);

    const api = spawnApp('api', [], apiEnv, root);
    processes.push(api);
    const [, url] = await api.waitFor(/running at (http:\/\/\S+)/, 90_000);
    const [, key] = await api.waitFor(/^\s+(lb_\S+)$/m);
    const apiUrl = url.replace('0.0.0.0', '127.0.0.1');
    expect((await fetch(`${apiUrl}/health`)).status).toBe(200);

    const worker = spawnApp('worker', [], environment('worker', operator), root);
    processes.push(worker);
    await worker.waitFor(/consuming/, 90_000);

    // Through the whole pipeline, on the worker: the models train from the files the image ships.
    const posted = await http(apiUrl, 'POST', '/api/v1/verbatims', {
      key,
      body: [
        {
          source: 'docker',
          externalId: 'd-1',
          author: 'client@example.com',
          channel: 'email',
          receivedAt: new Date().toISOString(),
          text: 'Paiement refusé au 3-D Secure, impossible de payer mon billet',
        },
      ],
    });
    expect(posted.status).toBe(201);
    await waitForLastStage(
      db.url,
      posted.body.items.map((item: { id: string }) => item.id),
    );
    const read = await http(apiUrl, 'GET', `/api/v1/verbatims/${posted.body.items[0].id}`, { key });
    expect(read.body).toMatchObject({ stage: 'clustered', category: 'payment' });
  });
});
