import { EwsAccountGate } from './ews-account-gate';

describe('EwsAccountGate', () => {
  it('lets at most `limit` requests of one account run at once, in arrival order, others apart', async () => {
    const gate = new EwsAccountGate(2);
    const started: string[] = [];
    const release = new Map<string, () => void>();
    const job = (account: string, name: string) =>
      gate.run(account, () => {
        started.push(name);
        return new Promise<void>((r) => release.set(name, r));
      });
    const all = [
      job('svc', 'a'),
      job('SVC', 'b'),
      job('svc', 'c'),
      job('svc', 'd'),
      job('other', 'x'),
    ];
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual(['a', 'b', 'x']);
    expect(gate.active('svc')).toBe(2);
    release.get('b')!();
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual(['a', 'b', 'x', 'c']);
    expect(gate.active('svc')).toBe(2);
    for (const name of ['a', 'c', 'x']) release.get(name)!();
    await new Promise((r) => setImmediate(r));
    release.get('d')!();
    await Promise.all(all);
    expect(gate.active('svc')).toBe(0);
    expect(gate.peak).toBe(2);
  });

  it('frees the slot when the request fails', async () => {
    const gate = new EwsAccountGate(1);
    await expect(gate.run('svc', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(gate.run('svc', () => Promise.resolve(7))).resolves.toBe(7);
    expect(gate.active('svc')).toBe(0);
  });

  it('refuses a limit below 1', () => {
    expect(() => new EwsAccountGate(0)).toThrow(/from 1/);
  });
});
