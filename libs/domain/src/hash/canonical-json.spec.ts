import { canonicalJson } from './canonical-json';

describe('canonicalJson', () => {
  it('sorts keys at every level and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: null } })).toBe(
      '{"a":{"c":null,"d":[2,1]},"b":1}',
    );
  });

  it('gives equal text for equal data built in different key orders', () => {
    expect(canonicalJson({ x: 'a', y: { p: true, q: 'b' } })).toBe(
      canonicalJson({ y: { q: 'b', p: true }, x: 'a' }),
    );
  });

  it('leaves out undefined members and writes undefined as null', () => {
    const withUndefined = { a: 1, b: undefined } as unknown as { a: number };
    expect(canonicalJson(withUndefined)).toBe('{"a":1}');
    expect(canonicalJson(undefined)).toBe('null');
  });

  it('escapes strings as JSON does', () => {
    expect(canonicalJson({ 'k"': 'line\nbreak' })).toBe('{"k\\"":"line\\nbreak"}');
  });
});
