import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Makes a SQLite database file readable by its owner only (0600, its folder 0700), whatever the
 * umask: it holds encrypted rows, blind indexes and tokens' hashes. SQLite gives its -wal and
 * -shm files the database file's permissions; existing ones are tightened too.
 */
export function preparePrivateDatabaseFile(path: string): void {
  if (path === ':memory:') return;
  const dir = dirname(path);
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (!existsSync(path)) closeSync(openSync(path, 'a', 0o600));
  for (const file of [path, `${path}-wal`, `${path}-shm`])
    if (existsSync(file)) chmodSync(file, 0o600);
}
