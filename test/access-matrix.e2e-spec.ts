import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { SessionService, UserService } from '@app/auth';
import { Role } from '@app/database';
import { PUBLIC, ROLES } from '../apps/api/src/auth/access.decorators';
import { useApi } from './support/app';

interface Route {
  method: string;
  path: string;
  roles: Role[] | undefined;
  isPublic: boolean;
}

/** Values for path parameters: well-formed, so that a refusal is the guard's and not a 400. */
const PARAMS: Record<string, string> = {
  isoWeek: '2026-W40',
  key: 'nps',
  axis: 'legal',
};
const fill = (path: string) =>
  path.replace(/:([A-Za-z]+)/g, (_, name: string) => PARAMS[name] ?? '00000000-0000-4000-8000-000000000000');

/**
 * Every route of the API, found in the controllers themselves: denied without a key, and to
 * exactly the roles it does not name; a route that names none is denied to everyone. Keys are
 * never taken from the URL.
 */
describe('access matrix (generated from the controllers)', () => {
  const { api } = useApi();
  const keys = new Map<Role, string>();
  /** People's sessions (cookie and CSRF token): roles viewer, triager, admin. */
  const sessions = new Map<Role, { cookie: string; csrf: string }>();
  const routes: Route[] = [];

  beforeAll(async () => {
    for (const role of Object.values(Role)) keys.set(role, await api.key(role));
    for (const role of [Role.Viewer, Role.Triager, Role.Admin]) {
      const { user } = await api.app.get(UserService).create({ email: `${role}@example.com`, role }, 'test');
      const session = await api.app.get(SessionService).create(user.id);
      sessions.set(role, { cookie: `lb_session=${session.token}`, csrf: session.csrfToken });
    }
    const reflector = api.app.get(Reflector);
    const scanner = api.app.get(MetadataScanner);
    for (const wrapper of api.app.get(DiscoveryService).getControllers()) {
      const controller = wrapper.metatype as (new (...args: never[]) => unknown) | undefined;
      if (!controller || !wrapper.instance) continue;
      const base = (Reflect.getMetadata(PATH_METADATA, controller) as string | undefined) ?? '';
      const prototype = Object.getPrototypeOf(wrapper.instance) as object;
      for (const name of scanner.getAllMethodNames(prototype)) {
        const handler = (prototype as Record<string, unknown>)[name] as (...args: unknown[]) => unknown;
        const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (path === undefined || method === undefined) continue;
        routes.push({
          method: RequestMethod[method],
          path: `/${[base, path].filter((part) => part && part !== '/').join('/')}`.replace(/\/+/g, '/'),
          roles: reflector.getAllAndOverride<Role[] | undefined>(ROLES, [handler, controller]),
          isPublic: reflector.getAllAndOverride<boolean | undefined>(PUBLIC, [handler, controller]) === true,
        });
      }
    }
  });

  const call = (route: Route, key?: string, headers: Record<string, string> = {}) =>
    fetch(`${api.url}${fill(route.path)}`, {
      method: route.method,
      headers: {
        'content-type': 'application/json',
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...headers,
      },
      body: route.method === 'GET' || route.method === 'HEAD' ? undefined : '{}',
      redirect: 'manual',
    });

  it('finds the routes, and every one names its roles or says it is public', () => {
    expect(routes.length).toBeGreaterThan(60);
    const unnamed = routes.filter(
      (route) => !route.isPublic && (route.roles === undefined || route.roles.length === 0),
    );
    expect(unnamed.map((route) => `${route.method} ${route.path}`)).toEqual([]);
    // The public ones are health, the signature-verified webhooks and signing in (with whether this
    // browser is signed in: it answers nothing else without a credential), nothing else.
    const open = routes.filter((route) => route.isPublic).map((route) => route.path);
    for (const path of open)
      expect(path).toMatch(
        /^\/(health|api\/v1\/webhooks\/(chat|email|facebook)\/:sourceId|api\/v1\/webhooks\/trackers\/:trackerId|auth\/(providers|session|local|logout|oidc\/login|oidc\/callback))$/,
      );
    expect(open).toEqual(expect.arrayContaining(['/auth/providers', '/auth/local', '/auth/oidc/callback']));
  });

  it('refuses every non-public route without a key, and with a key in the URL instead', async () => {
    for (const route of routes.filter((one) => !one.isPublic)) {
      const response = await call(route);
      expect({ route: `${route.method} ${route.path}`, status: response.status }).toEqual({
        route: `${route.method} ${route.path}`,
        status: 401,
      });
      const inUrl = await fetch(
        `${api.url}${fill(route.path)}?key=${keys.get(Role.Admin)}&api_key=${keys.get(Role.Admin)}`,
        {
          method: route.method,
          headers: { 'content-type': 'application/json' },
          body: route.method === 'GET' ? undefined : '{}',
        },
      );
      expect({ route: `${route.method} ${route.path}`, status: inUrl.status }).toEqual({
        route: `${route.method} ${route.path}`,
        status: 401,
      });
    }
  });

  it('gives each role exactly the routes that name it', async () => {
    const wrong: string[] = [];
    for (const route of routes.filter((one) => !one.isPublic)) {
      for (const role of Object.values(Role)) {
        const response = await call(route, keys.get(role));
        const allowed = route.roles?.includes(role) ?? false;
        const refused = response.status === 403;
        if (allowed === refused || response.status === 401)
          wrong.push(`${role} ${route.method} ${route.path}: ${response.status} (allowed: ${allowed})`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("gives each person's session exactly the routes that name its role, and no change without its CSRF token", async () => {
    const wrong: string[] = [];
    for (const route of routes.filter((one) => !one.isPublic)) {
      const changes = !['GET', 'HEAD', 'OPTIONS'].includes(route.method);
      for (const [role, session] of sessions) {
        const response = await call(route, undefined, {
          cookie: session.cookie,
          'x-csrf-token': session.csrf,
        });
        const allowed = route.roles?.includes(role) ?? false;
        const refused = response.status === 403;
        if (allowed === refused || response.status === 401)
          wrong.push(
            `${role} session ${route.method} ${route.path}: ${response.status} (allowed: ${allowed})`,
          );
        if (changes) {
          const bare = await call(route, undefined, { cookie: session.cookie });
          if (bare.status !== 403)
            wrong.push(`${role} session without CSRF ${route.method} ${route.path}: ${bare.status}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });
});
