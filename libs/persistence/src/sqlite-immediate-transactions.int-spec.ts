import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from './data-source-options';
import { openDataSource } from './open-data-source';
import { withTransaction } from './with-transaction';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Two connections to one SQLite file stand for the admin API and a worker. A transaction that
 * reads, then writes, while the other connection writes: with TypeORM's deferred BEGIN the
 * write fails at once with SQLITE_BUSY (finding 4); with BEGIN IMMEDIATE it waits its turn.
 */
describe('embedded SQLite write transactions', () => {
  const sources: DataSource[] = [];
  let file: string;

  beforeEach(async () => {
    file = join(mkdtempSync(join(tmpdir(), 'sqlite-immediate-')), 'app.db');
    const setup = await openDataSource({ kind: 'sqlite', url: `sqlite:${file}`, path: file });
    await setup.query('CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, n INTEGER)');
    await setup.destroy();
  });
  afterEach(async () => {
    for (const s of sources.splice(0)) if (s.isInitialized) await s.destroy();
  });

  async function open(patched: boolean): Promise<DataSource> {
    const source = patched
      ? await openDataSource({ kind: 'sqlite', url: `sqlite:${file}`, path: file })
      : await new DataSource(
          buildDataSourceOptions({ kind: 'sqlite', url: `sqlite:${file}`, path: file }),
        ).initialize();
    sources.push(source);
    return source;
  }

  /** A reads, B writes meanwhile, then A writes; returns what A's transaction gave. */
  async function race(a: DataSource, b: DataSource) {
    let other: Promise<unknown> = Promise.resolve();
    const mine = withTransaction(a, async (m) => {
      await m.query('SELECT COUNT(*) FROM t');
      other = b.query('INSERT INTO t (n) VALUES (2)');
      await sleep(200);
      await m.query('INSERT INTO t (n) VALUES (1)');
    });
    const settled = await Promise.allSettled([mine]);
    await other;
    return settled[0];
  }

  it("TypeORM's deferred BEGIN fails with SQLITE_BUSY when the other connection wrote in between", async () => {
    const result = await race(await open(false), await open(false));
    expect(result.status).toBe('rejected');
    expect(String((result as PromiseRejectedResult).reason)).toMatch(
      /SQLITE_BUSY|database is locked/,
    );
  });

  it('with BEGIN IMMEDIATE both writes succeed, in lock order, and the waiting side keeps its event loop free', async () => {
    const a = await open(true);
    const b = await open(true);
    const result = await race(a, b);
    expect(result.status).toBe('fulfilled');
    // B asked first but wrote second: it waited for A's lock without holding the event loop.
    // Had it blocked inside better-sqlite3, A's timer could not fire to commit (one process),
    // and B would have failed with SQLITE_BUSY instead. Proven by order, not by a timing bound
    // that a busy CI machine could decide.
    expect(await a.query('SELECT n FROM t ORDER BY id')).toEqual([{ n: 1 }, { n: 2 }]);
  });
});
