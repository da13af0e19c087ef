import { CodedError } from '@app/domain';

/**
 * Base class of every error thrown by @app/crypto. Callers branch on `code`.
 * Messages never carry plaintext, ciphertext or key material, so they are safe to log.
 */
export abstract class CryptoError extends CodedError {
  declare readonly code:
    'DECRYPTION_FAILED' | 'UNKNOWN_KEY_ID' | 'MALFORMED_CIPHERTEXT' | 'INVALID_KEY_RING';

  constructor(code: CryptoError['code'], message: string) {
    super(code, message);
  }
}
