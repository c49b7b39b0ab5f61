import { ConfigError, loadConfig } from './env';
import { scrubForLog, scrubString } from './logging';

describe('loadConfig', () => {
  it('defaults to embedded mode with nothing set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      mode: 'embedded',
      databaseUrl: null,
      redisUrl: null,
      port: 3000,
      demoData: true,
    });
  });

  it('is in server mode with both a database and Redis', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://u@db:5432/lb', REDIS_URL: 'redis://cache:6379' });
    expect(config).toMatchObject({ mode: 'server', demoData: false });
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT: expected an integer from 0 to 65535, got "eighty"'],
    [{ PORT: '70000' }, 'PORT: expected an integer from 0 to 65535, got "70000"'],
    [
      { DATABASE_URL: 'mysql://x@y/z' },
      'DATABASE_URL: expected a URL (postgres: or postgresql:), got "mysql://x@y/z"',
    ],
    [{ REDIS_URL: 'not a url' }, 'REDIS_URL: expected a URL (redis: or rediss:), got "not a url"'],
    [
      { LOG_LEVEL: 'loud' },
      'LOG_LEVEL: expected one of fatal|error|warn|info|debug|trace|silent, got "loud"',
    ],
    [{ DEMO_DATA: 'maybe' }, 'DEMO_DATA: expected true or false, got "maybe"'],
    [{ QUEUE_PREFIX: 'a:b' }, 'QUEUE_PREFIX: expected letters, digits, _ or -, at most 40, got "a:b"'],
  ])('names the variable and what it expects: %j', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('never prints a password found in a malformed URL', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://user:hunter2@db/x' })).toThrow('mysql://user:***@db/x');
  });

  it('requires the author-key secret for a shared database in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://db/lb' })).toThrow(
      /AUTHOR_KEY_SECRET/,
    );
    expect(() => loadConfig({ AUTHOR_KEY_SECRET: 'short' })).toThrow(/at least 16 characters/);
  });
});

describe('TRUST_PROXY', () => {
  it('trusts no proxy by default, else a hop count or a list of proxies', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '0' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8,fd00::/8, 192.168.1.7' }).trustProxy).toEqual([
      'loopback',
      '10.0.0.0/8',
      'fd00::/8',
      '192.168.1.7',
    ]);
  });

  it.each(['true', 'proxy.example.com', '10.0.0.0/33', '11'])(
    'refuses %j (trusting every hop would let a client name its own address)',
    (value) => {
      expect(() => loadConfig({ TRUST_PROXY: value })).toThrow(/TRUST_PROXY: expected/);
    },
  );
});

describe('sign-in settings', () => {
  const server = { DATABASE_URL: 'postgres://u@db:5432/lb', REDIS_URL: 'redis://cache:6379' };
  const oidc = { OIDC_ISSUER: 'https://sso.example.com/realms/acme', OIDC_CLIENT_ID: 'loveboard' };

  it('turns local accounts on in embedded mode only, and keeps sessions 12 hours', () => {
    expect(loadConfig({})).toMatchObject({ localAccounts: true, sessionHours: 12, oidc: null });
    expect(loadConfig(server)).toMatchObject({ localAccounts: false });
    expect(loadConfig({ ...server, LOCAL_ACCOUNTS: 'true', SESSION_HOURS: '8' })).toMatchObject({
      localAccounts: true,
      sessionHours: 8,
    });
  });

  it('reads the provider, the role map and builds the redirect URI from PUBLIC_URL', () => {
    const config = loadConfig({
      ...oidc,
      OIDC_CLIENT_SECRET: 's3cret-value',
      OIDC_ROLE_MAP: 'lb-admins=admin, lb-triagers=triager',
      PUBLIC_URL: 'https://loveboard.example.com/',
    });
    expect(config.oidc).toMatchObject({
      issuer: oidc.OIDC_ISSUER,
      clientId: 'loveboard',
      clientSecret: 's3cret-value',
      label: 'Company SSO',
      roleClaim: 'groups',
      defaultRole: 'viewer',
      redirectUri: 'https://loveboard.example.com/auth/oidc/callback',
    });
    expect([...(config.oidc?.roleMap ?? [])]).toEqual([
      ['lb-admins', 'admin'],
      ['lb-triagers', 'triager'],
    ]);
  });

  it.each([
    [{ OIDC_ISSUER: 'http://sso.example.com', OIDC_CLIENT_ID: 'x' }, /OIDC_ISSUER: expected an https URL/],
    [{ OIDC_ISSUER: 'https://sso.example.com' }, /OIDC_CLIENT_ID/],
    [{ OIDC_CLIENT_ID: 'x', OIDC_CLIENT_SECRET: 'y' }, /OIDC_ISSUER/],
    [{ ...oidc, OIDC_ROLE_MAP: 'lb-admins=root' }, /OIDC_ROLE_MAP: expected claim values with their role/],
    [
      { ...oidc, OIDC_DEFAULT_ROLE: 'developer' },
      /OIDC_DEFAULT_ROLE: expected one of viewer\|triager\|admin/,
    ],
    // Issue 19: everyone the provider lets in would administer the product.
    [{ ...oidc, OIDC_DEFAULT_ROLE: 'admin' }, /OIDC_DEFAULT_ROLE: expected a role other than admin/],
    [{ OUTBOUND_ALLOW_PRIVATE: 'sometimes' }, /OUTBOUND_ALLOW_PRIVATE: expected true or false/],
    [{ SESSION_HOURS: '0' }, /SESSION_HOURS: expected an integer from 1 to 744/],
    [{ LOCAL_ACCOUNTS: 'perhaps' }, /LOCAL_ACCOUNTS: expected true or false/],
    [{ PUBLIC_URL: 'https://example.com/loveboard' }, /PUBLIC_URL: expected the origin/],
  ])('refuses a wrong sign-in setting: %j', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('accepts plain http for a provider on the loopback only, and never prints the client secret', () => {
    expect(loadConfig({ OIDC_ISSUER: 'http://127.0.0.1:9000', OIDC_CLIENT_ID: 'x' }).oidc?.issuer).toBe(
      'http://127.0.0.1:9000',
    );
    let message = '';
    try {
      loadConfig({ OIDC_ISSUER: 'ftp://x', OIDC_CLIENT_ID: 'x', OIDC_CLIENT_SECRET: 'hunter2-secret' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/OIDC_ISSUER/);
    expect(message).not.toContain('hunter2');
  });
});

describe('log scrubbing', () => {
  it('removes e-mail addresses, API keys, bearer tokens and URL passwords from strings', () => {
    const line = scrubString(
      'from jeanne@example.com with lb_abcdefghij12_' +
        'x'.repeat(43) +
        ' Bearer abcdefghijklmnop to postgres://u:pw@db/x',
    );
    expect(line).toBe('from [EMAIL] with [API_KEY] Bearer [TOKEN] to postgres://u:***@db/x');
  });

  it('censors customer text and credentials by field name, at any depth', () => {
    const record = scrubForLog({
      job: { text: 'secret words', author: 'a@b.co', headers: { authorization: 'x' } },
      n: 1,
    });
    expect(record).toEqual({
      job: { text: '[redacted]', author: '[redacted]', headers: { authorization: '[redacted]' } },
      n: 1,
    });
  });
});
