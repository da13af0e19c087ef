import { ExpiringMap } from './expiring-map';

describe('ExpiringMap', () => {
  let now: number;
  const clock = () => now;
  beforeEach(() => (now = 1_000));

  it('serves an entry for the TTL after it was set, and forgets it then', () => {
    const map = new ExpiringMap<string, number>(100, 10, clock);
    map.set('a', 1);
    now += 99;
    expect(map.get('a')).toBe(1);
    now += 1;
    expect(map.get('a')).toBeUndefined();
    expect(map.size).toBe(0);
  });

  it('setting a key again restarts its TTL', () => {
    const map = new ExpiringMap<string, number>(100, 10, clock);
    map.set('a', 1);
    now += 60;
    map.set('a', 2);
    now += 60;
    expect(map.get('a')).toBe(2);
  });

  it('keeps at most maxEntries, the oldest set going first', () => {
    const map = new ExpiringMap<string, number>(1_000, 3, clock);
    for (const [i, key] of ['a', 'b', 'c'].entries()) {
      map.set(key, i);
      now += 1;
    }
    map.set('a', 10); // 'a' is now the newest
    map.set('d', 3);
    expect(map.size).toBe(3);
    expect(['a', 'b', 'c', 'd'].map((k) => map.get(k))).toEqual([10, undefined, 2, 3]);
  });

  it('removes every expired entry when used, not only the one asked for', () => {
    const map = new ExpiringMap<string, number>(100, 1_000, clock);
    for (let i = 0; i < 500; i++) map.set(`k${i}`, i);
    now += 50;
    map.set('late', 1);
    now += 60;
    expect(map.get('other')).toBeUndefined();
    expect(map.size).toBe(1);
    expect(map.get('late')).toBe(1);
  });

  it('delete removes an entry', () => {
    const map = new ExpiringMap<string, number>(100, 10, clock);
    map.set('a', 1);
    map.delete('a');
    expect(map.get('a')).toBeUndefined();
  });
});
