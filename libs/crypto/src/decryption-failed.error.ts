import { CryptoError } from './crypto-error';

/** The GCM tag did not verify: the value was tampered with or belongs to another tenant/row/column. */
export class DecryptionFailedError extends CryptoError {
  declare readonly code: 'DECRYPTION_FAILED';

  constructor() {
    super(
      'DECRYPTION_FAILED',
      'Decryption failed: the value was modified or does not belong to this tenant, table, row and column',
    );
  }
}
