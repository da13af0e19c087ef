'use strict';
// Runs the TypeScript sources directly: SWC transpiles each file on require (decorator
// metadata on, as NestJS needs) and `@app/<lib>` resolves to libs/<lib>/src. Used by
// `npm start`, the CLIs and child processes spawned by tests, so no build step is needed.
// Why not @swc-node/register: docs/adr/0010-typescript-require-hook.md (slower start, needs
// the TypeScript compiler at run time).
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const { transformSync } = require('@swc/core');

const root = path.resolve(__dirname, '..');
const swcrc = JSON.parse(fs.readFileSync(path.join(root, '.swcrc'), 'utf8'));
delete swcrc.$schema;
delete swcrc.jsc.baseUrl;
delete swcrc.jsc.paths;

const originalResolve = Module._resolveFilename;
Module._resolveFilename = function resolveAppAlias(request, parent, isMain, options) {
  if (request.startsWith('@app/')) {
    const [lib, ...rest] = request.slice(5).split('/');
    request = path.join(root, 'libs', lib, 'src', ...rest);
  }
  return originalResolve.call(this, request, parent, isMain, options);
};

require.extensions['.ts'] = function compileTs(module, filename) {
  const source = fs.readFileSync(filename, 'utf8');
  const { code } = transformSync(source, {
    ...swcrc,
    filename,
    sourceMaps: 'inline',
    swcrc: false,
  });
  module._compile(code, filename);
};
process.setSourceMapsEnabled?.(true);
