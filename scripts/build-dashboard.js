'use strict';
// Builds apps/dashboard (vite) into apps/dashboard/dist (or `--out-dir`, DASHBOARD_DIST_DIR for
// npm start) when the build is missing or older than its sources; `--force` builds anyway. Used by `npm start` (apps/launcher), `npm run
// dashboard:build` and the browser tests. The build records a fingerprint of its sources
// (dist/.source-hash), so "stale" means "built from other sources", not a clock comparison.
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { setTimeout: sleep } = require('node:timers/promises');

const root = path.join(__dirname, '..', 'apps', 'dashboard');
const DEFAULT_DIST = path.join(root, 'dist');

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

function isCurrent(dist = DEFAULT_DIST) {
  try {
    return (
      fs.existsSync(path.join(dist, 'index.html')) &&
      fs.readFileSync(path.join(dist, '.source-hash'), 'utf8').trim() === sourceHash()
    );
  } catch {
    return false;
  }
}

/**
 * One build at a time per output folder (npm start and test files may start together): a lock
 * folder, created atomically; one older than 5 minutes is left over from a killed build.
 */
async function withLock(lock, fn) {
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      const age = Date.now() - fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs;
      if (age > 5 * 60_000) fs.rmSync(lock, { recursive: true, force: true });
      else await sleep(100);
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

/** Resolves with 'current' (nothing to do) or 'built'. */
async function buildDashboard({
  force = false,
  outDir = DEFAULT_DIST,
  log = (line) => process.stderr.write(line),
} = {}) {
  const dist = path.resolve(outDir);
  if (!force && isCurrent(dist)) return 'current';
  fs.mkdirSync(path.dirname(dist), { recursive: true });
  return withLock(`${dist}.lock`, async () => {
    if (!force && isCurrent(dist)) return 'current';
    const started = Date.now();
    log('contact-sync: building the dashboard (apps/dashboard)…\n');
    const hash = sourceHash();
    // Built aside, then swapped in: a running API never serves a half-written build.
    const next = `${dist}.next`;
    const old = `${dist}.old`;
    const { build } = await import('vite');
    await build({
      configFile: path.join(root, 'vite.config.mts'),
      logLevel: 'warn',
      build: { outDir: next, emptyOutDir: true },
    });
    fs.writeFileSync(path.join(next, '.source-hash'), `${hash}\n`);
    fs.rmSync(old, { recursive: true, force: true });
    if (fs.existsSync(dist)) fs.renameSync(dist, old);
    fs.renameSync(next, dist);
    fs.rmSync(old, { recursive: true, force: true });
    log(`contact-sync: dashboard built in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    return 'built';
  });
}

module.exports = { buildDashboard, isCurrent, DASHBOARD_DIST: DEFAULT_DIST };

if (require.main === module) {
  const out = process.argv.indexOf('--out-dir');
  buildDashboard({
    force: process.argv.includes('--force'),
    ...(out > 0 ? { outDir: process.argv[out + 1] } : {}),
  }).then(
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
