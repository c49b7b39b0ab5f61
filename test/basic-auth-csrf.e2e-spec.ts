import { randomUUID } from 'node:crypto';
import { Role } from '@app/database';
import { ALL_QUEUE_NAMES } from '@app/jobs';
import { TEST_REDIS_URL, useApi } from './support/app';
import { http } from './support/http';

/**
 * Issue 19, finding 1: HTTP Basic is an ambient credential. Once an admin opened /api/docs through
 * the browser's login prompt, the browser replays those credentials with every request to the site,
 * including the POSTs another site makes it send: Basic is therefore taken for GET on the docs and
 * queue pages only, and only those pages challenge Basic (WWW-Authenticate).
 */
describe('HTTP Basic: the docs and queue pages only, read-only (no CSRF through Basic)', () => {
  // Server mode, so that Bull Board (/admin/queues) is mounted too.
  const { api } = useApi({ env: { REDIS_URL: TEST_REDIS_URL } });
  let admin: string;
  let basic: string;

  beforeAll(async () => {
    admin = await api.key(Role.Admin);
    basic = `Basic ${Buffer.from(`admin:${admin}`).toString('base64')}`;
  });

  const id = randomUUID();
  const [queue] = ALL_QUEUE_NAMES;
  const STATE_CHANGES: [string, string][] = [
    ['POST', `/api/v1/monitors/${id}/run`],
    ['POST', `/api/v1/sources/${id}/poll`],
    ['POST', `/api/v1/dead-letters/${id}/retry`],
    ['POST', `/api/v1/link-proposals/${id}/accept`],
    ['POST', `/api/v1/tickets/${id}/claim`],
    ['POST', '/api/v1/verbatims'],
    ['PUT', `/admin/queues/api/queues/${queue}/retry/failed`],
    ['PUT', `/admin/queues/api/queues/${queue}/pause`],
  ];

  it.each(STATE_CHANGES)(
    '%s %s with an admin key as Basic credentials is refused (401)',
    async (method, path) => {
      const response = await http(api.url, method, path, { headers: { authorization: basic }, body: {} });
      expect(response.status).toBe(401);
      expect(response.body.message).toMatch(/HTTP Basic is accepted only/);
      // No Basic challenge there: a browser must not be invited to prompt for, then replay, a key.
      expect(response.headers.get('www-authenticate') ?? '').not.toMatch(/basic/i);
    },
  );

  it('the same admin key as a Bearer token gets through the same routes', async () => {
    const answers: { path: string; status: number }[] = [];
    for (const [method, path] of STATE_CHANGES.filter(([, p]) => p.startsWith('/api/v1/'))) {
      answers.push({ path, status: (await http(api.url, method, path, { key: admin, body: {} })).status });
    }
    // Past authentication: the unknown id or the empty body is what is refused now.
    expect(answers.filter(({ status }) => status === 401 || status === 403)).toEqual([]);
    const retry = await http(api.url, 'PUT', `/admin/queues/api/queues/${queue}/retry/failed`, {
      key: admin,
    });
    expect(retry.status).toBe(200);
  });

  it('a GET of the API too: Basic is for the HTML pages, Bearer for the API', async () => {
    const refused = await http(api.url, 'GET', '/api/v1/verbatims', { headers: { authorization: basic } });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await http(api.url, 'GET', '/api/v1/verbatims', { key: admin })).status).toBe(200);
  });

  it('opens the docs and the queue board with Basic (GET), and challenges Basic there only', async () => {
    for (const path of [
      '/api/docs/',
      '/api/docs/openapi.json',
      '/admin/queues/',
      '/admin/queues/api/queues',
    ]) {
      const anonymous = await fetch(`${api.url}${path}`);
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
      const opened = await fetch(`${api.url}${path}`, { headers: { authorization: basic } });
      expect({ path, status: opened.status }).toEqual({ path, status: 200 });
    }
    for (const path of ['/api/v1/verbatims', '/api/v1/boards/current']) {
      const anonymous = await fetch(`${api.url}${path}`, { headers: { accept: 'text/html' } });
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('www-authenticate') ?? '').not.toMatch(/basic/i);
    }
  });
});
