import { Role } from '@app/database';
import { useApi } from './support/app';
import { verbatim } from './support/builders';
import { http } from './support/http';

/** Brute force on keys and ingestion floods are refused with 429 and a Retry-After. */
describe('rate limits', () => {
  const { api } = useApi({ env: { AUTH_FAILURES_PER_MINUTE: '3', INGEST_REQUESTS_PER_MINUTE: '2' } });

  it('limits ingestion per key, not per address', async () => {
    const [first, second] = [await api.key(Role.Triager), await api.key(Role.Triager)];
    const post = (key: string, i: number) =>
      http(api.url, 'POST', '/api/v1/verbatims', {
        key,
        body: verbatim({ source: 'limits', externalId: `l-${i}` }),
      });
    expect((await post(first, 1)).status).toBe(201);
    expect((await post(first, 2)).status).toBe(201);
    const refused = await fetch(`${api.url}/api/v1/verbatims`, {
      method: 'POST',
      headers: { authorization: `Bearer ${first}`, 'content-type': 'application/json' },
      body: JSON.stringify(verbatim({ source: 'limits', externalId: 'l-3' })),
    });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another key from the same address is not held back; reads are not limited.
    expect((await post(second, 4)).status).toBe(201);
    expect((await http(api.url, 'GET', '/api/v1/verbatims', { key: first })).status).toBe(200);
  });

  it('answers wrong keys from an address that keeps failing 429, and still serves its right keys', async () => {
    const valid = await api.key(Role.Viewer);
    const wrong = `lb_aaaaaaaaaaaa_${'x'.repeat(43)}`;
    for (let i = 0; i < 3; i++) {
      expect((await http(api.url, 'GET', '/api/v1/verbatims', { key: wrong })).status).toBe(401);
    }
    const blocked = await fetch(`${api.url}/api/v1/verbatims`, {
      headers: { authorization: `Bearer ${wrong}` },
    });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    // Without TRUST_PROXY, X-Forwarded-For is the client's own say: it does not move it elsewhere.
    const spoofed = await http(api.url, 'GET', '/api/v1/verbatims', {
      key: wrong,
      headers: { 'x-forwarded-for': '198.51.100.77' },
    });
    expect(spoofed.status).toBe(429);
    // Everyone behind the same address with a right key is served.
    expect((await http(api.url, 'GET', '/api/v1/verbatims', { key: valid })).status).toBe(200);
    // The pages that take a key count too, and serve right keys the same.
    const docs = await fetch(`${api.url}/api/docs/openapi.json`, {
      headers: { authorization: `Bearer ${wrong}` },
    });
    expect(docs.status).toBe(429);
    expect(Number(docs.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await http(api.url, 'GET', '/api/docs/openapi.json', { key: valid })).status).toBe(200);
    // Health stays open to probes.
    expect((await fetch(`${api.url}/health`)).status).toBe(200);
  });
});

/**
 * Issue 19, finding 6: behind a proxy every client shares its address. With TRUST_PROXY naming the
 * proxy, the client's own address (X-Forwarded-For) is what is counted, and a right key is never
 * refused because someone else, or the same address, presented wrong ones.
 */
describe('rate limits behind a trusted proxy (TRUST_PROXY)', () => {
  // The test talks to the API over the loopback: the loopback is the proxy here.
  const { api } = useApi({ env: { TRUST_PROXY: 'loopback', AUTH_FAILURES_PER_MINUTE: '30' } });

  it('30 wrong keys from one client, then its valid key gets 200; its wrong keys get 429', async () => {
    const valid = await api.key(Role.Viewer);
    // The client as the proxy names it: the last address before the trusted hops.
    const from = (address: string) => ({ 'x-forwarded-for': address });
    const wrong = (i: number) => `lb_${String(i).padStart(12, 'a')}_${'x'.repeat(43)}`;
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) {
      statuses.push(
        (await http(api.url, 'GET', '/api/v1/verbatims', { key: wrong(i), headers: from('203.0.113.7') }))
          .status,
      );
    }
    expect(new Set(statuses)).toEqual(new Set([401]));
    const refused = await http(api.url, 'GET', '/api/v1/verbatims', {
      key: wrong(31),
      headers: from('203.0.113.7'),
    });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(
      (await http(api.url, 'GET', '/api/v1/verbatims', { key: valid, headers: from('203.0.113.7') })).status,
    ).toBe(200);
    // Naming another address in front of its own does not get the client out of its count.
    const forged = await http(api.url, 'GET', '/api/v1/verbatims', {
      key: wrong(34),
      headers: { 'x-forwarded-for': '198.51.100.1, 203.0.113.7' },
    });
    expect(forged.status).toBe(429);
    // Another client behind the same proxy is counted apart: its first wrong key is a plain 401.
    expect(
      (await http(api.url, 'GET', '/api/v1/verbatims', { key: wrong(32), headers: from('203.0.113.8') }))
        .status,
    ).toBe(401);
    // And the same on the pages that take a key (docs, queue board).
    const docs = await fetch(`${api.url}/api/docs/openapi.json`, {
      headers: { authorization: `Bearer ${wrong(33)}`, ...from('203.0.113.7') },
    });
    expect(docs.status).toBe(429);
    const opened = await fetch(`${api.url}/api/docs/openapi.json`, {
      headers: { authorization: `Bearer ${valid}`, ...from('203.0.113.7') },
    });
    expect(opened.status).toBe(200);
  });
});
