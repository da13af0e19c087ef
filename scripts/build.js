'use strict';
// `npm run build`: compiles the product (tsconfig.build.json) to runnable JavaScript in dist/.
// tsc leaves the `@app/<lib>` imports as written; tsc-alias then rewrites each one into a
// relative path (`../../../libs/config/src/index.js`), so `node dist/apps/<app>/src/main.js`
// runs with no require hook, no SWC and no path mapping at run time
// (docs/adr/0039-deployment-images-compose-kubernetes.md). The output folder is emptied first, so
// a file deleted from the sources never lingers in an image.
//
// Usage: node scripts/build.js [--out-dir DIR]   (default: dist/, as tsconfig.build.json says)
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const project = path.join(root, 'tsconfig.build.json');

function outDirFrom(argv) {
  const at = argv.indexOf('--out-dir');
  return at > 0 ? path.resolve(argv[at + 1]) : path.join(root, 'dist');
}

/** Every compiled file that still requires an `@app/` alias (must be none). */
function unresolvedAliases(dir) {
  const found = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.js')) continue;
    const file = path.join(entry.parentPath ?? entry.path, entry.name);
    if (/require\("@app\//.test(fs.readFileSync(file, 'utf8'))) found.push(file);
  }
  return found;
}

function build(outDir) {
  const bin = (pkg, file) => path.join(path.dirname(require.resolve(`${pkg}/package.json`)), file);
  fs.rmSync(outDir, { recursive: true, force: true });
  const run = (args) => execFileSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  run([bin('typescript', 'bin/tsc'), '-p', project, '--outDir', outDir]);
  run([bin('tsc-alias', 'dist/bin/index.js'), '-p', project, '--outDir', outDir]);
  const left = unresolvedAliases(outDir);
  if (left.length > 0) throw new Error(`@app/ imports left unresolved in:\n${left.join('\n')}`);
}

module.exports = { build, unresolvedAliases };

if (require.main === module) {
  try {
    build(outDirFrom(process.argv));
  } catch (error) {
    process.stderr.write(`build failed: ${error.message}\n`);
    process.exit(1);
  }
}
