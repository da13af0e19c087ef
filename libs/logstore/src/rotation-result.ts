/** What a key rotation pass over the log store's encrypted values did. */
export interface RotationResult {
  /** Encrypted snapshot parts read. */
  scanned: number;
  /** Parts rewritten under the active key. */
  reencrypted: number;
  /** Parts replaced or deleted by the running product between our read and our write. */
  changedMeanwhile: number;
}
