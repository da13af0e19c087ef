import { chooseEntitledMailboxes } from './choose-entitled-mailboxes';
import { entitlementOf } from './entitlement';

const now = new Date('2026-12-05T12:00:00Z');
const later = new Date('2026-12-10T12:00:00Z');
const earlier = new Date('2026-12-01T12:00:00Z');

describe('entitlementOf', () => {
  it('gives the free tier without a subscription and seats with an active one', () => {
    expect(entitlementOf(null, 10, now)).toEqual({
      status: 'free',
      mailboxLimit: 10,
      inGrace: false,
    });
    expect(
      entitlementOf({ status: 'none', seats: 0, graceUntil: null }, 10, now).mailboxLimit,
    ).toBe(10);
    expect(entitlementOf({ status: 'active', seats: 25, graceUntil: null }, 10, now)).toEqual({
      status: 'active',
      mailboxLimit: 25,
      inGrace: false,
    });
    expect(
      entitlementOf({ status: 'trialing', seats: 12, graceUntil: null }, 10, now).mailboxLimit,
    ).toBe(12);
    // Graduated price: fewer seats than the free tier still leaves the free tier.
    expect(
      entitlementOf({ status: 'active', seats: 3, graceUntil: null }, 10, now).mailboxLimit,
    ).toBe(10);
  });

  it('keeps the seats of a past-due subscription through the grace period only', () => {
    expect(entitlementOf({ status: 'past_due', seats: 25, graceUntil: later }, 10, now)).toEqual({
      status: 'past_due',
      mailboxLimit: 25,
      inGrace: true,
    });
    expect(entitlementOf({ status: 'past_due', seats: 25, graceUntil: earlier }, 10, now)).toEqual({
      status: 'past_due',
      mailboxLimit: 10,
      inGrace: false,
    });
    expect(
      entitlementOf({ status: 'unpaid', seats: 25, graceUntil: null }, 10, now).mailboxLimit,
    ).toBe(10);
  });

  it('stops syncing after a cancellation once the grace period is over', () => {
    expect(
      entitlementOf({ status: 'canceled', seats: 25, graceUntil: later }, 10, now).mailboxLimit,
    ).toBe(25);
    expect(entitlementOf({ status: 'canceled', seats: 25, graceUntil: earlier }, 10, now)).toEqual({
      status: 'canceled',
      mailboxLimit: 0,
      inGrace: false,
    });
  });
});

describe('chooseEntitledMailboxes', () => {
  const candidate = (id: string, name: string, synced = false) => ({ id, name, synced });

  it('takes mailboxes already synced first, then by name, and freezes the rest', () => {
    const targets = ['d', 'a', 'c', 'b'];
    const chosen = chooseEntitledMailboxes(
      targets,
      [
        candidate('a', 'zed', true),
        candidate('b', 'bob'),
        candidate('c', 'amy'),
        candidate('d', 'cat'),
      ],
      2,
    );
    // a (synced), then by name: amy (c), bob (b), cat (d).
    expect(chosen).toEqual({ entitled: ['a', 'c'], frozen: ['d', 'b'] });
  });

  it('counts mailboxes synced by other lists against the limit, each once', () => {
    const chosen = chooseEntitledMailboxes(
      ['x', 'y'],
      [
        candidate('o', 'aaa', true),
        candidate('o', 'aaa', true),
        candidate('x', 'bbb'),
        candidate('y', 'ccc'),
      ],
      2,
    );
    expect(chosen).toEqual({ entitled: ['x'], frozen: ['y'] });
  });

  it('is the same whatever order the candidates come in', () => {
    const list = Array.from({ length: 30 }, (_, i) =>
      candidate(`id${i}`, `user${String(i).padStart(2, '0')}`, i % 3 === 0),
    );
    const targets = list.map((c) => c.id);
    const a = chooseEntitledMailboxes(targets, list, 12);
    const b = chooseEntitledMailboxes(targets, [...list].reverse(), 12);
    expect(a).toEqual(b);
    expect(a.entitled).toHaveLength(12);
    expect(a.frozen).toHaveLength(18);
    expect(chooseEntitledMailboxes(targets, list, 0).entitled).toEqual([]);
  });
});
