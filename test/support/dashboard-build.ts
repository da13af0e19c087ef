import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * Builds the dashboard if its build is missing or stale (scripts/build-dashboard.js, the same
 * check `npm start` makes), in a child process: vite is an ES module, which jest's VM does not load.
 */
export async function ensureDashboardBuilt(): Promise<void> {
  const root = join(__dirname, '..', '..');
  await promisify(execFile)(process.execPath, [join(root, 'scripts', 'build-dashboard.js')], {
    cwd: root,
    maxBuffer: 16 * 1024 * 1024,
  });
}
