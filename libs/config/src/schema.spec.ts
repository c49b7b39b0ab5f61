import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { loadConfig } from './env';
import { SCHEMA, renderConfigTable, renderEnvExample } from './schema';

const ROOT = join(__dirname, '..', '..', '..');
const ENV_EXAMPLE = join(ROOT, '.env.example');
const DOC = join(ROOT, 'docs', 'CONFIGURATION.md');
const BEGIN = '<!-- generated from libs/config/src/schema.ts: npm run config:docs -->';
const END = '<!-- end of the generated table -->';
/** `npm run config:docs` writes the files instead of comparing them. */
const UPDATE = process.env.UPDATE_CONFIG_DOCS === '1';

async function generatedDoc(current: string): Promise<string> {
  const start = current.indexOf(BEGIN);
  const end = current.indexOf(END);
  if (start < 0 || end < start) throw new Error(`docs/CONFIGURATION.md lacks the markers ${BEGIN} … ${END}`);
  const doc = `${current.slice(0, start + BEGIN.length)}\n\n${renderConfigTable()}\n\n${current.slice(end)}`;
  // As `npm run check` wants it: the repository's prettier settings.
  return format(doc, { ...(await resolveConfig(DOC)), filepath: DOC });
}

describe('the configuration schema', () => {
  it('is what .env.example says, variable by variable', () => {
    if (UPDATE) writeFileSync(ENV_EXAMPLE, renderEnvExample());
    expect(readFileSync(ENV_EXAMPLE, 'utf8')).toBe(renderEnvExample());
  });

  it('is what the table of docs/CONFIGURATION.md says', async () => {
    const current = readFileSync(DOC, 'utf8');
    const generated = await generatedDoc(current);
    if (UPDATE) writeFileSync(DOC, generated);
    expect(UPDATE ? generated : current).toBe(generated);
  });

  it('gives each variable a description, and a default or what unset means', () => {
    for (const [name, spec] of Object.entries(SCHEMA)) {
      expect([name, spec.description.length > 10]).toEqual([name, true]);
      expect([name, spec.default !== undefined || spec.defaultText !== undefined]).toEqual([name, true]);
      // A secret has no default: one shipped in the docs would be everybody's.
      if (spec.secret) expect([name, spec.default]).toEqual([name, undefined]);
    }
  });

  it('parses every default it documents, and every example', () => {
    for (const [name, spec] of Object.entries(SCHEMA)) {
      if (spec.default !== undefined) expect(() => spec.parse(spec.default as string, name)).not.toThrow();
      if (spec.example !== undefined) expect(() => spec.parse(spec.example as string, name)).not.toThrow();
    }
    // .env.example as it is, loaded: the defaults it sets are valid together.
    const env = Object.fromEntries(
      readFileSync(ENV_EXAMPLE, 'utf8')
        .split('\n')
        .filter((line) => /^[A-Z_]+=/.test(line))
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    expect(() => loadConfig(env)).not.toThrow();
  });

  it('is the only way the product reads its variables (no process.env.<declared name> in apps and libs)', () => {
    const names = new Set(Object.keys(SCHEMA));
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) {
          if (entry.name !== 'node_modules' && entry.name !== 'web') walk(path);
        } else if (/\.ts$/.test(entry.name) && !/\.spec\.ts$/.test(entry.name)) {
          for (const [, name] of readFileSync(path, 'utf8').matchAll(/process\.env\.([A-Z0-9_]+)/g))
            if (names.has(name)) offenders.push(`${path.slice(ROOT.length + 1)}: ${name}`);
        }
      }
    };
    walk(join(ROOT, 'apps'));
    walk(join(ROOT, 'libs'));
    expect(offenders).toEqual([]);
  });
});
