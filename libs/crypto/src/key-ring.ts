import { createSecretKey, hkdfSync, KeyObject } from 'node:crypto';
import { InvalidKeyRingError } from './invalid-key-ring.error';
import type { KeyRingConfig } from './key-ring-config';
import { lengthPrefixed } from './length-prefixed';
import { UnknownKeyIdError } from './unknown-key-id.error';

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
const KEY_BYTES = 32;
/** Enough for every active tenant x purpose x key during a rotation, small enough to not matter. */
const MAX_CACHED_SUBKEYS = 4096;

/**
 * The master keys from config, and the per-tenant subkeys derived from them.
 *
 * Master keys never encrypt data directly: each (key, purpose, tenant) gets its own subkey via
 * HKDF-SHA256, so random 96-bit IVs stay far below the GCM birthday bound per key, and one
 * tenant's key says nothing about another's. Key material is held only as KeyObjects, so it
 * does not show up in logs, inspection or JSON.
 *
 * Blind index key: a blind index must not change when the active key rotates, or every stored
 * index would silently stop matching. So it is derived from a fixed key, `blindIndexKeyId`,
 * which defaults to the first key listed — the key the deployment started with, since rotation
 * appends new keys. Keep that key in ENCRYPTION_KEYS after rotation (it then only feeds the
 * blind index), or set blindIndexKeyId explicitly; changing it means recomputing every index.
 */
export class KeyRing {
  readonly activeKeyId: string;
  readonly blindIndexKeyId: string;
  private readonly masters = new Map<string, KeyObject>();
  private readonly subkeys = new Map<string, KeyObject>();

  constructor(config: KeyRingConfig) {
    if (config.keys.length === 0) throw new InvalidKeyRingError('at least one key is required');
    for (const { id, material } of config.keys) {
      if (!KEY_ID.test(id)) {
        throw new InvalidKeyRingError(
          `key id ${JSON.stringify(id)} must be 1-32 characters of A-Z, a-z, 0-9, "_" or "-"`,
        );
      }
      if (this.masters.has(id)) throw new InvalidKeyRingError(`key id "${id}" is listed twice`);
      if (!Buffer.isBuffer(material) || material.length !== KEY_BYTES) {
        throw new InvalidKeyRingError(`key "${id}" must be exactly ${KEY_BYTES} bytes`);
      }
      this.masters.set(id, createSecretKey(material));
    }
    if (!this.masters.has(config.activeKeyId)) {
      throw new InvalidKeyRingError(`active key "${config.activeKeyId}" is not in the key ring`);
    }
    const blindIndexKeyId = config.blindIndexKeyId ?? config.keys[0].id;
    if (!this.masters.has(blindIndexKeyId)) {
      throw new InvalidKeyRingError(`blind index key "${blindIndexKeyId}" is not in the key ring`);
    }
    this.activeKeyId = config.activeKeyId;
    this.blindIndexKeyId = blindIndexKeyId;
  }

  get keyIds(): readonly string[] {
    return [...this.masters.keys()];
  }

  has(keyId: string): boolean {
    return this.masters.has(keyId);
  }

  /**
   * The 32-byte subkey for (key, purpose, tenant), cached so HKDF does not run per value.
   * @throws UnknownKeyIdError when keyId is not in the ring.
   */
  subkey(keyId: string, purpose: string, tenantId: string): KeyObject {
    const cacheKey = lengthPrefixed([keyId, purpose, tenantId]).toString('base64');
    const cached = this.subkeys.get(cacheKey);
    if (cached) {
      // Re-insert so Map order tracks recency and eviction drops the least recently used.
      this.subkeys.delete(cacheKey);
      this.subkeys.set(cacheKey, cached);
      return cached;
    }
    const master = this.masters.get(keyId);
    if (!master) throw new UnknownKeyIdError(keyId);
    const info = lengthPrefixed(['contact-sync-fleet', purpose, tenantId]);
    const subkey = createSecretKey(
      Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), info, KEY_BYTES)),
    );
    this.subkeys.set(cacheKey, subkey);
    if (this.subkeys.size > MAX_CACHED_SUBKEYS) {
      this.subkeys.delete(this.subkeys.keys().next().value as string);
    }
    return subkey;
  }
}
