/** The image types a contact photo may be: what the bytes are, never a guess from elsewhere. */
export type PhotoContentType = 'image/jpeg' | 'image/png' | 'image/gif';

const SIGNATURES: ReadonlyArray<{ type: PhotoContentType; magic: readonly number[] }> = [
  // JPEG: SOI marker followed by the first marker's 0xFF.
  { type: 'image/jpeg', magic: [0xff, 0xd8, 0xff] },
  // PNG: the 8-byte signature of the PNG specification.
  { type: 'image/png', magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  // GIF: "GIF87a" or "GIF89a"; the common prefix "GIF8" then "7a"/"9a" checked below.
  { type: 'image/gif', magic: [0x47, 0x49, 0x46, 0x38] },
];

/** The content type of a photo from its magic bytes; undefined when it is none of them. */
export function photoContentTypeOf(bytes: Uint8Array): PhotoContentType | undefined {
  for (const { type, magic } of SIGNATURES) {
    if (bytes.length < magic.length || !magic.every((b, i) => bytes[i] === b)) continue;
    if (type === 'image/gif' && bytes[4] !== 0x37 && bytes[4] !== 0x39) continue;
    if (type === 'image/gif' && bytes[5] !== 0x61) continue;
    return type;
  }
  return undefined;
}
