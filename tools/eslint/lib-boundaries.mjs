// @ts-check
/**
 * Keeps libs apart and in their tiers:
 * - another lib is reached only through its public entry (`@app/<lib>`), never by a deep path
 *   (`@app/<lib>/src/...`) nor by a relative path that climbs out of the importing lib or app
 *   (`../../database/src`);
 * - a lib imports only libs of a lower tier (TIERS below, docs/ARCHITECTURE.md "Layout and tiers").
 *   Two libs of one tier never import each other: work one hands to the other goes through a job
 *   (libs/jobs), or the piece both need moves down a tier. Apps and tests may import any lib.
 */
import path from 'node:path';

/** The tiers, lowest first; a lib imports only libs of the tiers before its own. */
export const TIERS = [
  ['config'],
  ['database'],
  ['jobs'],
  // Pure: text processing, scoring rules and ISO weeks.
  ['nlp', 'scoring'],
  // The one door verbatims come in by, whatever brings them (API, imports, connectors, surveys).
  ['ingest'],
  ['auth', 'analysis', 'webhooks', 'connectors', 'monitoring'],
  ['board'],
  ['digest'],
];

const tierOf = new Map(TIERS.flatMap((libs, tier) => libs.map((lib) => [lib, tier])));
const ORDER = TIERS.map((libs) => libs.join(', ')).join(' < ');

/** The lib or app folder a file belongs to, e.g. `libs/jobs`, or null outside them. */
function unitOf(file) {
  const rel = path.relative(process.cwd(), file).split(path.sep);
  if ((rel[0] === 'libs' || rel[0] === 'apps') && rel.length > 2) return `${rel[0]}/${rel[1]}`;
  return null;
}

/** @type {import('eslint').Rule.RuleModule} */
export default {
  meta: {
    type: 'problem',
    docs: { description: 'import other libs only as @app/<lib>, and only from a lower tier' },
    schema: [],
    messages: {
      deep: "Import '{{lib}}' through its entry point '@app/{{lib}}', not '{{source}}'.",
      climb: "'{{source}}' leaves {{unit}}: import another lib as '@app/<lib>'.",
      tier:
        "'{{lib}}' may not import '@app/{{target}}': libs import only lower tiers ({{order}}). " +
        'Hand the work on through a job, or move the shared piece down a tier.',
      unplaced: "lib '{{lib}}' has no tier: place it in TIERS (tools/eslint/lib-boundaries.mjs).",
    },
  },
  create(context) {
    const file = context.filename;
    const unit = unitOf(file);
    const lib = unit?.startsWith('libs/') ? unit.slice('libs/'.length) : null;
    function check(node) {
      const source = node.source && node.source.value;
      if (typeof source !== 'string') return;
      const deep = /^@app\/([^/]+)\/.+/.exec(source);
      if (deep) {
        context.report({ node, messageId: 'deep', data: { lib: deep[1], source } });
        return;
      }
      const entry = /^@app\/([^/]+)$/.exec(source);
      if (entry && lib !== null) {
        const target = entry[1];
        for (const name of [lib, target]) {
          if (!tierOf.has(name)) {
            context.report({ node, messageId: 'unplaced', data: { lib: name } });
            return;
          }
        }
        if (/** @type {number} */ (tierOf.get(target)) >= /** @type {number} */ (tierOf.get(lib)))
          context.report({ node, messageId: 'tier', data: { lib, target, order: ORDER } });
        return;
      }
      if (unit && source.startsWith('.')) {
        const target = path.resolve(path.dirname(file), source);
        const root = path.resolve(process.cwd(), unit);
        if (target !== root && !target.startsWith(root + path.sep)) {
          context.report({ node, messageId: 'climb', data: { source, unit } });
        }
      }
    }
    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: check,
    };
  },
};
