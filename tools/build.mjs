#!/usr/bin/env node
// @ts-check
/**
 * Builds what the processes run, and only what changed since the last build:
 * - the server code (apps/api, apps/worker, apps/cli, libs, bench) into dist/ with SWC, one file at a
 *   time, the `@app/<lib>` paths rewritten to relative ones. Type checking is `npm run check`'s job
 *   (tsc --noEmit), so a build is a transpile: about a second for everything, nothing when nothing
 *   changed;
 * - the triage UI (apps/web) into dist/web with Vite, when any of its inputs changed.
 * What was built is remembered by content hash in dist/.build-state.json, so that `npm start`,
 * `npm test` and the suites that spawn built processes never rebuild an unchanged tree.
 *
 *   node tools/build.mjs            # what changed
 *   node tools/build.mjs --force    # everything
 *   node tools/build.mjs --quiet    # no line when nothing changed
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');
const STATE = join(DIST, '.build-state.json');
const args = new Set(process.argv.slice(2));
const force = args.has('--force');
const quiet = args.has('--quiet');
const log = (line) => process.stdout.write(`build: ${line}\n`);

/** Files under `dir` (relative to ROOT, POSIX separators) that `keep` accepts. */
function walk(dir, keep, out = []) {
  const abs = join(ROOT, dir);
  if (!existsSync(abs)) return out;
  for (const entry of readdirSync(abs, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) walk(rel, keep, out);
    else if (entry.isFile() && keep(rel)) out.push(rel);
  }
  return out.sort();
}

const hashOf = (data) => createHash('sha256').update(data).digest('hex').slice(0, 16);
const fileHash = (rel) => hashOf(readFileSync(join(ROOT, rel)));

function readState() {
  try {
    return JSON.parse(readFileSync(STATE, 'utf8'));
  } catch {
    return {};
  }
}

// ---- the server code ------------------------------------------------------------------------------

const isServerSource = (rel) =>
  rel.endsWith('.ts') && !rel.endsWith('.spec.ts') && !rel.endsWith('.e2e-spec.ts') && !rel.endsWith('.d.ts');

function serverSources() {
  return [
    ...walk('apps', (rel) => isServerSource(rel) && !rel.startsWith('apps/web/')),
    ...walk('libs', isServerSource),
    ...walk('bench', isServerSource),
  ];
}

/** The `@app/<lib>` aliases of tsconfig.json, which SWC rewrites into relative requires. */
function swcOptions() {
  const tsconfig = JSON.parse(readFileSync(join(ROOT, 'tsconfig.json'), 'utf8'));
  return {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2023',
      baseUrl: ROOT,
      paths: tsconfig.compilerOptions.paths,
    },
    module: { type: 'commonjs' },
    sourceMaps: true,
  };
}

async function buildServer(previous) {
  // The options and this script are inputs too: a change to either rebuilds everything.
  const setup = hashOf(JSON.stringify(swcOptions()) + readFileSync(fileURLToPath(import.meta.url)));
  const files = Object.fromEntries(serverSources().map((rel) => [rel, fileHash(rel)]));
  // An output removed by hand (or a dist/ half deleted) rebuilds everything.
  const same =
    !force &&
    previous?.setup === setup &&
    Object.keys(previous.files ?? {}).every((rel) => existsSync(join(DIST, rel.replace(/\.ts$/, '.js'))));
  const changed = Object.keys(files).filter((rel) => !same || previous.files?.[rel] !== files[rel]);
  const removed = same ? Object.keys(previous.files ?? {}).filter((rel) => !(rel in files)) : [];
  if (changed.length === 0 && removed.length === 0) return { state: previous, built: 0 };

  const swc = await import('@swc/core');
  const options = swcOptions();
  const outOf = (rel) => join(DIST, rel.replace(/\.ts$/, '.js'));
  if (!same)
    for (const dir of ['apps', 'libs', 'bench']) rmSync(join(DIST, dir), { recursive: true, force: true });
  for (const rel of removed)
    for (const out of [outOf(rel), `${outOf(rel)}.map`]) rmSync(out, { force: true });
  await Promise.all(
    changed.map(async (rel) => {
      const source = join(ROOT, rel);
      const out = outOf(rel);
      const result = await swc.transformFile(source, {
        ...options,
        filename: source,
        sourceFileName: relative(dirname(out), source).split(sep).join('/'),
        swcrc: false,
        configFile: false,
      });
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, `${result.code}\n//# sourceMappingURL=${out.split(sep).pop()}.map\n`);
      if (result.map) writeFileSync(`${out}.map`, result.map);
    }),
  );
  return { state: { setup, files }, built: changed.length };
}

// ---- the triage UI --------------------------------------------------------------------------------

function webFingerprint() {
  const inputs = [...walk('apps/web', () => true), 'package-lock.json'];
  return hashOf(inputs.map((rel) => `${rel}:${fileHash(rel)}`).join('\n'));
}

function buildWeb(previous) {
  const fingerprint = webFingerprint();
  if (!force && previous === fingerprint && existsSync(join(DIST, 'web', 'index.html')))
    return { state: previous, built: false };
  execFileSync(
    process.execPath,
    [
      join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'),
      'build',
      '--config',
      'apps/web/vite.config.mts',
      '--logLevel',
      'warn',
    ],
    { cwd: ROOT, stdio: 'inherit' },
  );
  return { state: fingerprint, built: true };
}

// ---- both -----------------------------------------------------------------------------------------

const started = performance.now();
const previous = readState();
mkdirSync(DIST, { recursive: true });
const server = await buildServer(previous.server);
// Saved before the UI build: a failed Vite build must not cost the server's state.
writeFileSync(STATE, JSON.stringify({ ...previous, server: server.state }));
const web = buildWeb(previous.web);
writeFileSync(STATE, JSON.stringify({ server: server.state, web: web.state }));
const seconds = ((performance.now() - started) / 1000).toFixed(1);
if (server.built > 0 || web.built)
  log(
    `${server.built > 0 ? `${server.built} server files` : 'server unchanged'}, ` +
      `${web.built ? 'UI built' : 'UI unchanged'} (${seconds} s)`,
  );
else if (!quiet) log(`nothing changed (${seconds} s)`);
