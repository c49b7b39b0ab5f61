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

  it('refuses an address that keeps presenting wrong keys, for the rest of the minute', async () => {
    const valid = await api.key(Role.Viewer);
    for (let i = 0; i < 3; i++) {
      expect(
        (await http(api.url, 'GET', '/api/v1/verbatims', { key: `lb_aaaaaaaaaaaa_${'x'.repeat(43)}` }))
          .status,
      ).toBe(401);
    }
    const blocked = await fetch(`${api.url}/api/v1/verbatims`, {
      headers: { authorization: `Bearer ${valid}` },
    });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    // Health stays open to probes.
    expect((await fetch(`${api.url}/health`)).status).toBe(200);
  });
});
