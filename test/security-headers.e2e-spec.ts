import { Role } from '@app/database';
import { webUiDirectory } from '../apps/api/src/http/web-ui';
import { TEST_REDIS_URL, useApi } from './support/app';
import { http } from './support/http';

/** A Content-Security-Policy header as directive → sources. */
function parseCsp(header: string | null): Map<string, string[]> {
  const directives = new Map<string, string[]>();
  for (const part of (header ?? '').split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) directives.set(name.toLowerCase(), sources);
  }
  return directives;
}

/** The UI's promise: its own code only, nothing inline, nothing embedded, never framed. */
function expectStrictUiPolicy(headers: Headers): void {
  const csp = parseCsp(headers.get('content-security-policy'));
  expect(csp.get('default-src')).toEqual(["'self'"]);
  expect(csp.get('script-src')).toEqual(["'self'"]);
  expect(csp.get('style-src')).toEqual(["'self'"]);
  expect(csp.get('object-src')).toEqual(["'none'"]);
  expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
  expect(csp.get('base-uri')).toEqual(["'none'"]);
  expect(csp.get('form-action')).toEqual(["'self'"]);
  // Helmet's default would allow `script-src-attr 'none'` only; make sure nothing re-opens inline code.
  for (const sources of csp.values()) {
    expect(sources).not.toContain("'unsafe-inline'");
    expect(sources).not.toContain("'unsafe-eval'");
    expect(sources).not.toContain('*');
  }
}

/** Helmet's headers, on every answer of the API and the UI alike. */
function expectHardenedHeaders(headers: Headers): void {
  expect(headers.get('x-content-type-options')).toBe('nosniff');
  expect(headers.get('x-powered-by')).toBeNull();
  expect(headers.get('x-frame-options')).toBe('SAMEORIGIN');
  expect(headers.get('referrer-policy')).toBe('no-referrer');
  expect(headers.get('strict-transport-security')).toMatch(/max-age=\d{7,}/);
  expect(headers.get('cross-origin-opener-policy')).toBe('same-origin');
  expect(headers.get('cross-origin-resource-policy')).toBe('same-origin');
  expect(headers.get('x-permitted-cross-domain-policies')).toBe('none');
  expect(headers.get('x-dns-prefetch-control')).toBe('off');
  expect(headers.get('content-security-policy')).toBeTruthy();
}

/**
 * Security headers on API answers and on the built UI (dist/web, `npm run build`), and API keys
 * accepted from the Authorization header only, never from the URL (which proxies, browsers'
 * history and Referer headers keep).
 */
describe('security headers', () => {
  // Server mode, so that Bull Board (/admin/queues) is mounted too.
  const { api } = useApi({ env: { REDIS_URL: TEST_REDIS_URL } });
  let admin: string;

  beforeAll(async () => {
    // The UI is part of what is promised: a missing build is a failure, not a skip.
    expect(webUiDirectory()).not.toBeNull();
    admin = await api.key(Role.Admin);
  });

  it.each([
    ['GET', '/health', undefined, 200],
    ['GET', '/api/v1/verbatims', 'admin', 200],
    ['GET', '/api/v1/verbatims', undefined, 401],
    ['GET', '/api/v1/no-such-route', 'admin', 404],
    ['POST', '/api/v1/verbatims', 'admin', 400],
  ] as const)('%s %s (key: %s) answers %d with the hardened headers', async (method, path, role, status) => {
    const response = await http(api.url, method, path, {
      key: role === undefined ? undefined : admin,
      raw: method === 'POST' ? '{not json' : undefined,
    });
    expect(response.status).toBe(status);
    expectHardenedHeaders(response.headers);
    // API answers carry the strict policy too: a JSON answer opened in a browser runs nothing.
    expectStrictUiPolicy(response.headers);
  });

  it.each(['/', '/irritants/x', '/board/2026-W47', '/irritants/x/y?tab=quotes', '/decisions'])(
    'serves the UI at %s with the strict policy',
    async (path) => {
      const response = await fetch(`${api.url}${path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await response.text()).toContain('<div id="root"></div>');
      expectHardenedHeaders(response.headers);
      expectStrictUiPolicy(response.headers);
      expect(response.headers.get('cache-control')).toBe('no-cache');
    },
  );

  it('serves the digest preview under a sandboxed policy it keeps: inline styles only, no script (issue 19)', async () => {
    const response = await http(api.url, 'GET', '/api/v1/digests/2026-W47', { key: admin });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = response.body as string;
    const csp = parseCsp(response.headers.get('content-security-policy'));
    expect(csp.get('sandbox')).toEqual([]);
    expect(csp.get('default-src')).toEqual(["'none'"]);
    expect(csp.get('script-src')).toBeUndefined();
    expect(csp.get('form-action')).toEqual(["'none'"]);
    // What the e-mail uses is what the policy allows: inline styles, no <script>, no external load.
    expect(html).toMatch(/style="/);
    expect(csp.get('style-src')).toEqual(["'unsafe-inline'"]);
    expect(html).not.toMatch(/<script\b|\bon[a-z]+=|<link\b[^>]*stylesheet/i);
    for (const [, src] of html.matchAll(/\bsrc="([^"]*)"/gi)) expect(src).toMatch(/^data:/);
  });

  it("the UI's page has no inline script or style the policy would block, and its assets are served nosniff", async () => {
    const html = await (await fetch(`${api.url}/`)).text();
    // Every <script> has a same-origin src; no <style> element, no style= or on...= attribute.
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/\bsrc="\/[^"/]/);
      expect(body.trim()).toBe('');
    }
    expect(html).not.toMatch(/<style\b/i);
    expect(html).not.toMatch(/\sstyle\s*=/i);
    expect(html).not.toMatch(/\son[a-z]+\s*=/i);
    const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((match) => match[1]);
    expect(assets.length).toBeGreaterThanOrEqual(2);
    for (const asset of assets) {
      const response = await fetch(`${api.url}${asset}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/javascript|css/);
      expectHardenedHeaders(response.headers);
      expect(response.headers.get('cache-control')).toContain('immutable');
    }
  });

  it('loosens the policy for the bundled tools only (Swagger UI, Bull Board), behind a key', async () => {
    for (const path of ['/api/docs/', '/admin/queues/']) {
      const anonymous = await fetch(`${api.url}${path}`);
      expect(anonymous.status).toBe(401);
      const response = await fetch(`${api.url}${path}`, { headers: { authorization: `Bearer ${admin}` } });
      expect(response.status).toBe(200);
      expectHardenedHeaders(response.headers);
      const csp = parseCsp(response.headers.get('content-security-policy'));
      expect(csp.get('object-src')).toEqual(["'none'"]);
      expect(csp.get('frame-ancestors')).toEqual(["'self'"]);
    }
    // A look-alike path is not a tool: the strict policy holds.
    const lookalike = await fetch(`${api.url}/api/docsx`);
    expectStrictUiPolicy(lookalike.headers);
  });

  describe('API keys in the URL are never accepted', () => {
    const NAMES = ['key', 'api_key', 'apikey', 'apiKey', 'access_token', 'token', 'authorization'];

    it('the same key works from the Authorization header', async () => {
      expect((await http(api.url, 'GET', '/api/v1/verbatims', { key: admin })).status).toBe(200);
    });

    it.each(NAMES)('?%s=<a valid admin key> is refused with 401', async (name) => {
      for (const path of ['/api/v1/verbatims', '/api/v1/boards/current', '/api/docs/', '/admin/queues/']) {
        const separator = path.includes('?') ? '&' : '?';
        for (const value of [admin, `Bearer ${admin}`]) {
          const response = await fetch(`${api.url}${path}${separator}${name}=${encodeURIComponent(value)}`);
          expect(response.status).toBe(401);
          // The answer never echoes the key it was handed.
          expect(await response.text()).not.toContain(admin);
        }
      }
    });

    it('a key in a path segment is no key either', async () => {
      // Nest's not-found answer quotes the path back to its caller (who sent it); what matters is
      // that it is refused, and that the log line of the request does not keep it (the run's log scan).
      const response = await fetch(`${api.url}/api/v1/verbatims;key=${admin}`);
      expect([401, 404]).toContain(response.status);
    });
  });
});
