import { TEST_SERVERS } from '@app/config';
import { createRedisClient } from '@app/queue';
import { randomUUID } from 'node:crypto';
import { MailboxLease } from './mailbox-lease';

const redis = createRedisClient(TEST_SERVERS.redisUrl, {
  enableOfflineQueue: true,
});
afterAll(() => redis.disconnect());

describe('MailboxLease', () => {
  it('lets one holder at a time into a mailbox, and only the holder renew or release it', async () => {
    const lease = new MailboxLease(redis, 'test', { lockTtlMs: 5_000 });
    const tenant = randomUUID();
    expect(await lease.acquire(tenant, 'mbx', 'a', 10)).toBe('granted');
    expect(await lease.acquire(tenant, 'mbx', 'b', 10)).toBe('mailbox_busy');
    expect(await lease.inUse(tenant)).toBe(1); // the turned-away holder took no slot
    await lease.release(tenant, 'mbx', 'b'); // not b's lock: it stays
    expect(await lease.acquire(tenant, 'other-mbx', 'b', 10)).toBe('granted');
    expect(await lease.acquire(tenant, 'mbx', 'c', 10)).toBe('mailbox_busy');
    expect(await lease.renew(tenant, 'mbx', 'c')).toBe(false);
    expect(await lease.renew(tenant, 'mbx', 'a')).toBe(true);
    await lease.release(tenant, 'mbx', 'a');
    expect(await lease.acquire(tenant, 'mbx', 'c', 10)).toBe('granted');
    expect(await lease.inUse(tenant)).toBe(2); // b and c
  });

  it("keeps a tenant's keys in one Redis Cluster slot (its scripts touch two keys)", async () => {
    const lease = new MailboxLease(redis, 'test', { lockTtlMs: 5_000 });
    const tenant = randomUUID();
    expect(await lease.acquire(tenant, 'mbx', 'a', 10)).toBe('granted');
    const keys = await redis.keys(`test:*${tenant}*`);
    expect(keys).toHaveLength(2);
    // Cluster hashes only what is inside the first {...}: the same tag, the same slot.
    for (const key of keys) expect(/\{([^}]*)\}/.exec(key)?.[1]).toBe(tenant);
    await lease.release(tenant, 'mbx', 'a');
    expect(await redis.keys(`test:*${tenant}*`)).toEqual([]);
  });

  it('frees the mailbox when its holder dies', async () => {
    const lease = new MailboxLease(redis, 'test', { lockTtlMs: 100 });
    const tenant = randomUUID();
    expect(await lease.acquire(tenant, 'mbx', 'dead', 10)).toBe('granted');
    expect(await lease.acquire(tenant, 'mbx', 'alive', 10)).not.toBe('granted');
    // Redis expires the dead holder's lock by its own clock: wait for that, not a guessed time.
    const lock = `test:{${tenant}}:mailbox-lock:mbx`;
    const deadline = Date.now() + 5_000;
    while ((await redis.exists(lock)) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    expect(await lease.acquire(tenant, 'mbx', 'alive', 10)).toBe('granted');
  });

  it('caps holders per tenant, independently per tenant, and frees released or expired slots', async () => {
    let now = 1_000_000;
    const lease = new MailboxLease(redis, 'test', { slotLeaseMs: 1_000, now: () => now });
    const [t1, t2] = [randomUUID(), randomUUID()];
    expect(await lease.acquire(t1, 'm1', 'j1', 2)).toBe('granted');
    expect(await lease.acquire(t1, 'm2', 'j2', 2)).toBe('granted');
    expect(await lease.acquire(t1, 'm3', 'j3', 2)).toBe('tenant_full');
    expect(await lease.acquire(t1, 'm1', 'j1', 2)).toBe('granted'); // re-entry takes no new slot
    expect(await lease.acquire(t2, 'm1', 'k1', 2)).toBe('granted');
    await lease.release(t1, 'm1', 'j1');
    expect(await lease.acquire(t1, 'm3', 'j3', 2)).toBe('granted');
    expect(await lease.inUse(t1)).toBe(2);
    now += 2_000; // j2 and j3 never renewed: their slots lapse
    expect(await lease.inUse(t1)).toBe(0);
    expect(await lease.acquire(t1, 'm4', 'j4', 2)).toBe('granted');
  });

  it('renewing keeps a slot that would otherwise lapse', async () => {
    let now = 2_000_000;
    const lease = new MailboxLease(redis, 'test', { slotLeaseMs: 1_000, now: () => now });
    const tenant = randomUUID();
    expect(await lease.acquire(tenant, 'm1', 'j1', 1)).toBe('granted');
    now += 800;
    expect(await lease.renew(tenant, 'm1', 'j1')).toBe(true);
    now += 800; // 1,600 ms after taking it, 800 after the renewal
    expect(await lease.acquire(tenant, 'm2', 'j2', 1)).toBe('tenant_full');
    expect(await lease.inUse(tenant)).toBe(1);
  });
});
