/**
 * Base class of every error thrown by @app/crypto. Callers branch on `code`.
 * Messages never carry plaintext, ciphertext or key material, so they are safe to log.
 */
export abstract class CryptoError extends Error {
  abstract readonly code:
    'DECRYPTION_FAILED' | 'UNKNOWN_KEY_ID' | 'MALFORMED_CIPHERTEXT' | 'INVALID_KEY_RING';

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}
