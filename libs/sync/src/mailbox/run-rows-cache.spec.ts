import { RunRowsCache } from './run-rows-cache';

type RunRows = { tenant: { id: string }; list: null };

const rows = (name: string): RunRows => ({ tenant: { id: name }, list: null });

describe('RunRowsCache', () => {
  it('reads once per key for the moment, then again', async () => {
    let now = 0;
    const cache = new RunRowsCache<RunRows>(2_000, () => now);
    let loads = 0;
    const load = async () => rows(`read-${++loads}`);
    const [a, b] = await Promise.all([cache.get('run-1', load), cache.get('run-1', load)]);
    expect(a).toBe(b);
    expect(loads).toBe(1);
    expect((await cache.get('run-2', load)).tenant!.id).toBe('read-2'); // a new run reads afresh
    now = 1_999;
    expect((await cache.get('run-1', load)).tenant!.id).toBe('read-1');
    now = 2_000;
    expect((await cache.get('run-1', load)).tenant!.id).toBe('read-3');
  });

  it('does not keep a failed read', async () => {
    const cache = new RunRowsCache<RunRows>(2_000, () => 0);
    await expect(
      cache.get('run-1', async () => {
        throw new Error('database down');
      }),
    ).rejects.toThrow('database down');
    expect((await cache.get('run-1', async () => rows('ok'))).tenant!.id).toBe('ok');
  });
});
