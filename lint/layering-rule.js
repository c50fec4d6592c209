// ESLint rule `layering/imports`: holds every import of a file to its unit's row in lint/layers.js.
// Static imports, re-exports, `import()` and `import('x').T` types alike: an edge the table does not allow
// fails lint, whichever syntax writes it.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LAYERS } from './layers.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** `*` matches one path segment, `**` any number (including none after a slash). */
export function globToRegExp(glob) {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  const pattern = escaped
    .replace(/\/\*\*$/, '\0SLASHANY')
    .replace(/\*\*/g, '\0ANY')
    .replace(/\*/g, '[^/]+')
    .replace(/\0SLASHANY/g, '(/.*)?')
    .replace(/\0ANY/g, '.*');
  return new RegExp(`^${pattern}$`);
}

const matchesAny = (value, globs = []) => globs.some((g) => globToRegExp(g).test(value));

/** The row whose unit folder holds `file` most closely, and that folder as it stands for this file. */
export function unitOf(file) {
  let best;
  for (const layer of LAYERS) {
    const depth = layer.unit.split('/').length;
    const dir = file.split('/').slice(0, depth).join('/');
    if (file.split('/').length > depth && globToRegExp(layer.unit).test(dir) && (!best || depth > best.depth)) {
      best = { layer, dir, depth };
    }
  }
  return best;
}

/** `lambdas/shared/http/header` → `#shared/http/header`. */
const subpathOf = (target) => `#${target.split('/').slice(1).join('/')}`;

const typeOnlyImport = (node) =>
  node.importKind === 'type' ||
  (node.specifiers.length > 0 && node.specifiers.every((s) => s.type === 'ImportSpecifier' && s.importKind === 'type'));

export const layeringRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Holds each import to the layering table of lint/layers.js.' },
    schema: [],
    messages: {
      leavesUnit: "'{{spec}}' leaves {{unit}}/: reach another unit by its subpath, '{{subpath}}'.",
      notAllowed: "'{{spec}}' is not allowed in {{unit}}/: {{why}}.",
      typesOnly: "'{{spec}}' may be imported in {{unit}}/ only as a type (`import type`): {{why}}.",
      package: "'{{spec}}' is not allowed in {{unit}}/: {{why}}.",
      computed:
        'import() of a computed specifier in {{unit}}/ cannot be checked against the layering: name the module.',
    },
  },
  create(context) {
    const file = path.relative(ROOT, context.filename).split(path.sep).join('/');
    const found = unitOf(file);
    if (!found) return {};
    const { layer, dir } = found;
    const data = { unit: dir, why: layer.why };

    function check(node, spec, typeOnly) {
      if (spec.startsWith('.')) {
        const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
        if (target.startsWith(`${dir}/`)) return;
        if (target.startsWith('lambdas/')) {
          context.report({ node, messageId: 'leavesUnit', data: { ...data, spec, subpath: subpathOf(target) } });
        } else if (!matchesAny(target, layer.mayReach)) {
          context.report({ node, messageId: 'notAllowed', data: { ...data, spec } });
        }
        return;
      }
      if (spec.startsWith('#')) {
        if (matchesAny(spec, layer.mayImport)) return;
        const asType = matchesAny(spec, layer.mayImportTypes);
        if (asType && typeOnly) return;
        context.report({ node, messageId: asType ? 'typesOnly' : 'notAllowed', data: { ...data, spec } });
        return;
      }
      if (matchesAny(spec, layer.denyPackages)) context.report({ node, messageId: 'package', data: { ...data, spec } });
    }

    const checkSource = (node, source, typeOnly) => {
      if (source && typeof source.value === 'string') check(node, source.value, typeOnly);
    };

    return {
      ImportDeclaration: (node) => checkSource(node, node.source, typeOnlyImport(node)),
      ExportNamedDeclaration: (node) => checkSource(node, node.source, node.exportKind === 'type'),
      ExportAllDeclaration: (node) => checkSource(node, node.source, node.exportKind === 'type'),
      TSImportType: (node) => {
        const literal = node.argument?.literal ?? node.argument;
        if (literal && typeof literal.value === 'string') check(node, literal.value, true);
      },
      ImportExpression: (node) => {
        const { source } = node;
        if (source.type === 'Literal' && typeof source.value === 'string') return check(node, source.value, false);
        if (source.type === 'TemplateLiteral' && source.expressions.length === 0) {
          return check(node, source.quasis[0].value.cooked, false);
        }
        context.report({ node, messageId: 'computed', data });
      },
    };
  },
};

export const layeringPlugin = { rules: { imports: layeringRule } };
