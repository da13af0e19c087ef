import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedLogStore } from './embedded-log-store';

const mode = (path: string) => statSync(path).mode & 0o777;

/** Finding 8 of the security review: data files were created 0644. */
describe('the embedded log store file is private to its owner', () => {
  const umask = process.umask(0o022);
  afterAll(() => process.umask(umask));

  it('the embedded log store file: 0600', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'private-logs-')), 'logs');
    const path = join(dir, 'logstore.db');
    const cipher = { encrypt: (v: string) => v, decrypt: (v: string) => v };
    const store = EmbeddedLogStore.open(path, cipher as never, { retentionDays: 30 } as never);
    expect(mode(dir)).toBe(0o700);
    expect(mode(path)).toBe(0o600);
    for (const file of [`${path}-wal`, `${path}-shm`])
      if (existsSync(file)) expect([file, mode(file)]).toEqual([file, 0o600]);
    (store as unknown as { connection: { close(): void } }).connection.close();
  });
});
