'use strict';
// Builds apps/dashboard (vite) into apps/dashboard/dist when the build is missing or older than
// its sources; `--force` builds anyway. Used by `npm start` (apps/launcher), `npm run
// dashboard:build` and the browser tests. The build records a fingerprint of its sources
// (dist/.source-hash), so "stale" means "built from other sources", not a clock comparison.
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..', 'apps', 'dashboard');
const dist = path.join(root, 'dist');
const stamp = path.join(dist, '.source-hash');

function sourceFiles(dir) {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : [path.join(dir, e.name)],
    );
}

/** A hash of everything the build reads: sources, index.html, the vite and TS configuration. */
function sourceHash() {
  const files = [
    ...sourceFiles(path.join(root, 'src')),
    path.join(root, 'index.html'),
    path.join(root, 'vite.config.mts'),
    path.join(root, 'tsconfig.json'),
    path.join(__dirname, '..', 'package-lock.json'),
  ].sort();
  const hash = createHash('sha256');
  for (const f of files)
    hash.update(path.relative(root, f)).update('\0').update(fs.readFileSync(f));
  return hash.digest('hex');
}

function isCurrent() {
  try {
    return (
      fs.existsSync(path.join(dist, 'index.html')) &&
      fs.readFileSync(stamp, 'utf8').trim() === sourceHash()
    );
  } catch {
    return false;
  }
}

/** Resolves with 'current' (nothing to do) or 'built'. */
async function buildDashboard({ force = false, log = (line) => process.stderr.write(line) } = {}) {
  if (!force && isCurrent()) return 'current';
  const started = Date.now();
  log('contact-sync: building the dashboard (apps/dashboard)…\n');
  const hash = sourceHash();
  const { build } = await import('vite');
  await build({ configFile: path.join(root, 'vite.config.mts'), logLevel: 'warn' });
  fs.writeFileSync(stamp, `${hash}\n`);
  log(`contact-sync: dashboard built in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  return 'built';
}

module.exports = { buildDashboard, isCurrent, DASHBOARD_DIST: dist };

if (require.main === module) {
  buildDashboard({ force: process.argv.includes('--force') }).then(
    (result) => {
      if (result === 'current')
        process.stderr.write('contact-sync: the dashboard build is current\n');
    },
    (error) => {
      process.stderr.write(`dashboard build failed: ${error.stack ?? error.message}\n`);
      process.exit(1);
    },
  );
}
