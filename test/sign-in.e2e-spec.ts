import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { ApiKeyService } from '@app/auth';
import { SecretBox } from '@app/config';
import { Role } from '@app/database';
import { createApi } from '../apps/api/src/app';
import { freePort } from '../bench/soak/services';
import { testConfig } from './support/app';
import { verbatim } from './support/builders';
import { TestDatabase, createTestDatabase, query, waitForLastStage } from './support/database';
import { http } from './support/http';
import { until } from './support/wait';
import { ROOT, spawnApp } from './support/processes';

const CLIENT_ID = 'loveboard-test';
const CLIENT_SECRET = randomBytes(24).toString('hex');
const FAILURES_PER_MINUTE = 4;

interface StoredCookie {
  value: string;
  path: string;
}

/**
 * What a browser keeps between requests, enough for the code flow: cookies by name and path
 * (host-only; ports do not separate cookies, as in browsers), and their attributes as last set.
 */
class Browser {
  readonly cookies = new Map<string, StoredCookie>();
  readonly attributes = new Map<string, string>();

  cookieHeader(url: URL): string {
    return [...this.cookies.entries()]
      .filter(([, cookie]) => url.pathname.startsWith(cookie.path))
      .map(([name, cookie]) => `${name}=${cookie.value}`)
      .join('; ');
  }

  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const target = new URL(url);
    const headers = new Headers(init.headers);
    const cookie = this.cookieHeader(target);
    if (cookie) headers.set('cookie', cookie);
    const response = await fetch(target, { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';').map((part) => part.trim());
      const name = pair.slice(0, pair.indexOf('='));
      const value = pair.slice(pair.indexOf('=') + 1);
      const path = attributes.find((item) => /^path=/i.test(item))?.slice(5) ?? '/';
      const expired = attributes.some(
        (item) => /^expires=/i.test(item) && Date.parse(item.slice(8)) < Date.now(),
      );
      this.attributes.set(name, attributes.join('; '));
      if (value === '' || expired) this.cookies.delete(name);
      else this.cookies.set(name, { value, path });
    }
    return response;
  }

  session(): string | undefined {
    return this.cookies.get('lb_session')?.value;
  }
}

function startProvider(
  redirectUri: string,
  port = 0,
  extraEnv: Record<string, string> = {},
): Promise<{ child: ChildProcess; issuer: string }> {
  const child = spawn(process.execPath, [join(ROOT, 'test', 'support', 'oidc-provider.mjs')], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      OIDC_PORT: String(port),
      OIDC_CLIENT_ID: CLIENT_ID,
      OIDC_CLIENT_SECRET: CLIENT_SECRET,
      OIDC_REDIRECT_URI: redirectUri,
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /listening (\S+)/.exec(output);
      if (match) resolve({ child, issuer: match[1] });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`the OpenID provider exited (${code}):\n${output}`)));
  });
}

/**
 * People sign in: local accounts and single sign-on against a real OpenID provider on the
 * loopback (oidc-provider, driven by plain HTTP), cookie sessions with their CSRF token, roles.
 */
describe('sign-in (sessions, local accounts, OpenID Connect)', () => {
  let db: TestDatabase;
  let app: INestApplication;
  let url: string;
  let provider: ChildProcess;
  let adminKey: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    const started = await startProvider(`${url}/auth/oidc/callback`);
    provider = started.child;
    app = await createApi(
      testConfig({
        DATABASE_URL: db.url,
        PUBLIC_URL: url,
        LOCAL_ACCOUNTS: 'true',
        OIDC_ISSUER: started.issuer,
        OIDC_CLIENT_ID: CLIENT_ID,
        OIDC_CLIENT_SECRET: CLIENT_SECRET,
        OIDC_LABEL: 'Test SSO',
        OIDC_ROLE_MAP: 'lb-admins=admin,lb-triagers=triager',
      }),
    );
    await app.listen(port, '127.0.0.1');
    adminKey = (await app.get(ApiKeyService).create('test admin', Role.Admin, 'test')).key;
  });

  afterAll(async () => {
    await app?.close();
    provider?.kill('SIGKILL');
    await db?.drop();
  });

  /** A new account through the admin API: its id and generated password. */
  async function createUser(email: string, role: Role): Promise<{ id: string; password: string }> {
    const created = await http(url, 'POST', '/api/v1/users', { key: adminKey, body: { email, role } });
    expect(created.status).toBe(201);
    return { id: created.body.user.id, password: created.body.password };
  }

  async function signIn(email: string, password: string): Promise<{ browser: Browser; status: number }> {
    const browser = new Browser();
    const response = await browser.fetch(`${url}/auth/local`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    return { browser, status: response.status };
  }

  async function me(browser: Browser): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await browser.fetch(`${url}/api/v1/me`);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  /** Follows the code flow by hand, as a browser would, signing in `account` at the provider. */
  async function ssoSignIn(
    account: string,
    returnTo = '/',
    tamper?: (callback: URL) => void,
    base = url,
  ): Promise<{ browser: Browser; location: string }> {
    const browser = new Browser();
    let next = `${base}/auth/oidc/login?returnTo=${encodeURIComponent(returnTo)}`;
    for (let hops = 0; hops < 20; hops++) {
      const target = new URL(next);
      if (target.pathname.startsWith('/interaction/')) target.searchParams.set('account', account);
      if (target.origin === base && target.pathname === '/auth/oidc/callback') tamper?.(target);
      const response = await browser.fetch(target.href);
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || location === null) {
        throw new Error(`${target.pathname} answered ${response.status}: ${await response.text()}`);
      }
      const resolved = new URL(location, target);
      // Back on the API, past its own sign-in routes: where the person lands.
      if (target.origin === base && target.pathname === '/auth/oidc/callback') return { browser, location };
      next = resolved.href;
    }
    throw new Error('too many redirects');
  }

  it('says how people may sign in', async () => {
    expect((await http(url, 'GET', '/auth/providers')).body).toEqual({
      local: true,
      oidc: { label: 'Test SSO' },
    });
  });

  it('signs a local account in with an HttpOnly SameSite cookie; /api/v1/me names the person', async () => {
    const { id, password } = await createUser('Viola@Example.com', Role.Viewer);
    expect(password).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    const { browser, status } = await signIn('viola@example.com', password);
    expect(status).toBe(204);
    expect(browser.session()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const attributes = browser.attributes.get('lb_session') ?? '';
    expect(attributes).toMatch(/HttpOnly/i);
    expect(attributes).toMatch(/SameSite=Lax/i);
    expect(attributes).toMatch(/Path=\//i);
    expect(attributes).not.toMatch(/Secure/i);
    const who = await me(browser);
    expect(who).toEqual({
      status: 200,
      body: {
        id,
        kind: 'user',
        email: 'viola@example.com',
        displayName: 'viola',
        role: 'viewer',
        csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      },
    });
    // Only a hash of the cookie is stored.
    const rows = await query<{ id: string }>(db.url, `SELECT id FROM user_session WHERE user_id = $1`, [id]);
    expect(rows).toHaveLength(1);
    expect(rows[0].id).not.toContain(browser.session());
    // The list of accounts shows no password hash.
    const listed = await http(url, 'GET', '/api/v1/users', { key: adminKey });
    expect(JSON.stringify(listed.body)).not.toMatch(/scrypt|password/i);
    expect(listed.body).toContainEqual(
      expect.objectContaining({ id, local: true, sso: false, role: 'viewer' }),
    );
  });

  it('answers /api/v1/me for an API key, without a CSRF token', async () => {
    const answer = await http(url, 'GET', '/api/v1/me', { key: adminKey });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      id: expect.any(String),
      kind: 'apikey',
      displayName: 'test admin',
      role: 'admin',
    });
    expect((await http(url, 'GET', '/api/v1/me')).status).toBe(401);
  });

  it('refuses a state change with the cookie alone: X-CSRF-Token missing or wrong is a 403', async () => {
    const { id, password } = await createUser('ada@example.com', Role.Admin);
    const other = await createUser('other@example.com', Role.Viewer);
    const { browser } = await signIn('ada@example.com', password);
    const csrf = (await me(browser)).body.csrfToken as string;
    const patch = (headers: Record<string, string>) =>
      browser.fetch(`${url}/api/v1/users/${other.id}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ role: 'triager' }),
      });
    const missing = await patch({});
    expect(missing.status).toBe(403);
    expect(((await missing.json()) as { message: string }).message).toMatch(/X-CSRF-Token/);
    const wrong = await patch({ 'x-csrf-token': randomBytes(32).toString('base64url') });
    expect(wrong.status).toBe(403);
    expect(((await wrong.json()) as { message: string }).message).toMatch(/does not match/);
    const right = await patch({ 'x-csrf-token': csrf });
    expect(right.status).toBe(200);
    expect(await right.json()).toMatchObject({ id: other.id, role: 'triager' });
    // Audited under the person.
    const audit = await query<{ actor: string }>(
      db.url,
      `SELECT actor FROM audit_event WHERE action = 'user.update' AND subject_id = $1`,
      [other.id],
    );
    expect(audit).toEqual([{ actor: `user:${id}` }]);
    // An admin cannot lock themselves out by a slip.
    expect(
      (
        await browser.fetch(`${url}/api/v1/users/${id}`, {
          method: 'PATCH',
          headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
          body: JSON.stringify({ disabled: true }),
        })
      ).status,
    ).toBe(403);
    // A key-authenticated call needs no CSRF token, and the key wins over a cookie.
    const withKey = await browser.fetch(`${url}/api/v1/me`, {
      headers: { authorization: `Bearer ${adminKey}` },
    });
    expect(((await withKey.json()) as { kind: string }).kind).toBe('apikey');
  });

  it('lets a triager session decide on a board item and refuses a viewer session (403)', async () => {
    const ingested = await http(url, 'POST', '/api/v1/verbatims', {
      key: adminKey,
      body: [0, 1].map((i) =>
        verbatim({
          source: 'sign-in',
          externalId: `s-${i}`,
          author: `p${i}@example.com`,
          text: 'Paiement refusé au 3-D Secure, impossible de payer mon billet',
          lang: 'fr',
          receivedAt: '2026-10-27T10:00:00Z',
        }),
      ),
    });
    await waitForLastStage(
      db.url,
      ingested.body.items.map((item: { id: string }) => item.id),
    );
    const items = (await http(url, 'GET', '/api/v1/boards/2026-W44', { key: adminKey })).body.items;
    const irritantId = items[0].irritantId as string;
    const decide = async (browser: Browser) => {
      const csrf = (await me(browser)).body.csrfToken as string;
      return browser.fetch(`${url}/api/v1/boards/2026-W44/items/${irritantId}/decision`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
        body: JSON.stringify({ kind: 'watch' }),
      });
    };
    const viewer = await createUser('vic@example.com', Role.Viewer);
    const refused = await decide((await signIn('vic@example.com', viewer.password)).browser);
    expect(refused.status).toBe(403);
    const triager = await createUser('tria@example.com', Role.Triager);
    const accepted = await decide((await signIn('tria@example.com', triager.password)).browser);
    expect(accepted.status).toBe(201);
    expect(await accepted.json()).toMatchObject({ kind: 'watch', by: `user:${triager.id}` });
  });

  it('ends the session at logout: the old cookie is refused', async () => {
    const { password } = await createUser('leo@example.com', Role.Viewer);
    const { browser } = await signIn('leo@example.com', password);
    const token = browser.session() as string;
    const csrf = (await me(browser)).body.csrfToken as string;
    // Another site cannot sign people out either.
    expect((await browser.fetch(`${url}/auth/logout`, { method: 'POST' })).status).toBe(403);
    const out = await browser.fetch(`${url}/auth/logout`, {
      method: 'POST',
      headers: { 'x-csrf-token': csrf },
    });
    expect(out.status).toBe(204);
    expect(browser.session()).toBeUndefined();
    const replayed = await fetch(`${url}/api/v1/me`, { headers: { cookie: `lb_session=${token}` } });
    expect(replayed.status).toBe(401);
    expect(await replayed.json()).toMatchObject({ message: expect.stringMatching(/sign in again/) });
  });

  it("refuses a disabled person's session at once, and their password afterwards", async () => {
    const { id, password } = await createUser('dan@example.com', Role.Triager);
    const { browser } = await signIn('dan@example.com', password);
    expect((await me(browser)).status).toBe(200);
    const disabled = await http(url, 'PATCH', `/api/v1/users/${id}`, {
      key: adminKey,
      body: { disabled: true },
    });
    expect(disabled.status).toBe(200);
    expect(disabled.body.disabledAt).toEqual(expect.any(String));
    expect((await me(browser)).status).toBe(401);
    expect((await query(db.url, `SELECT 1 FROM user_session WHERE user_id = $1`, [id])).length).toBe(0);
    expect((await signIn('dan@example.com', password)).status).toBe(401);
    // Enabled again: the same password works.
    await http(url, 'PATCH', `/api/v1/users/${id}`, { key: adminKey, body: { disabled: false } });
    expect((await signIn('dan@example.com', password)).status).toBe(204);
  });

  it('refuses an expired session and slides a live one forward', async () => {
    const { id, password } = await createUser('eve@example.com', Role.Viewer);
    const { browser } = await signIn('eve@example.com', password);
    // A session idle for two minutes, one minute from its end: a request moves its end SESSION_HOURS on.
    await query(
      db.url,
      `UPDATE user_session SET last_seen_at = now() - interval '2 minutes', expires_at = now() + interval '1 minute' WHERE user_id = $1`,
      [id],
    );
    expect((await me(browser)).status).toBe(200);
    const [slid] = await query<{ hours: number }>(
      db.url,
      `SELECT extract(epoch FROM expires_at - now()) / 3600 AS hours FROM user_session WHERE user_id = $1`,
      [id],
    );
    expect(Number(slid.hours)).toBeGreaterThan(11);
    await query(
      db.url,
      `UPDATE user_session SET expires_at = now() - interval '1 second' WHERE user_id = $1`,
      [id],
    );
    expect((await me(browser)).status).toBe(401);
    // Purged as it was found expired.
    expect((await query(db.url, `SELECT 1 FROM user_session WHERE user_id = $1`, [id])).length).toBe(0);
  });

  it('signs a person in through the OpenID provider, with the role mapped from their groups', async () => {
    const { browser, location } = await ssoSignIn('bob', '/board/2026-W44?tab=decisions');
    expect(location).toBe('/board/2026-W44?tab=decisions');
    expect(browser.cookies.has('lb_oidc')).toBe(false);
    const who = await me(browser);
    expect(who.body).toMatchObject({
      kind: 'user',
      email: 'bob@example.com',
      displayName: 'Bob Triager',
      role: 'triager',
    });
    // The highest mapped group wins; no mapped group: the default role.
    expect((await me((await ssoSignIn('alice')).browser)).body).toMatchObject({ role: 'admin' });
    expect((await me((await ssoSignIn('carol')).browser)).body).toMatchObject({ role: 'viewer' });
    // The second sign-in finds the same account (issuer + subject), and re-evaluates the role.
    const { id } = who.body as { id: string };
    await query(db.url, `UPDATE app_user SET role = 'admin' WHERE id = $1`, [id]);
    expect((await me((await ssoSignIn('bob')).browser)).body).toMatchObject({ id, role: 'triager' });
    const listed = await http(url, 'GET', '/api/v1/users', { key: adminKey });
    expect(listed.body.filter((user: { email: string }) => user.email === 'bob@example.com')).toEqual([
      expect.objectContaining({ id, sso: true, local: false }),
    ]);
  });

  it('links an account made beforehand by verified e-mail, never by an unverified one', async () => {
    const made = await createUser('dora@example.com', Role.Triager);
    expect((await ssoSignIn('mallory')).location).toBe('/sign-in?error=account_conflict');
    const { browser } = await ssoSignIn('dora');
    expect((await me(browser)).body).toMatchObject({
      id: made.id,
      role: 'viewer',
      displayName: 'Dora Linked',
    });
  });

  it('sends the browser back to /sign-in with a reason when the flow is tampered with', async () => {
    const tamperedState = await ssoSignIn('bob', '/', (callback) =>
      callback.searchParams.set('state', 'forged'),
    );
    expect(tamperedState.location).toBe('/sign-in?error=bad_state');
    expect(tamperedState.browser.session()).toBeUndefined();
    const tamperedCode = await ssoSignIn('bob', '/', (callback) =>
      callback.searchParams.set('code', 'forged'),
    );
    expect(tamperedCode.location).toBe('/sign-in?error=token_rejected');
    // A callback without the attempt's cookie (another browser), or with an altered one.
    const bare = await fetch(`${url}/auth/oidc/callback?code=x&state=y`, { redirect: 'manual' });
    expect(bare.status).toBe(302);
    expect(bare.headers.get('location')).toBe('/sign-in?error=bad_state');
    const altered = await fetch(`${url}/auth/oidc/callback?code=x&state=y`, {
      redirect: 'manual',
      headers: { cookie: `lb_oidc=${encodeURIComponent('v1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')}` },
    });
    expect(altered.headers.get('location')).toBe('/sign-in?error=bad_state');
    const denied = await fetch(`${url}/auth/oidc/callback?error=access_denied&state=y`, {
      redirect: 'manual',
    });
    expect(denied.headers.get('location')).toBe('/sign-in?error=access_denied');
    // An attempt sealed with this installation's key (testConfig's SECRETS_KEY) but past its 10 minutes.
    const stale = new SecretBox('test-secrets-key-0123456789abcdef0123456789').seal(
      JSON.stringify({ state: 's', nonce: 'n', verifier: 'v', returnTo: '/', expiresAt: Date.now() - 1_000 }),
    );
    const expired = await fetch(`${url}/auth/oidc/callback?code=x&state=s`, {
      redirect: 'manual',
      headers: { cookie: `lb_oidc=${encodeURIComponent(stale)}` },
    });
    expect(expired.headers.get('location')).toBe('/sign-in?error=expired');
  });

  it("refuses a disabled person at the provider's return", async () => {
    const { browser } = await ssoSignIn('carol');
    const { id } = (await me(browser)).body as { id: string };
    await http(url, 'PATCH', `/api/v1/users/${id}`, { key: adminKey, body: { disabled: true } });
    const again = await ssoSignIn('carol');
    expect(again.location).toBe('/sign-in?error=account_disabled');
    expect(again.browser.session()).toBeUndefined();
    await http(url, 'PATCH', `/api/v1/users/${id}`, { key: adminKey, body: { disabled: false } });
  });

  it('starts while the provider is down, and signs people in once it is up', async () => {
    const [apiPort, providerPort] = [await freePort(), await freePort()];
    const base = `http://127.0.0.1:${apiPort}`;
    const second = await createApi(
      testConfig({
        DATABASE_URL: db.url,
        PUBLIC_URL: base,
        OIDC_ISSUER: `http://127.0.0.1:${providerPort}`,
        OIDC_CLIENT_ID: CLIENT_ID,
        OIDC_CLIENT_SECRET: CLIENT_SECRET,
        OIDC_ROLE_MAP: 'lb-triagers=triager',
      }),
    );
    let late: ChildProcess | undefined;
    try {
      await second.listen(apiPort, '127.0.0.1');
      expect((await http(base, 'GET', '/auth/providers')).body.oidc).toEqual({ label: 'Company SSO' });
      const down = await fetch(`${base}/auth/oidc/login`, { redirect: 'manual' });
      expect(down.status).toBe(302);
      expect(down.headers.get('location')).toBe('/sign-in?error=provider_unavailable');
      late = (await startProvider(`${base}/auth/oidc/callback`, providerPort)).child;
      // Discovery is tried again at a later sign-in (not more than every few seconds).
      const location = await until(
        async () =>
          (await fetch(`${base}/auth/oidc/login`, { redirect: 'manual' })).headers.get('location') ?? '',
        (where) => where.startsWith(`http://127.0.0.1:${providerPort}/`),
        { what: 'a sign-in redirected to the provider that came back', everyMs: 250 },
      );
      expect(location).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${providerPort}/auth\\?`));
      const url = new URL(location);
      expect(url.searchParams.get('code_challenge_method')).toBe('S256');
      expect(url.searchParams.get('redirect_uri')).toBe(`${base}/auth/oidc/callback`);
      const { browser, location: landed } = await ssoSignIn('frank', '/', undefined, base);
      expect(landed).toBe('/');
      const who = await browser.fetch(`${base}/api/v1/me`);
      expect(await who.json()).toMatchObject({ email: 'frank@example.com', role: 'triager' });
      // Bob's address belongs to an identity of the first provider: not taken over by this one.
      expect((await ssoSignIn('bob', '/', undefined, base)).location).toBe('/sign-in?error=account_conflict');
    } finally {
      await second.close();
      late?.kill('SIGKILL');
    }
  });

  it("refuses an ID token signed by a key outside the provider's key set (issue 19)", async () => {
    const apiPort = await freePort();
    const base = `http://127.0.0.1:${apiPort}`;
    const rogue = await startProvider(`${base}/auth/oidc/callback`, 0, { OIDC_ROGUE_JWKS: '1' });
    const third = await createApi(
      testConfig({
        DATABASE_URL: db.url,
        PUBLIC_URL: base,
        OIDC_ISSUER: rogue.issuer,
        OIDC_CLIENT_ID: CLIENT_ID,
        OIDC_CLIENT_SECRET: CLIENT_SECRET,
        OIDC_ROLE_MAP: 'lb-triagers=triager',
      }),
    );
    try {
      await third.listen(apiPort, '127.0.0.1');
      const { browser, location } = await ssoSignIn('frank', '/', undefined, base);
      expect(location).toBe('/sign-in?error=token_rejected');
      expect((await browser.fetch(`${base}/api/v1/me`)).status).toBe(401);
    } finally {
      await third.close();
      rogue.child.kill('SIGKILL');
    }
  });

  it('never redirects off the site after sign-in', async () => {
    for (const returnTo of [
      '//evil.example/x',
      'https://evil.example/',
      '/\\evil.example',
      'javascript:alert(1)',
    ]) {
      expect((await ssoSignIn('carol', returnTo)).location).toBe('/');
    }
  });

  it('creates, re-roles and disables accounts from the CLI, the password printed once', async () => {
    const env = {
      DATABASE_URL: db.url,
      AUTHOR_KEY_SECRET: 'test-author-key-secret-0123456789',
      LOG_LEVEL: 'warn',
    };
    const run = async (args: string[]) => {
      const cli = spawnApp('cli', args, env);
      const code = await cli.exited;
      return { code, output: cli.output() };
    };
    const created = await run([
      'user',
      'create',
      '--email',
      'cli@example.com',
      '--role',
      'triager',
      '--name',
      'Cli Person',
    ]);
    expect(created.code).toBe(0);
    const password = created.output.trim().split('\n').pop() as string;
    const { browser } = await signIn('cli@example.com', password);
    expect((await me(browser)).body).toMatchObject({ displayName: 'Cli Person', role: 'triager' });
    expect((await run(['user', 'set-role', '--email', 'cli@example.com', '--role', 'admin'])).code).toBe(0);
    expect((await me(browser)).body).toMatchObject({ role: 'admin' });
    const reset = await run(['user', 'reset-password', '--email', 'cli@example.com']);
    expect(reset.code).toBe(0);
    const newPassword = reset.output.trim().split('\n').pop() as string;
    expect(newPassword).not.toBe(password);
    expect((await me(browser)).status).toBe(401);
    expect((await signIn('cli@example.com', password)).status).toBe(401);
    const again = await signIn('cli@example.com', newPassword);
    expect(again.status).toBe(204);
    expect((await me(again.browser)).status).toBe(200);
    expect((await run(['user', 'disable', '--email', 'cli@example.com'])).code).toBe(0);
    expect((await me(again.browser)).status).toBe(401);
    const unknown = await run(['user', 'disable', '--email', 'nobody@example.com']);
    expect(unknown.code).not.toBe(0);
    expect(unknown.output).toMatch(/no user with the e-mail address/);
    const badRole = await run(['user', 'create', '--email', 'x@example.com', '--role', 'developer']);
    expect(badRole.output).toMatch(/expected one of viewer, triager, admin/);
  });

  it('answers one 401 for an unknown address and a wrong password, counted per address and account: then 429', async () => {
    // An API of its own: the failures are counted per process and address, and this one is left refusing.
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const limited = await createApi(
      testConfig({
        DATABASE_URL: db.url,
        LOCAL_ACCOUNTS: 'true',
        AUTH_FAILURES_PER_MINUTE: String(FAILURES_PER_MINUTE),
        // Served over https behind a proxy: the cookie must be Secure.
        PUBLIC_URL: 'https://loveboard.example.com',
      }),
    );
    try {
      await limited.listen(port, '127.0.0.1');
      const { password } = await createUser('lim@example.com', Role.Viewer);
      const post = (email: string, secret: string) =>
        fetch(`${base}/auth/local`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email, password: secret }),
        });
      const signedIn = await post('lim@example.com', password);
      expect(signedIn.status).toBe(204);
      expect(signedIn.headers.get('set-cookie')).toMatch(/^lb_session=[^;]+;.*\bSecure\b/i);
      const unknown = await post('nobody@example.com', password);
      const wrong = await post('lim@example.com', `${password}x`);
      expect([unknown.status, wrong.status]).toEqual([401, 401]);
      expect(await unknown.json()).toEqual(await wrong.json());
      expect(
        (await http(base, 'GET', '/api/v1/me', { key: `lb_aaaaaaaaaaaa_${'x'.repeat(43)}` })).status,
      ).toBe(401);
      expect((await post('LIM@example.com', `${password}y`)).status).toBe(401);
      // FAILURES_PER_MINUTE failures from this address: the next wrong one is refused (429)…
      const blocked = await post('lim@example.com', `${password}z`);
      expect(blocked.status).toBe(429);
      expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
      // …but a right password is never refused for what others did from the same address.
      expect((await post('lim@example.com', password)).status).toBe(204);
      // Once this account has failed FAILURES_PER_MINUTE times from here, its password is not even
      // checked for the rest of the minute (it can be guessed); other people from here sign in.
      expect((await post('lim@example.com', `${password}w`)).status).toBe(429);
      expect((await post('lim@example.com', password)).status).toBe(429);
      const other = await createUser('lim2@example.com', Role.Viewer);
      expect((await post('lim2@example.com', other.password)).status).toBe(204);
      // The other API process keeps its own count.
      expect((await signIn('lim@example.com', password)).status).toBe(204);
    } finally {
      await limited.close();
    }
  });
});
