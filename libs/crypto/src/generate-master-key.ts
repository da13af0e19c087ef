import { randomBytes } from 'node:crypto';

/** A new 32-byte master key, base64-encoded as ENCRYPTION_KEYS and the key file expect. */
export function generateMasterKey(): string {
  return randomBytes(32).toString('base64');
}
