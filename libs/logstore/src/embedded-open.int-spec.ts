import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedLogStore } from './embedded-log-store';
import { testCipher } from './test-cipher';

describe('EmbeddedLogStore.open', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'logstore-open-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('waits for another process holding the file instead of failing with SQLITE_BUSY', async () => {
    // A second process (as a worker starting beside the API) holds a write lock on the fresh
    // store for 600 ms; switching to WAL would fail at once without waiting.
    const path = join(dir, 'logs.db');
    const holder = spawn(process.execPath, [
      '-e',
      `const D = require(${JSON.stringify(require.resolve('better-sqlite3'))});
       const d = new D(${JSON.stringify(path)});
       d.exec('CREATE TABLE IF NOT EXISTS held (x)');
       d.exec('BEGIN IMMEDIATE');
       d.exec('INSERT INTO held VALUES (1)');
       console.log('locked');
       setTimeout(() => { d.exec('COMMIT'); d.close(); process.exit(0); }, 600);`,
    ]);
    await new Promise<void>((resolve, reject) => {
      holder.stdout.once('data', () => resolve());
      holder.once('exit', (code) => reject(new Error(`holder exited early (${code})`)));
    });
    const started = Date.now();
    const store = EmbeddedLogStore.open(path, testCipher(), { retentionDays: 30 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    await store.appendLogs('tenant-1', [{ level: 'info', code: 'OPENED', message: 'opened' }]);
    await store.close();
    await new Promise((resolve) => holder.once('exit', resolve));
  });
});
