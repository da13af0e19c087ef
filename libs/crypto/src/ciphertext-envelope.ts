import { MalformedCiphertextError } from './malformed-ciphertext.error';

const VERSION = 'v1';
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

/**
 * Text format of an encrypted value:
 *
 *   v1.<keyId>.<iv>.<ciphertext>.<tag>
 *
 * iv (12 bytes), ciphertext (same length as the UTF-8 plaintext, may be empty) and tag
 * (16 bytes) are unpadded base64url. Neither key ids nor base64url contain ".", so splitting
 * is unambiguous. The version lets the format change later; the key id picks the master key.
 */
export class CiphertextEnvelope {
  static readonly IV_BYTES = 12;
  static readonly TAG_BYTES = 16;

  constructor(
    readonly keyId: string,
    readonly iv: Buffer,
    readonly data: Buffer,
    readonly tag: Buffer,
  ) {}

  static parse(text: string): CiphertextEnvelope {
    if (typeof text !== 'string') throw new MalformedCiphertextError('not a string');
    const parts = text.split('.');
    if (parts.length !== 5) throw new MalformedCiphertextError('expected 5 dot-separated parts');
    const [version, keyId, iv, data, tag] = parts;
    if (version !== VERSION) throw new MalformedCiphertextError('unsupported version');
    if (!KEY_ID.test(keyId)) throw new MalformedCiphertextError('invalid key id');
    const envelope = new CiphertextEnvelope(
      keyId,
      decode(iv, 'iv'),
      decode(data, 'ciphertext'),
      decode(tag, 'tag'),
    );
    if (envelope.iv.length !== CiphertextEnvelope.IV_BYTES) {
      throw new MalformedCiphertextError(`IV must be ${CiphertextEnvelope.IV_BYTES} bytes`);
    }
    // Checked here as well as by authTagLength: a truncated tag must never reach the decipher.
    if (envelope.tag.length !== CiphertextEnvelope.TAG_BYTES) {
      throw new MalformedCiphertextError(`tag must be ${CiphertextEnvelope.TAG_BYTES} bytes`);
    }
    return envelope;
  }

  toString(): string {
    const encoded = [this.iv, this.data, this.tag].map((bytes) => bytes.toString('base64url'));
    return [VERSION, this.keyId, ...encoded].join('.');
  }
}

/** Strict base64url: Node's decoder skips junk characters and ignores trailing bits, so check the round trip. */
function decode(segment: string, name: string): Buffer {
  const bytes = Buffer.from(segment, 'base64url');
  if (!BASE64URL.test(segment) || bytes.toString('base64url') !== segment) {
    throw new MalformedCiphertextError(`${name} is not canonical base64url`);
  }
  return bytes;
}
