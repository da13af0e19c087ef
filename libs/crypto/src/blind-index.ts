import { createHmac } from 'node:crypto';
import type { KeyRing } from './key-ring';

const PURPOSE = 'blind-index';

/**
 * Deterministic keyed hash of a value, stored beside its ciphertext so encrypted fields can be
 * unique or looked up by equality without decrypting.
 *
 * HMAC-SHA256 under a per-tenant HKDF subkey (purpose 'blind-index') of the ring's
 * blindIndexKeyId — not the active key, so indexes survive key rotation (see KeyRing). Equal
 * values match within a tenant and never across tenants. Callers normalise first (trim,
 * lower-case e-mail, E.164 phone): the hash is exact. Output is 64 lower-case hex characters,
 * which is safe under SQL Server's case-insensitive collations, unlike base64.
 */
export class BlindIndex {
  constructor(private readonly ring: KeyRing) {}

  compute(tenantId: string, normalisedValue: string): string {
    if (typeof tenantId !== 'string' || tenantId.length === 0) {
      throw new TypeError('tenantId must be a non-empty string');
    }
    const key = this.ring.subkey(this.ring.blindIndexKeyId, PURPOSE, tenantId);
    return createHmac('sha256', key).update(normalisedValue, 'utf8').digest('hex');
  }
}
