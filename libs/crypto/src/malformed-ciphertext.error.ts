import { CryptoError } from './crypto-error';

/** The text is not a well-formed envelope (format, version, IV or tag length). */
export class MalformedCiphertextError extends CryptoError {
  declare readonly code: 'MALFORMED_CIPHERTEXT';

  constructor(reason: string) {
    super('MALFORMED_CIPHERTEXT', `Malformed ciphertext: ${reason}`);
  }
}
