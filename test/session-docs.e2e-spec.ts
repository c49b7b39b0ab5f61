import { Role } from '@app/database';
import { useApi } from './support/app';
import { http } from './support/http';

/**
 * The UI's first question (who is this browser?) answered without a 401 for Chromium to log, and
 * the API documentation opened in the browser by a signed-in admin with their session cookie.
 */
describe('session probe and documentation in the browser', () => {
  const { api } = useApi({ env: { LOCAL_ACCOUNTS: 'true' } });
  let admin: string;
  const cookies: Record<string, string> = {};

  const signIn = async (role: Role) => {
    const email = `${role}@docs.test`;
    const created = await http(api.url, 'POST', '/api/v1/users', {
      key: admin,
      body: { email, role, displayName: `Docs ${role}` },
    });
    expect(created.status).toBe(201);
    const signedIn = await fetch(`${api.url}/auth/local`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: created.body.password }),
    });
    expect(signedIn.status).toBe(204);
    const cookie = signedIn.headers.getSetCookie().find((line) => line.startsWith('lb_session='));
    return (cookie ?? '').split(';')[0];
  };

  beforeAll(async () => {
    admin = await api.key(Role.Admin);
    cookies.admin = await signIn(Role.Admin);
    cookies.viewer = await signIn(Role.Viewer);
  });

  it('says "not signed in" with a 200, and who is signed in with the CSRF token', async () => {
    expect(await http(api.url, 'GET', '/auth/session')).toMatchObject({
      status: 200,
      body: { signedIn: false },
    });
    const ended = await http(api.url, 'GET', '/auth/session', { headers: { cookie: 'lb_session=nope' } });
    expect(ended.body).toEqual({ signedIn: false });
    const session = await http(api.url, 'GET', '/auth/session', { headers: { cookie: cookies.viewer } });
    expect(session.status).toBe(200);
    expect(session.body).toMatchObject({
      signedIn: true,
      me: { kind: 'user', role: 'viewer', displayName: 'Docs viewer', csrfToken: expect.any(String) },
    });
    // The same person and token as GET /api/v1/me.
    const me = await http(api.url, 'GET', '/api/v1/me', { headers: { cookie: cookies.viewer } });
    expect(session.body.me).toEqual(me.body);
    // An API key (the UI's development proxy) is a principal too; a wrong one is nobody.
    expect((await http(api.url, 'GET', '/auth/session', { key: admin })).body).toMatchObject({
      signedIn: true,
      me: { kind: 'apikey', role: 'admin' },
    });
    expect((await http(api.url, 'GET', '/auth/session', { key: 'lb_wrong' })).body).toEqual({
      signedIn: false,
    });
  });

  it('opens the documentation to an admin’s session, for reading only', async () => {
    const page = await fetch(`${api.url}/api/docs/`, { headers: { cookie: cookies.admin } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('swagger');
    const document = await http(api.url, 'GET', '/api/docs/openapi.json', {
      headers: { cookie: cookies.admin },
    });
    expect(document.status).toBe(200);
    expect(document.body.info.title).toBe('LoveBoard API');
    // Only admins by session; no session: the key's challenge as before.
    const viewer = await http(api.url, 'GET', '/api/docs/openapi.json', {
      headers: { cookie: cookies.viewer },
    });
    expect(viewer.status).toBe(403);
    expect(viewer.body.message).toMatch(/admins only/);
    const nobody = await http(api.url, 'GET', '/api/docs/openapi.json');
    expect(nobody.status).toBe(401);
    expect(nobody.headers.get('www-authenticate')).toMatch(/^Basic/);
    // The cookie alone never acts, even on the docs' path.
    const post = await http(api.url, 'POST', '/api/docs/openapi.json', {
      headers: { cookie: cookies.admin },
      body: {},
    });
    expect(post.status).toBe(401);
  });
});
