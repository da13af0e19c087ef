import { chmodSync, existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDataSource } from './open-data-source';

const mode = (path: string) => statSync(path).mode & 0o777;

/** Finding 8 of the security review: data files were created 0644. */
describe('embedded data files are private to their owner', () => {
  const umask = process.umask(0o022);
  afterAll(() => process.umask(umask));

  it('the SQLite database, its -wal and -shm files and its folder: 0600 / 0700', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'private-db-')), 'data');
    const path = join(dir, 'app.db');
    const ds = await openDataSource({ kind: 'sqlite', url: `sqlite:${path}`, path });
    await ds.query('CREATE TABLE t (n INTEGER)');
    await ds.query('INSERT INTO t VALUES (1)');
    expect(mode(dir)).toBe(0o700);
    for (const file of [path, `${path}-wal`, `${path}-shm`]) {
      expect(existsSync(file)).toBe(true);
      expect([file, mode(file)]).toEqual([file, 0o600]);
    }
    await ds.destroy();
  });

  it('an existing world-readable database file is tightened when opened', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'private-db-'));
    const path = join(dir, 'old.db');
    writeFileSync(path, '');
    chmodSync(path, 0o644);
    const ds = await openDataSource({ kind: 'sqlite', url: `sqlite:${path}`, path });
    expect(mode(path)).toBe(0o600);
    await ds.destroy();
  });
});
