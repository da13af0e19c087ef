import { decodeId, fromEwsId, newItemId, occurrenceId, parseOccurrenceId, toEwsId } from './ids';
import { SlidingWindow } from './window';
import { Prng } from './prng';

describe('item ids', () => {
  it('round-trips and detects malformed ids', () => {
    const id = newItemId();
    expect(id.startsWith('AAMkA')).toBe(true);
    expect(decodeId(id)).toHaveLength(16);
    expect(decodeId(id.slice(0, -3) + 'xy=')).toBeUndefined();
    expect(decodeId('not-an-id')).toBeUndefined();
    expect(decodeId('AAMkA=')).toBeUndefined();
  });
  it('gives EWS its own id for the same item: different strings, not interchangeable, convertible', () => {
    for (let i = 0; i < 200; i++) {
      const rest = i % 2 ? newItemId() : occurrenceId(newItemId(), '2026-06-15');
      const ews = toEwsId(rest)!;
      expect(ews).not.toBe(rest);
      expect(ews.startsWith('AAMkA')).toBe(true);
      expect(fromEwsId(ews)).toBe(rest);
      expect(decodeId(ews)).toBeUndefined();
      expect(fromEwsId(rest)).toBeUndefined();
    }
    expect(toEwsId('not-an-id')).toBeUndefined();
  });
  it('encodes occurrences of a series master', () => {
    const m = newItemId();
    const o = occurrenceId(m, '2026-06-15');
    expect(parseOccurrenceId(o)).toEqual({ masterId: m, date: '2026-06-15' });
    expect(parseOccurrenceId(m)).toBeUndefined();
  });
});

describe('sliding window', () => {
  it('allows limit events per window and reports the wait', () => {
    const w = new SlidingWindow(2, 1000);
    expect(w.tryTake(0).ok).toBe(true);
    expect(w.tryTake(100).ok).toBe(true);
    const r = w.tryTake(200);
    expect(r).toEqual({ ok: false, waitMs: 800 });
    expect(w.tryTake(1001).ok).toBe(true);
  });
});

describe('prng', () => {
  it('is deterministic', () => {
    const a = new Prng(42);
    const b = new Prng(42);
    expect(Array.from({ length: 5 }, () => a.int(0, 1000))).toEqual(
      Array.from({ length: 5 }, () => b.int(0, 1000)),
    );
    expect(new Prng(1).guid()).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });
});
