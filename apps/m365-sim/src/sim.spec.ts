import { SimState } from './sim';
import { resolveOptions } from './sim-options';

describe('service time', () => {
  const state = (input: Parameters<typeof resolveOptions>[0] = {}) =>
    new SimState(resolveOptions({ tenants: 1, usersPerTenant: 10, quiet: true, ...input }));

  it('defaults to 3 ms plus 0-5 ms of jitter drawn from the seed', () => {
    const a = state({ seed: 5 });
    const times = Array.from({ length: 200 }, () => a.serviceTime('contacts.create'));
    expect(Math.min(...times)).toBeGreaterThanOrEqual(3);
    expect(Math.max(...times)).toBeLessThanOrEqual(8);
    expect(new Set(times).size).toBeGreaterThan(3);
    const b = state({ seed: 5 });
    expect(Array.from({ length: 200 }, () => b.serviceTime('contacts.create'))).toEqual(times);
    const c = state({ seed: 6 });
    expect(Array.from({ length: 200 }, () => c.serviceTime('contacts.create'))).not.toEqual(times);
  });

  it('keeps an explicit 0 at 0 (raw speed) and an explicit jitter of 0 exact (the bench)', () => {
    const raw = state({ serviceTimeMs: { '*': 0 } });
    expect(Array.from({ length: 50 }, () => raw.serviceTime('users.list'))).toEqual(
      Array(50).fill(0),
    );
    const bench = state({ serviceTimeMs: { '*': 20 }, serviceTimeJitterMs: 0 });
    expect(Array.from({ length: 50 }, () => bench.serviceTime('batch'))).toEqual(
      Array(50).fill(20),
    );
    const perOp = state({ serviceTimeMs: { '*': 0, 'contacts.create': 100 } });
    expect(perOp.serviceTime('contacts.get')).toBe(0);
    expect(perOp.serviceTime('contacts.create')).toBeGreaterThanOrEqual(100);
    expect(perOp.serviceTime('contacts.create')).toBeLessThanOrEqual(105);
  });
});
