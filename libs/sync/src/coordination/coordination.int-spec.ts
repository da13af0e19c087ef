import { TEST_SERVERS } from '@app/config';
import { createRedisClient } from '@app/queue';
import { randomUUID } from 'node:crypto';
import { MailboxLock } from './mailbox-lock';
import { TenantSlots } from './tenant-slots';

const redis = createRedisClient(TEST_SERVERS.redisUrl, {
  enableOfflineQueue: true,
});
afterAll(() => redis.disconnect());

describe('MailboxLock', () => {
  it('lets one holder in at a time, and only the holder release or renew it', async () => {
    const lock = new MailboxLock(redis, 'test', 5_000);
    const tenant = randomUUID();
    expect(await lock.acquire(tenant, 'mbx', 'a')).toBe(true);
    expect(await lock.acquire(tenant, 'mbx', 'b')).toBe(false);
    expect(await lock.acquire(tenant, 'other-mbx', 'b')).toBe(true);
    await lock.release(tenant, 'mbx', 'b');
    expect(await lock.acquire(tenant, 'mbx', 'b')).toBe(false);
    expect(await lock.renew(tenant, 'mbx', 'b')).toBe(false);
    expect(await lock.renew(tenant, 'mbx', 'a')).toBe(true);
    await lock.release(tenant, 'mbx', 'a');
    expect(await lock.acquire(tenant, 'mbx', 'b')).toBe(true);
  });

  it('expires when its holder dies', async () => {
    const lock = new MailboxLock(redis, 'test', 100);
    const tenant = randomUUID();
    expect(await lock.acquire(tenant, 'mbx', 'dead')).toBe(true);
    await new Promise((r) => setTimeout(r, 150));
    expect(await lock.acquire(tenant, 'mbx', 'alive')).toBe(true);
  });
});

describe('TenantSlots', () => {
  it('caps holders per tenant, independently per tenant, and frees released or expired leases', async () => {
    let now = 1_000_000;
    const slots = new TenantSlots(redis, 'test', 1_000, () => now);
    const [t1, t2] = [randomUUID(), randomUUID()];
    expect(await slots.acquire(t1, 'j1', 2)).toBe(true);
    expect(await slots.acquire(t1, 'j2', 2)).toBe(true);
    expect(await slots.acquire(t1, 'j3', 2)).toBe(false);
    expect(await slots.acquire(t1, 'j1', 2)).toBe(true); // re-entry renews, takes no new slot
    expect(await slots.acquire(t2, 'k1', 2)).toBe(true);
    await slots.release(t1, 'j1');
    expect(await slots.acquire(t1, 'j3', 2)).toBe(true);
    expect(await slots.inUse(t1)).toBe(2);
    now += 2_000; // j2 and j3 never renewed: their leases lapse
    expect(await slots.inUse(t1)).toBe(0);
    expect(await slots.acquire(t1, 'j4', 2)).toBe(true);
  });
});
