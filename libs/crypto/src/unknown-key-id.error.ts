import { CryptoError } from './crypto-error';

/** The ciphertext names a key id that is not (or no longer) in the key ring. */
export class UnknownKeyIdError extends CryptoError {
  declare readonly code: 'UNKNOWN_KEY_ID';

  constructor(readonly keyId: string) {
    super(
      'UNKNOWN_KEY_ID',
      `Unknown encryption key id "${keyId}": add it back to ENCRYPTION_KEYS to read this value`,
    );
  }
}
