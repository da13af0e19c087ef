import { randomBytes } from 'node:crypto';
import type { CipherContext } from './cipher-context';
import { CryptoError } from './crypto-error';
import { DecryptionFailedError } from './decryption-failed.error';
import { FieldCipher } from './field-cipher';
import { keyIdOf } from './key-id-of';
import { KeyRing } from './key-ring';
import { MalformedCiphertextError } from './malformed-ciphertext.error';
import { SYSTEM_TENANT_ID } from './system-tenant-id';
import { UnknownKeyIdError } from './unknown-key-id.error';

const keyA = { id: 'A', material: randomBytes(32) };
const keyB = { id: 'B', material: randomBytes(32) };
const ringA = new KeyRing({ activeKeyId: 'A', keys: [keyA] });
const cipher = new FieldCipher(ringA);

const ctx: CipherContext = {
  tenantId: '0b7f3c5e-1d2a-4f6b-9c8d-7e6f5a4b3c2d',
  table: 'ews_credentials',
  rowId: '5a4b3c2d-7e6f-4f6b-9c8d-0b7f3c5e1d2a',
  column: 'password',
};

const FORMAT = /^v1\.[A-Za-z0-9_-]{1,32}\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]{22}$/;

/** Runs fn, asserts it threw the given typed error, and that it returned nothing. */
function expectError(
  fn: () => unknown,
  type: new (...args: never[]) => CryptoError,
  code: string,
): CryptoError {
  let returned: unknown = 'not thrown';
  try {
    returned = fn();
  } catch (error) {
    expect(error).toBeInstanceOf(type);
    expect(error).toBeInstanceOf(CryptoError);
    expect((error as CryptoError).code).toBe(code);
    return error as CryptoError;
  }
  throw new Error(`expected ${code}, but got a value back: ${String(returned)}`);
}

function splitParts(ciphertext: string) {
  const [version, keyId, iv, data, tag] = ciphertext.split('.');
  return { version, keyId, iv, data, tag };
}

function join(parts: ReturnType<typeof splitParts>): string {
  return [parts.version, parts.keyId, parts.iv, parts.data, parts.tag].join('.');
}

/** A 16-byte value takes 22 base64url characters; the last carries 4 unused bits. Setting one decodes to the same bytes. */
function setUnusedBits(segment: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const last = alphabet[alphabet.indexOf(segment.slice(-1)) ^ 0b0001];
  const changed = segment.slice(0, -1) + last;
  expect(Buffer.from(changed, 'base64url')).toEqual(Buffer.from(segment, 'base64url'));
  return changed;
}

function withPart(ciphertext: string, part: 'iv' | 'data' | 'tag', bytes: Buffer): string {
  return join({ ...splitParts(ciphertext), [part]: bytes.toString('base64url') });
}

describe('FieldCipher', () => {
  describe('round trip', () => {
    it.each([
      ['ascii', 'hunter2'],
      ['empty string', ''],
      ['unicode', 'Grüße, 東京 — 👩‍💻 naïve café'],
      ['long string', 'x'.repeat(100_000) + '✓'],
      ['the separator character', 'a.b.c.d.e'],
    ])('returns the plaintext for %s', (_name, plaintext) => {
      const ciphertext = cipher.encrypt(plaintext, ctx);
      expect(ciphertext).toMatch(FORMAT);
      expect(cipher.decrypt(ciphertext, ctx)).toBe(plaintext);
    });

    it('does not contain the plaintext', () => {
      const ciphertext = cipher.encrypt('secret-password', ctx);
      expect(ciphertext).not.toContain('secret-password');
      expect(ciphertext).not.toContain(Buffer.from('secret-password').toString('base64url'));
    });

    it('encrypts the same plaintext to different ciphertexts with different IVs', () => {
      const values = Array.from({ length: 50 }, () => cipher.encrypt('same', ctx));
      expect(new Set(values).size).toBe(values.length);
      expect(new Set(values.map((v) => splitParts(v).iv)).size).toBe(values.length);
      for (const value of values) expect(cipher.decrypt(value, ctx)).toBe('same');
    });

    it('works for the reserved system tenant, separately from real tenants', () => {
      const system = { ...ctx, tenantId: SYSTEM_TENANT_ID };
      const ciphertext = cipher.encrypt('instance secret', system);
      expect(cipher.decrypt(ciphertext, system)).toBe('instance secret');
      expectError(
        () => cipher.decrypt(ciphertext, ctx),
        DecryptionFailedError,
        'DECRYPTION_FAILED',
      );
    });
  });

  describe('tampering', () => {
    const ciphertext = cipher.encrypt('short', ctx);

    it.each(['iv', 'data', 'tag'] as const)(
      'fails on any changed byte of the %s and never returns data',
      (part) => {
        const original = Buffer.from(splitParts(ciphertext)[part], 'base64url');
        expect(original.length).toBeGreaterThan(0);
        for (let i = 0; i < original.length; i++) {
          for (const mask of [0x01, 0x80, 0xff]) {
            const bytes = Buffer.from(original);
            bytes[i] ^= mask;
            expectError(
              () => cipher.decrypt(withPart(ciphertext, part, bytes), ctx),
              DecryptionFailedError,
              'DECRYPTION_FAILED',
            );
          }
        }
        expect(cipher.decrypt(ciphertext, ctx)).toBe('short');
      },
    );

    it('fails when ciphertext bytes are removed or appended', () => {
      const data = Buffer.from(splitParts(ciphertext).data, 'base64url');
      for (const changed of [
        data.subarray(1),
        data.subarray(0, -1),
        Buffer.alloc(0),
        Buffer.concat([data, Buffer.from([0])]),
      ]) {
        expectError(
          () => cipher.decrypt(withPart(ciphertext, 'data', changed), ctx),
          DecryptionFailedError,
          'DECRYPTION_FAILED',
        );
      }
    });

    it.each([15, 12, 8, 4, 1, 0])('rejects a tag truncated to %i bytes', (length) => {
      const tag = Buffer.from(splitParts(ciphertext).tag, 'base64url').subarray(0, length);
      expectError(
        () => cipher.decrypt(withPart(ciphertext, 'tag', tag), ctx),
        MalformedCiphertextError,
        'MALFORMED_CIPHERTEXT',
      );
    });

    it('rejects a tag that is too long', () => {
      const tag = Buffer.concat([
        Buffer.from(splitParts(ciphertext).tag, 'base64url'),
        Buffer.from([0]),
      ]);
      expectError(
        () => cipher.decrypt(withPart(ciphertext, 'tag', tag), ctx),
        MalformedCiphertextError,
        'MALFORMED_CIPHERTEXT',
      );
    });

    it.each([0, 8, 11, 13, 16])('rejects a %i-byte IV', (length) => {
      const iv = randomBytes(length);
      expectError(
        () => cipher.decrypt(withPart(ciphertext, 'iv', iv), ctx),
        MalformedCiphertextError,
        'MALFORMED_CIPHERTEXT',
      );
    });

    it.each([
      ['another row', { rowId: '00000000-0000-4000-8000-000000000000' }],
      ['another column', { column: 'username' }],
      ['another table', { table: 'graph_tokens' }],
      ['another tenant', { tenantId: '11111111-1111-4111-8111-111111111111' }],
      [
        'a shifted boundary between table and row',
        { table: 'ews_credentials5', rowId: ctx.rowId.slice(1) },
      ],
    ])('fails when moved to %s', (_name, change) => {
      expectError(
        () => cipher.decrypt(ciphertext, { ...ctx, ...change }),
        DecryptionFailedError,
        'DECRYPTION_FAILED',
      );
    });

    it('keeps plaintext out of error messages', () => {
      const secret = cipher.encrypt('do-not-leak-me', ctx);
      const error = expectError(
        () => cipher.decrypt(secret, { ...ctx, rowId: 'other' }),
        DecryptionFailedError,
        'DECRYPTION_FAILED',
      );
      expect(error.message).not.toContain('do-not-leak-me');
      expect(error.message).not.toContain(splitParts(secret).data);
    });

    it('refuses an empty context part instead of binding to it', () => {
      expect(() => cipher.encrypt('x', { ...ctx, rowId: '' })).toThrow(TypeError);
      expect(() => cipher.decrypt(cipher.encrypt('x', ctx), { ...ctx, tenantId: '' })).toThrow(
        TypeError,
      );
    });
  });

  describe('format', () => {
    const ciphertext = cipher.encrypt('value', ctx);

    it('carries the version and key id, readable with keyIdOf', () => {
      expect(splitParts(ciphertext).version).toBe('v1');
      expect(keyIdOf(ciphertext)).toBe('A');
    });

    it.each([
      ['empty', ''],
      ['not enough parts', 'v1.A.abc'],
      ['too many parts', `${ciphertext}.x`],
      ['an unknown version', ciphertext.replace(/^v1/, 'v2')],
      ['no version', ciphertext.replace(/^v1/, '')],
      ['an invalid key id', ciphertext.replace('.A.', '.A!.')],
      ['non-base64url characters', ciphertext.replace(/\.([^.]+)$/, '.+/$1')],
      ['padding', `${ciphertext}==`],
      [
        'non-canonical base64url (same tag bytes, unused bits set)',
        join({ ...splitParts(ciphertext), tag: setUnusedBits(splitParts(ciphertext).tag) }),
      ],
    ])('rejects %s as MALFORMED_CIPHERTEXT', (_name, text) => {
      expectError(
        () => cipher.decrypt(text, ctx),
        MalformedCiphertextError,
        'MALFORMED_CIPHERTEXT',
      );
      expectError(() => keyIdOf(text), MalformedCiphertextError, 'MALFORMED_CIPHERTEXT');
    });
  });

  describe('key rotation', () => {
    const ringAB = new KeyRing({ activeKeyId: 'B', keys: [keyA, keyB] });
    const ringB = new KeyRing({ activeKeyId: 'B', keys: [keyB] });

    it('fails with UNKNOWN_KEY_ID when the key is not in the ring', () => {
      const underB = new FieldCipher(ringAB).encrypt('value', ctx);
      const error = expectError(
        () => cipher.decrypt(underB, ctx),
        UnknownKeyIdError,
        'UNKNOWN_KEY_ID',
      );
      expect((error as UnknownKeyIdError).keyId).toBe('B');
      expect(error.message).toContain('"B"');
    });

    it('decrypts an A value after B becomes active, re-encrypts it under B, and survives removing A', () => {
      const underA = cipher.encrypt('rotate me', ctx);
      const rotating = new FieldCipher(ringAB);
      expect(rotating.needsRotation(underA)).toBe(true);
      expect(rotating.decrypt(underA, ctx)).toBe('rotate me');

      const underB = rotating.reencrypt(underA, ctx);
      expect(keyIdOf(underB)).toBe('B');
      expect(rotating.needsRotation(underB)).toBe(false);
      expect(rotating.encrypt('new', ctx)).toMatch(/^v1\.B\./);

      const afterRemoval = new FieldCipher(ringB);
      expect(afterRemoval.decrypt(underB, ctx)).toBe('rotate me');
      expectError(() => afterRemoval.decrypt(underA, ctx), UnknownKeyIdError, 'UNKNOWN_KEY_ID');
    });

    it('still binds the context when re-encrypting', () => {
      const underA = cipher.encrypt('bound', ctx);
      expectError(
        () => new FieldCipher(ringAB).reencrypt(underA, { ...ctx, rowId: 'other' }),
        DecryptionFailedError,
        'DECRYPTION_FAILED',
      );
    });

    it('does not let a ciphertext claim another key id', () => {
      const underA = cipher.encrypt('value', ctx);
      const relabelled = join({ ...splitParts(underA), keyId: 'B' });
      expectError(
        () => new FieldCipher(ringAB).decrypt(relabelled, ctx),
        DecryptionFailedError,
        'DECRYPTION_FAILED',
      );
    });

    it('does not decrypt with a different key that reuses the same id', () => {
      const impostor = new FieldCipher(
        new KeyRing({ activeKeyId: 'A', keys: [{ id: 'A', material: randomBytes(32) }] }),
      );
      expectError(
        () => impostor.decrypt(cipher.encrypt('value', ctx), ctx),
        DecryptionFailedError,
        'DECRYPTION_FAILED',
      );
    });
  });
});
