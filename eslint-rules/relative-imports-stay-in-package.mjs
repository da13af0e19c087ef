import path from 'node:path';
import { URL, fileURLToPath } from 'node:url';

/** The repository root: this file's folder's parent, whatever the working directory. */
const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * A relative import must stay inside its own package (apps/<name> or libs/<name>). Code reaches
 * another lib only through its `@app/<lib>` alias, and never reaches another app at all, so the
 * `no-restricted-imports` boundaries in eslint.config.mjs see every crossing by its name.
 */
export const relativeImportsStayInPackage = {
  meta: {
    type: 'problem',
    docs: { description: 'Relative imports stay inside their apps/<name> or libs/<name> package' },
    schema: [],
    messages: {
      intoApp:
        "'{{source}}' reaches into another app from {{pkg}}: apps never import apps, and nothing imports an app.",
      intoLib: "'{{source}}' leaves {{pkg}}: import another lib through its @app/<lib> alias.",
    },
  },
  create(context) {
    const relative = path.relative(ROOT, context.filename).split(path.sep).join('/');
    const match = /^(apps|libs)\/[^/]+/.exec(relative);
    if (!match) return {};
    const pkg = match[0];
    const pkgDir = path.join(ROOT, pkg);
    const fileDir = path.dirname(context.filename);

    function check(node, source) {
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const target = path.resolve(fileDir, source);
      if (target === pkgDir || target.startsWith(pkgDir + path.sep)) return;
      const intoApp = path.relative(ROOT, target).split(path.sep)[0] === 'apps';
      context.report({ node, messageId: intoApp ? 'intoApp' : 'intoLib', data: { source, pkg } });
    }
    const fromLiteral = (node) => node && node.type === 'Literal' && check(node, node.value);

    return {
      ImportDeclaration: (node) => fromLiteral(node.source),
      ExportNamedDeclaration: (node) => fromLiteral(node.source),
      ExportAllDeclaration: (node) => fromLiteral(node.source),
      ImportExpression: (node) => fromLiteral(node.source),
      TSImportEqualsDeclaration: (node) =>
        node.moduleReference.type === 'TSExternalModuleReference' &&
        fromLiteral(node.moduleReference.expression),
      TSImportType: (node) => fromLiteral(node.argument?.literal ?? node.argument),
      CallExpression: (node) =>
        node.callee.type === 'Identifier' &&
        node.callee.name === 'require' &&
        fromLiteral(node.arguments[0]),
    };
  },
};
