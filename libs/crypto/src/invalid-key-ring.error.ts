import { CryptoError } from './crypto-error';

/** The key ring configuration is unusable; raised at start-up. */
export class InvalidKeyRingError extends CryptoError {
  declare readonly code: 'INVALID_KEY_RING';

  constructor(message: string) {
    super('INVALID_KEY_RING', message);
  }
}
