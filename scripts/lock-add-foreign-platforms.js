'use strict';
// The registry mirror we build on serves only Linux x64 builds of native packages, so npm leaves
// the other platforms' optional packages out of package-lock.json, and `npm ci` then refuses the
// lock as out of sync. This adds the entries a full registry would have written (version,
// optional, os/cpu read from the package name), which npm ci skips on non-matching machines.
// Run after `npm install` of a package with platform binaries: node scripts/lock-add-foreign-platforms.js
const fs = require('node:fs');
const path = require('node:path');

const lockPath = path.join(__dirname, '..', 'package-lock.json');
const lock = JSON.parse(fs.readFileSync(lockPath, 'utf8'));
const OS = ['darwin', 'win32', 'linux', 'android', 'freebsd', 'openharmony', 'sunos', 'aix'];
const CPU = { arm64: 'arm64', x64: 'x64', ia32: 'ia32', arm: 'arm', ppc64: 'ppc64', s390x: 's390x', riscv64: 'riscv64', loong64: 'loong64' };

let added = 0;
for (const [key, entry] of Object.entries(lock.packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const nested = `${key}/node_modules/${name}`;
    const hoisted = `node_modules/${name}`;
    if (lock.packages[nested] || lock.packages[hoisted]) continue;
    const parts = name.split('/').pop().split('-');
    const os = parts.find((p) => OS.includes(p));
    const cpu = parts.map((p) => CPU[p]).find(Boolean);
    if (!os || !cpu) continue; // not a platform build: leave it to npm
    const stub = { version, cpu: [cpu], license: entry.license, optional: true, os: [os] };
    if (parts.includes('musl')) stub.libc = ['musl'];
    else if (parts.includes('gnu') || parts.includes('gnueabihf')) stub.libc = ['glibc'];
    lock.packages[hoisted] = stub;
    added++;
  }
}
lock.packages = Object.fromEntries(
  Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))),
);
fs.writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`added ${added} platform entries to package-lock.json`);
