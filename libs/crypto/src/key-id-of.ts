import { CiphertextEnvelope } from './ciphertext-envelope';

/**
 * The key id a value was encrypted under, without decrypting it (for the rotation job).
 * @throws MalformedCiphertextError
 */
export function keyIdOf(ciphertext: string): string {
  return CiphertextEnvelope.parse(ciphertext).keyId;
}
