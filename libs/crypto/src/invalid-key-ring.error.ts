import { CryptoError } from './crypto-error';

/** The key ring configuration is unusable; raised at start-up. */
export class InvalidKeyRingError extends CryptoError {
  readonly code = 'INVALID_KEY_RING';
}
