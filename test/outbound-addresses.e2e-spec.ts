import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Role } from '@app/database';
import { useApi } from './support/app';
import { http } from './support/http';

/**
 * Issue 19, finding 8: an outgoing webhook (and a chat or tracker URL, which share the check) may not
 * point at a private, loopback, link-local or metadata address, written as an address or as a name
 * that resolves to one, unless OUTBOUND_ALLOW_PRIVATE allows it.
 */
describe('outgoing calls to private addresses (issue 19)', () => {
  const { api } = useApi({ env: { OUTBOUND_ALLOW_PRIVATE: 'false' } });
  let admin: string;
  let peer: Server;
  let hits = 0;

  beforeAll(async () => {
    admin = await api.key(Role.Admin);
    peer = createServer((request, response) => {
      hits++;
      response.end('{"ok":true}');
    });
    await new Promise<void>((resolve) => peer.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await new Promise((resolve) => peer.close(resolve));
  });

  const refusedUrls = [
    'http://169.254.169.254/latest/meta-data/iam/security-credentials/',
    'http://[::ffff:169.254.169.254]/latest/meta-data/',
    'http://[::ffff:a9fe:a9fe]/latest/meta-data/',
    'http://127.0.0.1:6379/',
    'http://0x7f.0.0.1/',
    'http://2130706433/',
    'http://localhost/',
    'http://[::1]/',
    'http://[::]/',
    'http://0.0.0.0/',
    'http://10.0.0.5/hook',
    'http://172.16.3.4/hook',
    'http://192.168.1.1/hook',
    'http://100.64.0.1/hook',
    'http://[fd00::1]/hook',
    'http://[fe80::1]/hook',
  ];

  it.each(refusedUrls)('refuses an outgoing webhook to %s', async (url) => {
    const created = await http(api.url, 'POST', '/api/v1/outgoing-webhooks', {
      key: admin,
      body: { url, events: ['decision.made'] },
    });
    expect(created.status).toBe(400);
    // Refused by the address check, or before it by the URL syntax check (0x7f.0.0.1, 2130706433).
    expect(JSON.stringify(created.body)).toMatch(/private, loopback or link-local|url must be an http/);
  });

  it('refuses a loopback peer that answers, and never calls it', async () => {
    const url = `http://127.0.0.1:${(peer.address() as AddressInfo).port}/hook`;
    const created = await http(api.url, 'POST', '/api/v1/outgoing-webhooks', {
      key: admin,
      body: { url, events: ['decision.made'] },
    });
    expect(created.status).toBe(400);
    expect(created.body.message).toContain('OUTBOUND_ALLOW_PRIVATE');
    expect(hits).toBe(0);
  });

  it('accepts a public address', async () => {
    const created = await http(api.url, 'POST', '/api/v1/outgoing-webhooks', {
      key: admin,
      body: { url: 'https://93.184.215.14/hook', events: ['decision.made'] },
    });
    expect(created.status).toBe(201);
  });

  it('refuses chat and tracker URLs on private addresses too', async () => {
    const chat = await http(api.url, 'POST', '/api/v1/chat-channels', {
      key: admin,
      body: {
        kind: 'slack_webhook',
        name: '#ops',
        lang: 'en',
        topics: ['digest'],
        url: 'http://169.254.169.254/services/T000/B000/x',
      },
    });
    expect(chat.status).toBe(400);
    const tracker = await http(api.url, 'POST', '/api/v1/trackers', {
      key: admin,
      body: {
        kind: 'jira',
        name: 'Payments Jira',
        token: 'jira-api-token-123',
        settings: { baseUrl: 'http://localhost:8080', deployment: 'datacenter', projectKey: 'PAY' },
      },
    });
    expect(tracker.status).toBe(400);
    expect(JSON.stringify(tracker.body)).toMatch(/private, loopback or link-local/);
  });
});
