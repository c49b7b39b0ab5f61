// @ts-check
/**
 * Keeps libs apart: another lib is reached only through its public entry (`@app/<lib>`), never by
 * a deep path (`@app/<lib>/src/...`) nor by a relative path that climbs out of the importing lib
 * or app (`../../database/src`).
 */
import path from 'node:path';

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
    docs: { description: 'import other libs only as @app/<lib>' },
    schema: [],
    messages: {
      deep: "Import '{{lib}}' through its entry point '@app/{{lib}}', not '{{source}}'.",
      climb: "'{{source}}' leaves {{unit}}: import another lib as '@app/<lib>'.",
    },
  },
  create(context) {
    const file = context.filename;
    const unit = unitOf(file);
    function check(node) {
      const source = node.source && node.source.value;
      if (typeof source !== 'string') return;
      const deep = /^@app\/([^/]+)\/.+/.exec(source);
      if (deep) {
        context.report({ node, messageId: 'deep', data: { lib: deep[1], source } });
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
