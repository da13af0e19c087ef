import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { CryptoError } from './crypto-error';
import { generateMasterKey } from './generate-master-key';
import { InvalidKeyRingError } from './invalid-key-ring.error';
import { KeyRing } from './key-ring';
import { UnknownKeyIdError } from './unknown-key-id.error';

const key = () => randomBytes(32);

function expectInvalid(build: () => unknown, messagePart: string): Error {
  let error: unknown;
  try {
    build();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(InvalidKeyRingError);
  expect(error).toBeInstanceOf(CryptoError);
  expect((error as InvalidKeyRingError).code).toBe('INVALID_KEY_RING');
  expect((error as Error).message).toContain(messagePart);
  return error as Error;
}

describe('KeyRing', () => {
  it('accepts a valid ring and exposes ids, the active key and the blind index key', () => {
    const ring = new KeyRing({
      activeKeyId: 'k2',
      keys: [
        { id: 'k1', material: key() },
        { id: 'k2', material: key() },
      ],
    });
    expect(ring.activeKeyId).toBe('k2');
    expect(ring.keyIds).toEqual(['k1', 'k2']);
    expect(ring.has('k1')).toBe(true);
    expect(ring.has('k3')).toBe(false);
    expect(ring.blindIndexKeyId).toBe('k1');
  });

  it('honours an explicit blindIndexKeyId', () => {
    const ring = new KeyRing({
      activeKeyId: 'a',
      blindIndexKeyId: 'b',
      keys: [
        { id: 'a', material: key() },
        { id: 'b', material: key() },
      ],
    });
    expect(ring.blindIndexKeyId).toBe('b');
  });

  it.each([0, 16, 31, 33, 64])('rejects a %i-byte key', (length) => {
    expectInvalid(
      () => new KeyRing({ activeKeyId: 'k', keys: [{ id: 'k', material: randomBytes(length) }] }),
      '32 bytes',
    );
  });

  it('rejects a missing active key', () => {
    expectInvalid(
      () => new KeyRing({ activeKeyId: 'nope', keys: [{ id: 'k', material: key() }] }),
      '"nope"',
    );
  });

  it('rejects an empty ring', () => {
    expectInvalid(() => new KeyRing({ activeKeyId: 'k', keys: [] }), 'at least one key');
  });

  it('rejects duplicate ids', () => {
    expectInvalid(
      () =>
        new KeyRing({
          activeKeyId: 'k',
          keys: [
            { id: 'k', material: key() },
            { id: 'k', material: key() },
          ],
        }),
      'twice',
    );
  });

  it.each(['', 'has.dot', 'has space', 'colon:', 'é', 'x'.repeat(33)])(
    'rejects key id %j',
    (id) => {
      expectInvalid(
        () => new KeyRing({ activeKeyId: id, keys: [{ id, material: key() }] }),
        'key id',
      );
    },
  );

  it('accepts ids at the edge of the allowed pattern', () => {
    const id = 'Az09_-'.padEnd(32, 'x');
    expect(new KeyRing({ activeKeyId: id, keys: [{ id, material: key() }] }).activeKeyId).toBe(id);
  });

  it('rejects a blindIndexKeyId that is not in the ring', () => {
    expectInvalid(
      () =>
        new KeyRing({
          activeKeyId: 'k',
          blindIndexKeyId: 'gone',
          keys: [{ id: 'k', material: key() }],
        }),
      '"gone"',
    );
  });

  it('never puts key material in error messages or inspection output', () => {
    const short = randomBytes(31);
    const { message } = expectInvalid(
      () => new KeyRing({ activeKeyId: 'k', keys: [{ id: 'k', material: short }] }),
      '32 bytes',
    );
    expect(message).not.toContain(short.toString('hex'));
    expect(message).not.toContain(short.toString('base64'));
    const good = key();
    const ring = new KeyRing({ activeKeyId: 'k', keys: [{ id: 'k', material: good }] });
    const shown = inspect(ring, { depth: 10, showHidden: true }) + JSON.stringify(ring);
    expect(shown).not.toContain(good.toString('hex'));
    expect(shown).not.toContain(good.toString('base64'));
  });

  it('copies the material, so later mutation of the caller buffer changes nothing', () => {
    const material = key();
    const copy = Buffer.from(material);
    const ring = new KeyRing({ activeKeyId: 'k', keys: [{ id: 'k', material }] });
    material.fill(0);
    const reference = new KeyRing({ activeKeyId: 'k', keys: [{ id: 'k', material: copy }] });
    expect(ring.subkey('k', 'p', 't').export()).toEqual(reference.subkey('k', 'p', 't').export());
  });

  describe('subkey', () => {
    const ring = new KeyRing({
      activeKeyId: 'a',
      keys: [
        { id: 'a', material: key() },
        { id: 'b', material: key() },
      ],
    });

    it('is 32 bytes, deterministic, and separated by key, purpose and tenant', () => {
      const base = ring.subkey('a', 'field-encryption', 't1').export();
      expect(base).toHaveLength(32);
      expect(ring.subkey('a', 'field-encryption', 't1').export()).toEqual(base);
      expect(ring.subkey('b', 'field-encryption', 't1').export()).not.toEqual(base);
      expect(ring.subkey('a', 'blind-index', 't1').export()).not.toEqual(base);
      expect(ring.subkey('a', 'field-encryption', 't2').export()).not.toEqual(base);
    });

    it('is cached rather than derived again', () => {
      expect(ring.subkey('a', 'p', 'cached')).toBe(ring.subkey('a', 'p', 'cached'));
    });

    it('stays correct after the cache evicts entries', () => {
      const first = ring.subkey('a', 'p', 'tenant-0').export();
      for (let i = 1; i <= 5000; i++) ring.subkey('a', 'p', `tenant-${i}`);
      expect(ring.subkey('a', 'p', 'tenant-0').export()).toEqual(first);
    });

    it('fails with UNKNOWN_KEY_ID for a key that is not in the ring', () => {
      expect(() => ring.subkey('zz', 'p', 't')).toThrow(UnknownKeyIdError);
    });
  });
});

describe('generateMasterKey', () => {
  it('returns base64 of 32 fresh random bytes that a KeyRing accepts', () => {
    const a = generateMasterKey();
    const b = generateMasterKey();
    expect(Buffer.from(a, 'base64')).toHaveLength(32);
    expect(Buffer.from(a, 'base64').toString('base64')).toBe(a);
    expect(a).not.toBe(b);
    const ring = new KeyRing({
      activeKeyId: 'k',
      keys: [{ id: 'k', material: Buffer.from(a, 'base64') }],
    });
    expect(ring.activeKeyId).toBe('k');
  });
});
