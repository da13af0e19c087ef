'use strict';
// Usage: node scripts/run-ts.js path/to/entry.ts [args...]
require('./register');
const path = require('node:path');
const entry = process.argv[2];
if (!entry) {
  console.error('usage: node scripts/run-ts.js <entry.ts> [args...]');
  process.exit(2);
}
process.argv.splice(1, 2, path.resolve(entry));
require(path.resolve(entry));
