import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const WEB = join(__dirname, '..', 'apps', 'web', 'src');
const LOCALES = join(WEB, 'locales');
const LANGUAGES = ['en', 'fr'];
/** i18next's plural forms: French has one, many and other; English one and other. */
const PLURAL = /_(zero|one|two|few|many|other)$/;

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const keys = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') keys.set(path, value);
    else for (const [inner, text] of flatten(value, path)) keys.set(inner, text);
  }
  return keys;
}

function dictionary(language: string, namespace: string): Map<string, string> {
  return flatten(JSON.parse(readFileSync(join(LOCALES, language, `${namespace}.json`), 'utf8')) as Tree);
}

/** A key as code asks for it: plural forms count as the key itself. */
const base = (key: string) => key.replace(PLURAL, '');

function sources(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    if (statSync(path).isDirectory()) return name === 'locales' ? [] : sources(path);
    return /\.tsx?$/.test(name) && !name.endsWith('.d.ts') && name !== 'schema.ts' ? [path] : [];
  });
}

/**
 * Both languages complete (issue 18): every namespace has the same keys in English and French,
 * no text is left empty, and every key the code asks for with a literal (t('…'), with the
 * namespace of the file's useTranslation) exists. Keys built at run time (t(`status.${x}`)) are
 * checked by their fixed part; the browser suite (ui-acceptance) catches what slips through.
 */
describe('the UI dictionaries', () => {
  const namespaces = readdirSync(join(LOCALES, 'en')).map((file) => file.replace(/\.json$/, ''));

  it('has the same namespaces in both languages', () => {
    expect(readdirSync(join(LOCALES, 'fr')).sort()).toEqual(readdirSync(join(LOCALES, 'en')).sort());
  });

  it.each(namespaces)('has the same keys in English and French: %s', (namespace) => {
    const [en, fr] = LANGUAGES.map((language) => dictionary(language, namespace));
    const keysOf = (entries: Map<string, string>) => [...new Set([...entries.keys()].map(base))].sort();
    expect({ missingInFrench: keysOf(en).filter((key) => !keysOf(fr).includes(key)) }).toEqual({
      missingInFrench: [],
    });
    expect({ missingInEnglish: keysOf(fr).filter((key) => !keysOf(en).includes(key)) }).toEqual({
      missingInEnglish: [],
    });
    const empty = [...en, ...fr].filter(([, text]) => text.trim() === '').map(([key]) => key);
    expect(empty).toEqual([]);
  });

  it('holds every key the code asks for', () => {
    const all = new Map(namespaces.map((namespace) => [namespace, dictionary('en', namespace)]));
    const known = (namespace: string, key: string) => {
      const entries = all.get(namespace);
      if (!entries) return false;
      return [...entries.keys()].some(
        (entry) => base(entry) === key || entry.startsWith(`${key}.`) || entry === key,
      );
    };
    const missing: string[] = [];
    for (const file of sources(WEB)) {
      const code = readFileSync(file, 'utf8');
      // The file's namespaces: useTranslation('board'), or ['triage', 'explorer'] (the first is the default).
      const declared = /useTranslation\((?:'([\w-]+)'|\[\s*'([\w-]+)')/.exec(code);
      const namespace = declared?.[1] ?? declared?.[2] ?? 'common';
      const calls = [...code.matchAll(/\bt\(\s*(['`])([^'`$]+?)(\$\{)?\1?[,)]/g)];
      for (const [, quote, literal, dynamic] of calls) {
        let key = literal;
        let ns = namespace;
        if (key.includes(':')) [ns, key] = key.split(':');
        // t(`status.${x}`): the fixed part must name a group of keys.
        if (quote === '`' && dynamic) key = key.replace(/\.$/, '');
        if (quote === '`' && !dynamic && key.includes('${')) continue;
        if (key === '' || (quote === '`' && dynamic && !literal.endsWith('.'))) continue;
        if (!known(ns, key) && !(ns !== 'common' && known('common', key)))
          missing.push(`${relative(WEB, file)}: ${ns}:${key}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
