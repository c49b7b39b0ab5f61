import { resolve } from 'node:path';
import { defineConfig } from 'vite';

/**
 * The triage UI builds to static files in dist/web, which apps/api serves (same origin: the session
 * cookie and the strict content-security policy need nothing more). `npm run web:dev` proxies the
 * API to a running `npm start` for work on the UI itself.
 */
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  build: {
    outDir: resolve(import.meta.dirname, '..', '..', 'dist', 'web'),
    emptyOutDir: true,
    sourcemap: true,
    // Recharts alone is most of the bundle; one chunk per page keeps the board's first paint small.
    chunkSizeWarningLimit: 1_000,
    rolldownOptions: {
      // React Server Components' "use client" markers mean nothing in a client-only bundle.
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  server: {
    port: 5173,
    // LB_DEV_API_KEY lets `npm run web:dev` read a running API before signing in works there.
    proxy: Object.fromEntries(
      ['/api', '/auth', '/health'].map((path) => [
        path,
        {
          target: process.env.LB_API_URL ?? 'http://127.0.0.1:3000',
          headers: process.env.LB_DEV_API_KEY
            ? { Authorization: `Bearer ${process.env.LB_DEV_API_KEY}` }
            : {},
        },
      ]),
    ),
  },
});
