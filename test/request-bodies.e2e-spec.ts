import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { Role } from '@app/database';
import { useApi } from './support/app';
import { verbatim } from './support/builders';
import { http } from './support/http';

/**
 * Issue 19, finding 2: a 129 KB gzip body inflated to 60 MB and parsed before the key was checked
 * (+400 MB and 1.5 s per request, for anyone). Bodies are now read after authentication, under
 * each route's own limit, and a compressed body stops inflating at the route's limit or at 200
 * times what was received. What the API read is counted in /metrics: the proof that a refused
 * request cost nothing, without timing anything.
 */
describe('request bodies: read after authentication, under per-route and inflated-size limits', () => {
  const { api } = useApi();
  let admin: string;
  let triager: string;

  // JSON of a verbatim whose text is 60 MB of one letter: about 60 KB once gzipped.
  const INFLATED = 60 * 1024 * 1024;
  let bomb: Buffer;

  beforeAll(async () => {
    admin = await api.key(Role.Admin);
    triager = await api.key(Role.Triager);
    const json = JSON.stringify({ ...verbatim(), text: 'a'.repeat(INFLATED) });
    bomb = gzipSync(json, { level: 9 });
  });

  async function bodyBytes(): Promise<{ sent: number; read: number }> {
    const metrics = await http(api.url, 'GET', '/metrics', { key: admin });
    expect(metrics.status).toBe(200);
    const value = (as: string) =>
      Number(
        new RegExp(`^loveboard_request_body_bytes_total\\{as="${as}"\\} (\\d+)`, 'm').exec(metrics.body)?.[1],
      );
    return { sent: value('sent'), read: value('read') };
  }

  const post = (path: string, body: Buffer, headers: Record<string, string>) =>
    fetch(`${api.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });

  it('answers an unauthenticated gzip bomb 401 without reading a byte of it', async () => {
    expect(bomb.length).toBeLessThan(200 * 1024);
    const before = await bodyBytes();
    for (const headers of [
      {} as Record<string, string>,
      { authorization: `Bearer lb_aaaaaaaaaaaa_${'x'.repeat(43)}` },
    ]) {
      const response = await post('/api/v1/verbatims', bomb, { 'content-encoding': 'gzip', ...headers });
      expect(response.status).toBe(401);
    }
    // Not 413: the size was never looked at; and the counters did not move.
    expect(await bodyBytes()).toEqual(before);
  });

  it('stops inflating an authenticated gzip bomb early and answers 413', async () => {
    const before = await bodyBytes();
    const response = await post('/api/v1/verbatims', bomb, {
      'content-encoding': 'gzip',
      authorization: `Bearer ${triager}`,
    });
    expect(response.status).toBe(413);
    expect(((await response.json()) as Record<string, unknown>).message).toMatch(
      /inflates more than 200 times/,
    );
    const after = await bodyBytes();
    // Refused well before the 60 MB: at most 200 times what had come in, nothing kept.
    expect(after.sent - before.sent).toBeLessThanOrEqual(bomb.length);
    expect(after.read - before.read).toBeLessThanOrEqual(200 * (after.sent - before.sent) + 1024 * 1024);
    expect(after.read - before.read).toBeLessThan(INFLATED / 2);
  });

  it('still takes compressed batches that inflate like text does', async () => {
    const batch = Array.from({ length: 50 }, (_, i) => verbatim({ source: 'gzip', externalId: `gz-${i}` }));
    const body = gzipSync(JSON.stringify(batch));
    const response = await post('/api/v1/verbatims', body, {
      'content-encoding': 'gzip',
      authorization: `Bearer ${triager}`,
    });
    expect(response.status).toBe(201);
    expect(((await response.json()) as Record<string, unknown>).created).toBe(50);
  });

  it('holds each route to its own limit: 1 MB for most, refused before reading when declared', async () => {
    const large = Buffer.from(JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }));
    const before = await bodyBytes();
    const response = await post('/api/v1/outgoing-webhooks', large, { authorization: `Bearer ${admin}` });
    expect(response.status).toBe(413);
    expect(((await response.json()) as Record<string, unknown>).message).toMatch(
      /exceeds 1 MB on this route/,
    );
    // Content-Length said 2 MB: refused on the declaration, nothing read.
    expect((await bodyBytes()).read).toBe(before.read);
    // A gzip of the same, whose inflated size no header declares, stops at the limit.
    const zipped = await post('/api/v1/outgoing-webhooks', gzipSync(large), {
      authorization: `Bearer ${admin}`,
      'content-encoding': 'gzip',
    });
    expect(zipped.status).toBe(413);
  });

  it('gives the signed webhooks a small limit of their own, checked before their signature', async () => {
    const response = await post(
      `/api/v1/webhooks/chat/${randomUUID()}`,
      Buffer.alloc(2 * 1024 * 1024, 0x20),
      {},
    );
    expect(response.status).toBe(413);
  });

  it('refuses an unknown Content-Encoding with 415 and malformed JSON with 400, with a reason', async () => {
    const unknown = await post('/api/v1/verbatims', Buffer.from('{}'), {
      authorization: `Bearer ${triager}`,
      'content-encoding': 'compress',
    });
    expect(unknown.status).toBe(415);
    const malformed = await post('/api/v1/verbatims', Buffer.from('{"text": '), {
      authorization: `Bearer ${triager}`,
    });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as Record<string, unknown>).message).toMatch(/malformed JSON/);
  });
});
