import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { CipherContext } from './cipher-context';
import { CiphertextEnvelope } from './ciphertext-envelope';
import { DecryptionFailedError } from './decryption-failed.error';
import type { KeyRing } from './key-ring';
import { keyIdOf } from './key-id-of';
import { lengthPrefixed } from './length-prefixed';

const ALGORITHM = 'aes-256-gcm';
const PURPOSE = 'field-encryption';

/**
 * AES-256-GCM for single column values, bound to their tenant, table, row and column.
 *
 * New values use the ring's active key; any key still in the ring decrypts. Each value gets a
 * fresh random 12-byte IV under a per-tenant HKDF subkey. The AAD is the length-prefixed
 * (version, tenant, table, row id, column), so a value moved elsewhere fails authentication.
 * Text format: see CiphertextEnvelope (`v1.<keyId>.<iv>.<ciphertext>.<tag>`, base64url).
 */
export class FieldCipher {
  constructor(private readonly ring: KeyRing) {}

  encrypt(plaintext: string, ctx: CipherContext): string {
    assertContext(ctx);
    const keyId = this.ring.activeKeyId;
    const key = this.ring.subkey(keyId, PURPOSE, ctx.tenantId);
    const iv = randomBytes(CiphertextEnvelope.IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, key, iv, {
      authTagLength: CiphertextEnvelope.TAG_BYTES,
    });
    cipher.setAAD(aad(ctx));
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return new CiphertextEnvelope(keyId, iv, data, cipher.getAuthTag()).toString();
  }

  /**
   * @throws MalformedCiphertextError, UnknownKeyIdError, or DecryptionFailedError when the
   *   value was altered or belongs to another context. Never returns unauthenticated data.
   */
  decrypt(ciphertext: string, ctx: CipherContext): string {
    assertContext(ctx);
    const envelope = CiphertextEnvelope.parse(ciphertext);
    const key = this.ring.subkey(envelope.keyId, PURPOSE, ctx.tenantId);
    const decipher = createDecipheriv(ALGORITHM, key, envelope.iv, {
      authTagLength: CiphertextEnvelope.TAG_BYTES,
    });
    decipher.setAAD(aad(ctx));
    decipher.setAuthTag(envelope.tag);
    let plaintext: Buffer;
    try {
      // final() verifies the tag; nothing from update() is used unless it succeeds.
      plaintext = Buffer.concat([decipher.update(envelope.data), decipher.final()]);
    } catch {
      throw new DecryptionFailedError();
    }
    return plaintext.toString('utf8');
  }

  /** True when the value is not under the active key, i.e. the rotation job should rewrite it. */
  needsRotation(ciphertext: string): boolean {
    return keyIdOf(ciphertext) !== this.ring.activeKeyId;
  }

  /** Decrypts under whichever key it names and encrypts again under the active key. */
  reencrypt(ciphertext: string, ctx: CipherContext): string {
    return this.encrypt(this.decrypt(ciphertext, ctx), ctx);
  }
}

function aad(ctx: CipherContext): Buffer {
  return lengthPrefixed(['v1', ctx.tenantId, ctx.table, ctx.rowId, ctx.column]);
}

/** An empty context part is a caller bug (e.g. a row id not generated yet): refuse to bind to it. */
function assertContext(ctx: CipherContext): void {
  for (const name of ['tenantId', 'table', 'rowId', 'column'] as const) {
    if (typeof ctx[name] !== 'string' || ctx[name].length === 0) {
      throw new TypeError(`CipherContext.${name} must be a non-empty string`);
    }
  }
}
