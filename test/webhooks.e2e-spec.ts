import { createHmac } from 'node:crypto';
import { createServer, IncomingMessage, Server } from 'node:http';
import { BoardService } from '@app/board';
import { Role } from '@app/database';
import { JobName, JobQueue } from '@app/jobs';
import { useApi } from './support/app';
import { verbatim } from './support/builders';
import { query, waitForLastStage } from './support/database';
import { http } from './support/http';
import { until } from './support/wait';
import { atSuiteEnd } from './support/suite-end';

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A receiver on loopback: records every request; `/flaky` fails its first request. */
async function startReceiver(): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  let flaky = 0;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        path: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      const fail = request.url === '/flaky' && flaky++ === 0;
      response.writeHead(fail ? 503 : 204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Outgoing webhooks: signed, retried with backoff, logged, once per event, per department. */
describe('outgoing webhooks', () => {
  const { api, db } = useApi();
  let admin: string;
  let triager: string;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const week = '2026-W42';
  let irritants: string[];

  beforeAll(async () => {
    receiver = await startReceiver();
    atSuiteEnd(() => receiver.close());
    [admin, triager] = await Promise.all([api.key(Role.Admin), api.key(Role.Triager)]);
    const posted = await http(api.url, 'POST', '/api/v1/verbatims', {
      key: triager,
      body: [
        'Paiement refusé au 3-D Secure, impossible de payer',
        'Aucune assistance pour mon fauteuil roulant en gare',
        'Je vais saisir mon avocat, vous ne respectez pas le RGPD',
      ].map((text, i) =>
        verbatim({
          source: 'hooks',
          externalId: `h-${i}`,
          text,
          lang: 'fr',
          receivedAt: '2026-10-13T09:00:00Z',
        }),
      ),
    });
    await waitForLastStage(
      db.url,
      posted.body.items.map((item: { id: string }) => item.id),
    );
    const board = await http(api.url, 'GET', `/api/v1/boards/${week}`, { key: admin });
    irritants = board.body.items.map((item: { irritantId: string }) => item.irritantId);
    expect(irritants.length).toBeGreaterThanOrEqual(3);
  });

  const create = (body: Record<string, unknown>, key = admin) =>
    http(api.url, 'POST', '/api/v1/outgoing-webhooks', { key, body });

  it('is configured by admins only, with a secret shown once and stored sealed', async () => {
    const body = { url: `${receiver.url}/all`, events: ['decision.made'] };
    expect((await create(body, triager)).status).toBe(403);
    expect((await create({ ...body, url: 'ftp://example.com/x' })).status).toBe(400);
    expect((await create({ ...body, url: 'javascript:alert(1)' })).status).toBe(400);
    expect((await create({ ...body, events: ['everything'] })).status).toBe(400);
    const created = await create({ ...body, secret: 'a-shared-secret-of-ours' });
    expect(created.status).toBe(201);
    expect(created.body.secret).toBe('a-shared-secret-of-ours');
    const listed = await http(api.url, 'GET', '/api/v1/outgoing-webhooks', { key: admin });
    expect(JSON.stringify(listed.body)).not.toContain('a-shared-secret-of-ours');
    const [stored] = await query<{ secret_sealed: string }>(db.url, 'SELECT secret_sealed FROM webhook');
    expect(stored.secret_sealed).not.toContain('a-shared-secret-of-ours');
    expect(stored.secret_sealed).toMatch(/^v1:/);
  });

  it('POSTs a decision signed over the timestamp and the body, once even when the job is replayed', async () => {
    const decided = await http(api.url, 'POST', `/api/v1/boards/${week}/items/${irritants[0]}/decision`, {
      key: triager,
      body: { kind: 'fix', owner: 'payments-team' },
    });
    expect(decided.status).toBe(201);
    const [hit] = await until(
      () => receiver.received.filter((r) => r.path === '/all'),
      (hits) => hits.length > 0,
    );
    expect(hit.headers['x-loveboard-event']).toBe('decision.made');
    const [t, v1] = String(hit.headers['x-loveboard-signature']).split(',');
    const timestamp = t.replace('t=', '');
    expect(v1).toBe(
      `v1=${createHmac('sha256', 'a-shared-secret-of-ours').update(`${timestamp}.${hit.body}`).digest('hex')}`,
    );
    expect(Math.abs(Date.now() / 1000 - Number(timestamp))).toBeLessThan(60);
    const payload = JSON.parse(hit.body);
    expect(payload).toMatchObject({
      id: hit.headers['x-loveboard-delivery'],
      event: 'decision.made',
      data: {
        decisionId: decided.body.id,
        isoWeek: week,
        irritantId: irritants[0],
        kind: 'fix',
        owner: 'payments-team',
      },
    });

    await api.app.get(JobQueue).requeue(JobName.DeliverWebhook, { deliveryId: payload.id });
    await api.idle();
    expect(receiver.received.filter((r) => r.path === '/all')).toHaveLength(1);
  });

  it('retries a receiver that fails, with backoff, and logs every attempt', async () => {
    const flaky = await create({ url: `${receiver.url}/flaky`, events: ['ticket.status_changed'] });
    const [ticket] = (await http(api.url, 'GET', '/api/v1/tickets', { key: admin })).body.items;
    expect(
      (
        await http(api.url, 'PATCH', `/api/v1/tickets/${ticket.id}`, {
          key: admin,
          body: { status: 'fixed' },
        })
      ).status,
    ).toBe(200);
    const log = await until(
      async () =>
        (await http(api.url, 'GET', `/api/v1/outgoing-webhooks/${flaky.body.id}/deliveries`, { key: admin }))
          .body,
      (deliveries: { status: string }[]) => deliveries[0]?.status === 'delivered',
    );
    expect(log).toEqual([
      expect.objectContaining({
        event: 'ticket.status_changed',
        status: 'delivered',
        attempts: 2,
        lastStatus: 204,
      }),
    ]);
    const hits = receiver.received.filter((r) => r.path === '/flaky');
    expect(hits).toHaveLength(2);
    expect(hits[0].headers['x-loveboard-delivery']).toBe(hits[1].headers['x-loveboard-delivery']);
    expect(JSON.parse(hits[1].body).data).toMatchObject({ ticketId: ticket.id, from: 'todo', to: 'fixed' });
  });

  it('sends a department only the items routed to it', async () => {
    await create({ url: `${receiver.url}/legal`, events: ['decision.made'], department: 'legal' });
    await http(api.url, 'POST', `/api/v1/boards/${week}/items/${irritants[1]}/decision`, {
      key: triager,
      body: { kind: 'route', department: 'operations' },
    });
    const routed = await http(api.url, 'POST', `/api/v1/boards/${week}/items/${irritants[2]}/decision`, {
      key: triager,
      body: { kind: 'route', department: 'legal' },
    });
    const hits = await until(
      () => receiver.received.filter((r) => r.path === '/legal'),
      (list) => list.length > 0,
    );
    // Both decisions' deliveries done: the operations one must not have reached /legal.
    await api.idle();
    expect(receiver.received.filter((r) => r.path === '/legal')).toHaveLength(1);
    expect(JSON.parse(hits[0].body).data).toMatchObject({ decisionId: routed.body.id, department: 'legal' });
  });

  it('announces a frozen board once', async () => {
    await create({ url: `${receiver.url}/frozen`, events: ['board.frozen'] });
    const boards = api.app.get(BoardService);
    const monday = new Date('2026-10-19T07:30:00Z');
    await Promise.all([boards.freezeDue(monday), boards.freezeDue(monday)]);
    const hits = await until(
      () => receiver.received.filter((r) => r.path === '/frozen' && JSON.parse(r.body).data.isoWeek === week),
      (list) => list.length > 0,
    );
    await api.idle();
    expect(
      receiver.received.filter((r) => r.path === '/frozen' && JSON.parse(r.body).data.isoWeek === week),
    ).toHaveLength(1);
    expect(JSON.parse(hits[0].body).data.top[0]).toMatchObject({ rank: 1, irritantId: expect.any(String) });
  });
});
