import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { findShippedFile } from '@app/config';

/** Paths the API answers itself; everything else under GET is the single-page app's. */
const SERVER_PATHS = /^\/(api|auth|admin|health|metrics)(\/|$)/;

/**
 * The triage UI's policy: its own scripts and styles only, no inline code, no third party. Verbatim
 * text is rendered as text by React; this is the net under that, should a payload ever slip into
 * markup.
 */
export const UI_CONTENT_SECURITY_POLICY = {
  directives: {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    'style-src': ["'self'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    'font-src': ["'self'"],
    'connect-src': ["'self'"],
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
    'upgrade-insecure-requests': null,
  },
};

/** Swagger UI and Bull Board ship inline styles and scripts of their own: a looser policy, there only. */
const TOOLS_CONTENT_SECURITY_POLICY = {
  directives: {
    'script-src': ["'self'", "'unsafe-inline'"],
    'style-src': ["'self'", "'unsafe-inline'", 'https:'],
    'img-src': ["'self'", 'data:'],
    'upgrade-insecure-requests': null,
  },
};

/** Security headers for every answer: the strict policy but for the two bundled tools. */
export function securityHeaders(app: INestApplication): void {
  const strict = helmet({ contentSecurityPolicy: UI_CONTENT_SECURITY_POLICY });
  const tools = helmet({ contentSecurityPolicy: TOOLS_CONTENT_SECURITY_POLICY });
  app.use((request: Request, response: Response, next: NextFunction) =>
    /^\/(api\/docs|admin\/queues)(\/|$)/.test(request.path)
      ? tools(request, response, next)
      : strict(request, response, next),
  );
}

/** Where `vite build` put the UI (dist/web), or null when it was not built. */
export function webUiDirectory(): string | null {
  const index = findShippedFile(join('dist', 'web', 'index.html'));
  return index === null ? null : join(index, '..');
}

/**
 * Serves the built UI: hashed assets cached for a year, index.html never cached (it names the
 * current assets), and every other GET that is not an API path answered with index.html so that a
 * deep link (/irritants/…) opens the app on that page.
 */
export function serveWebUi(app: NestExpressApplication, directory: string): void {
  app.useStaticAssets(directory, {
    index: false,
    setHeaders: (response, path) => {
      response.setHeader(
        'Cache-Control',
        path.includes(`${join('web', 'assets')}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
  const index = join(directory, 'index.html');
  app.use((request: Request, response: Response, next: NextFunction) => {
    if ((request.method !== 'GET' && request.method !== 'HEAD') || SERVER_PATHS.test(request.path))
      return next();
    if (!existsSync(index)) return next();
    response.setHeader('Cache-Control', 'no-cache');
    response.sendFile(index);
  });
}
