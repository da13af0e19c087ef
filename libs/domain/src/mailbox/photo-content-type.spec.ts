import { photoContentTypeOf } from './photo-content-type';

const bytes = (...b: number[]) => Uint8Array.from(b);

describe('photoContentTypeOf', () => {
  it('knows JPEG, PNG and GIF by their magic bytes', () => {
    expect(photoContentTypeOf(bytes(0xff, 0xd8, 0xff, 0xe0, 0, 0x10))).toBe('image/jpeg');
    expect(photoContentTypeOf(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0))).toBe(
      'image/png',
    );
    expect(photoContentTypeOf(Buffer.from('GIF89a\x01\x00'))).toBe('image/gif');
    expect(photoContentTypeOf(Buffer.from('GIF87a\x01\x00'))).toBe('image/gif');
  });

  it('answers undefined for anything else, and for a truncated signature', () => {
    expect(photoContentTypeOf(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBe(
      undefined,
    );
    expect(photoContentTypeOf(Buffer.from('GIF88a'))).toBe(undefined);
    expect(photoContentTypeOf(bytes(0x89, 0x50, 0x4e, 0x47))).toBe(undefined);
    expect(photoContentTypeOf(bytes(0xff, 0xd8))).toBe(undefined);
    expect(photoContentTypeOf(bytes())).toBe(undefined);
  });
});
