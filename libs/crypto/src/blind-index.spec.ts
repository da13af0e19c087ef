import { createHash, randomBytes } from 'node:crypto';
import { BlindIndex } from './blind-index';
import { KeyRing } from './key-ring';

const keyA = { id: 'A', material: randomBytes(32) };
const keyB = { id: 'B', material: randomBytes(32) };
const tenant1 = '0b7f3c5e-1d2a-4f6b-9c8d-7e6f5a4b3c2d';
const tenant2 = '11111111-1111-4111-8111-111111111111';

describe('BlindIndex', () => {
  const index = new BlindIndex(new KeyRing({ activeKeyId: 'A', keys: [keyA] }));

  it('is deterministic within a tenant and 64 lower-case hex characters', () => {
    const value = index.compute(tenant1, 'alice@example.com');
    expect(value).toMatch(/^[0-9a-f]{64}$/);
    expect(index.compute(tenant1, 'alice@example.com')).toBe(value);
    expect(
      new BlindIndex(new KeyRing({ activeKeyId: 'A', keys: [keyA] })).compute(
        tenant1,
        'alice@example.com',
      ),
    ).toBe(value);
  });

  it('differs for different values and across tenants', () => {
    const value = index.compute(tenant1, 'alice@example.com');
    expect(index.compute(tenant1, 'bob@example.com')).not.toBe(value);
    expect(index.compute(tenant2, 'alice@example.com')).not.toBe(value);
  });

  it('hashes exactly what it is given: normalising is the caller job', () => {
    expect(index.compute(tenant1, 'Alice@example.com')).not.toBe(
      index.compute(tenant1, 'alice@example.com'),
    );
  });

  it('does not reveal the value and differs from a plain hash', () => {
    const value = index.compute(tenant1, 'alice@example.com');
    expect(value).not.toContain(Buffer.from('alice').toString('hex'));
    expect(value).not.toBe(createHash('sha256').update('alice@example.com').digest('hex'));
  });

  it('stays stable when the active key changes, and after the first key is pinned explicitly', () => {
    const before = index.compute(tenant1, 'alice@example.com');
    const rotated = new BlindIndex(new KeyRing({ activeKeyId: 'B', keys: [keyA, keyB] }));
    expect(rotated.compute(tenant1, 'alice@example.com')).toBe(before);
    const pinned = new BlindIndex(
      new KeyRing({ activeKeyId: 'B', blindIndexKeyId: 'A', keys: [keyB, keyA] }),
    );
    expect(pinned.compute(tenant1, 'alice@example.com')).toBe(before);
  });

  it('depends on the blind index key, not on other keys', () => {
    const before = index.compute(tenant1, 'alice@example.com');
    const otherKey = new BlindIndex(new KeyRing({ activeKeyId: 'B', keys: [keyB] }));
    expect(otherKey.compute(tenant1, 'alice@example.com')).not.toBe(before);
  });

  it('uses a key separate from field encryption', () => {
    const ring = new KeyRing({ activeKeyId: 'A', keys: [keyA] });
    expect(ring.subkey('A', 'blind-index', tenant1).export()).not.toEqual(
      ring.subkey('A', 'field-encryption', tenant1).export(),
    );
  });

  it('refuses an empty tenant id', () => {
    expect(() => index.compute('', 'x')).toThrow(TypeError);
  });
});
