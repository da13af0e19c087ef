import { TEST_SERVERS } from '@app/config';
import { FieldCipher, KeyRing, keyIdOf } from '@app/crypto';
import { rotateTokenCache, tokenCacheContext, tokenCacheKey } from '@app/microsoft';
import { createRedisClient, waitUntilReady } from '@app/queue';
import type { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { rotateLegacyAlertSettings } from './rotate-legacy-alert-settings';

const key = (id: string) => ({ id, material: randomBytes(32) });
const old = key('old');
const fresh = key('new');
const gone = key('gone');
const ring = (active: string, ...keys: Array<typeof old>) =>
  new FieldCipher(new KeyRing({ activeKeyId: active, keys }));

describe('key rotation of values kept in Redis', () => {
  let redis: Redis;
  const prefix = `rot-${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    redis = createRedisClient(TEST_SERVERS.redisUrl);
    await waitUntilReady(redis, 5_000);
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it('re-seals cached tokens under the active key (keeping their TTL) and drops those no key opens', async () => {
    const token = JSON.stringify({ token: 'eyJ.a.b', expiresAt: 1, refreshAt: 1 });
    await redis.set(
      tokenCacheKey(prefix, 't1'),
      ring('old', old).encrypt(token, tokenCacheContext('t1')),
      'PX',
      600_000,
    );
    await redis.set(
      tokenCacheKey(prefix, 't2'),
      ring('gone', gone).encrypt(token, tokenCacheContext('t2')),
      'PX',
      600_000,
    );
    // A lock key beside the tokens is not a token.
    await redis.set(`${prefix}:token-lock:t1`, 'owner', 'PX', 600_000);

    const rotating = ring('new', old, fresh);
    expect(await rotateTokenCache(redis, rotating, prefix)).toEqual({
      scanned: 2,
      reencrypted: 1,
      dropped: 1,
      changedMeanwhile: 0,
    });
    const sealed = (await redis.get(tokenCacheKey(prefix, 't1')))!;
    expect(keyIdOf(sealed)).toBe('new');
    expect(ring('new', fresh).decrypt(sealed, tokenCacheContext('t1'))).toBe(token);
    expect(await redis.pttl(tokenCacheKey(prefix, 't1'))).toBeGreaterThan(500_000);
    expect(await redis.exists(tokenCacheKey(prefix, 't2'))).toBe(0);
    expect(await redis.get(`${prefix}:token-lock:t1`)).toBe('owner');
    // Nothing left to do.
    expect((await rotateTokenCache(redis, rotating, prefix)).reencrypted).toBe(0);
  });

  it('re-seals the webhook secret of alert settings an earlier version left in Redis', async () => {
    const context = {
      tenantId: 't3',
      table: 'alert_settings',
      rowId: 't3',
      column: 'webhook_secret',
    };
    const legacy = {
      emails: ['ops@example.com'],
      webhookUrl: 'https://hooks.example.com/x',
      webhookSecretEncrypted: ring('old', old).encrypt('whsec-legacy-0123456789', context),
      quietMinutes: 30,
      updatedAt: '2026-01-01T00:00:00.000Z',
    };
    await redis.set(`${prefix}:alerts:settings:t3`, JSON.stringify(legacy));
    await redis.set(
      `${prefix}:alerts:settings:t4`,
      JSON.stringify({ ...legacy, webhookSecretEncrypted: null }),
    );

    const result = await rotateLegacyAlertSettings(redis, ring('new', old, fresh), prefix);
    expect(result).toEqual({ scanned: 2, reencrypted: 1, dropped: 0, changedMeanwhile: 0 });
    const moved = JSON.parse((await redis.get(`${prefix}:alerts:settings:t3`))!) as typeof legacy;
    expect({ ...moved, webhookSecretEncrypted: undefined }).toEqual({
      ...legacy,
      webhookSecretEncrypted: undefined,
    });
    expect(keyIdOf(moved.webhookSecretEncrypted)).toBe('new');
    expect(ring('new', fresh).decrypt(moved.webhookSecretEncrypted, context)).toBe(
      'whsec-legacy-0123456789',
    );
  });
});
