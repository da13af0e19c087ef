import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { EmbeddedLogStore } from './embedded-log-store';
import { testCipher } from './test-cipher';

const ROOT = join(__dirname, '..', '..', '..');

/** A child process whose stdout lines go, in arrival order, into a shared list of events. */
interface Tracked {
  child: ChildProcessWithoutNullStreams;
  /** Resolves on the first line (seen so far or to come) that starts with `prefix`. */
  line(prefix: string): Promise<string>;
  exited: Promise<number | null>;
}

function track(name: string, child: ChildProcessWithoutNullStreams, events: string[]): Tracked {
  const lines: string[] = [];
  const waiters: Array<{ prefix: string; resolve: (line: string) => void }> = [];
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push(line);
    events.push(`${name}: ${line}`);
    for (const w of waiters.filter((x) => line.startsWith(x.prefix))) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(line);
    }
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return {
    child,
    exited,
    line: (prefix) =>
      new Promise<string>((resolve, reject) => {
        const seen = lines.find((l) => l.startsWith(prefix));
        if (seen !== undefined) return resolve(seen);
        waiters.push({ prefix, resolve });
        void exited.then((code) =>
          reject(new Error(`${name} exited (${code}) before "${prefix}"; stderr:\n${stderr}`)),
        );
      }),
  };
}

describe('EmbeddedLogStore.open', () => {
  let dir: string;
  const children: ChildProcessWithoutNullStreams[] = [];
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'logstore-open-'))));
  afterEach(() => {
    for (const child of children.splice(0))
      if (child.exitCode === null && child.signalCode === null) child.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('waits for another process holding the file instead of failing with SQLITE_BUSY', async () => {
    // A second process (as a worker starting beside the API) holds a write lock on the fresh
    // store until told to commit; switching to WAL fails at once (SQLITE_BUSY, no busy handler)
    // while it does. open() blocks synchronously, so it runs in a process of its own too, which
    // reports each SQLITE_BUSY of a pragma: the holder commits only once the open has met the lock.
    const path = join(dir, 'logs.db');
    const sqlite = JSON.stringify(require.resolve('better-sqlite3'));
    const events: string[] = [];
    const spawnNode = (args: string[]) => {
      const child = spawn(process.execPath, args, { cwd: ROOT });
      children.push(child);
      return child;
    };
    const holder = track(
      'holder',
      spawnNode([
        '-e',
        `const D = require(${sqlite});
         const d = new D(${JSON.stringify(path)});
         d.exec('CREATE TABLE IF NOT EXISTS held (x)');
         d.exec('BEGIN IMMEDIATE');
         d.exec('INSERT INTO held VALUES (1)');
         console.log('locked');
         require('node:readline').createInterface({ input: process.stdin }).on('line', (line) => {
           if (line !== 'commit') return;
           d.exec('COMMIT');
           d.close();
           console.log('committed');
           process.exit(0);
         });`,
      ]),
      events,
    );
    await holder.line('locked');

    const opener = track(
      'opener',
      spawnNode([
        '-r',
        join(ROOT, 'scripts/register.js'),
        '-e',
        `const { writeSync } = require('node:fs');
         const say = (line) => writeSync(1, line + '\\n');
         const D = require(${sqlite});
         const pragma = D.prototype.pragma;
         D.prototype.pragma = function (source, ...rest) {
           try {
             return pragma.call(this, source, ...rest);
           } catch (error) {
             if (error.code === 'SQLITE_BUSY') say('busy: ' + source);
             throw error;
           }
         };
         const { EmbeddedLogStore } = require(${JSON.stringify(join(__dirname, 'embedded-log-store.ts'))});
         const { testCipher } = require(${JSON.stringify(join(__dirname, 'test-cipher.ts'))});
         say('opening');
         const store = EmbeddedLogStore.open(${JSON.stringify(path)}, testCipher(), { retentionDays: 30 });
         say('opened');
         say('held rows: ' + store.connection.prepare('SELECT count(*) AS n FROM held').get().n);
         store
           .appendLogs('tenant-1', [{ level: 'info', code: 'OPENED', message: 'opened after the lock' }])
           .then(() => store.close())
           .then(() => process.exit(0), (error) => { console.error(error); process.exit(1); });`,
      ]),
      events,
    );
    await opener.line('opening');
    // the lock is still held: the holder waits for this line
    await opener.line('busy: journal_mode = WAL');
    events.push('test: commit');
    holder.child.stdin.write('commit\n');

    expect(await opener.exited).toBe(0);
    expect(await holder.exited).toBe(0);
    const at = (event: string) => events.indexOf(event);
    expect(at('holder: locked')).toBeLessThan(at('opener: opening'));
    expect(at('opener: opening')).toBeLessThan(at('opener: busy: journal_mode = WAL'));
    expect(at('opener: busy: journal_mode = WAL')).toBeLessThan(at('test: commit'));
    expect(at('test: commit')).toBeLessThan(at('opener: opened'));
    expect(events).toContain('holder: committed');
    // what the holder committed was there when the opener read: it opened after the commit
    expect(events).toContain('opener: held rows: 1');

    // the store the opener set up works: WAL, and the entry it wrote reads back
    const store = EmbeddedLogStore.open(path, testCipher(), { retentionDays: 30 });
    try {
      expect(store.connection.pragma('journal_mode', { simple: true })).toBe('wal');
      const page = await store.queryLogs('tenant-1');
      expect(page.items.map((r) => [r.code, r.message])).toEqual([
        ['OPENED', 'opened after the lock'],
      ]);
    } finally {
      await store.close();
    }
  });
});
