import { FieldCipher, KeyRing } from '@app/crypto';
import { randomBytes } from 'node:crypto';

/** A cipher under a throwaway key, for tests. */
export function testCipher(): FieldCipher {
  return new FieldCipher(
    new KeyRing({ activeKeyId: 'test', keys: [{ id: 'test', material: randomBytes(32) }] }),
  );
}
