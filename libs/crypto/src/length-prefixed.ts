/**
 * Unambiguous encoding of a list of strings: each is its UTF-8 bytes preceded by their length
 * as a 4-byte big-endian integer. Unlike a join, ("a.b", "c") and ("a", "b.c") differ.
 */
export function lengthPrefixed(parts: readonly string[]): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const bytes = Buffer.from(part, 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    chunks.push(length, bytes);
  }
  return Buffer.concat(chunks);
}
