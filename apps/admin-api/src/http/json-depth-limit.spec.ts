import { jsonDepthExceeds } from './json-depth-limit';

describe('jsonDepthExceeds', () => {
  const nested = (depth: number): unknown => {
    let v: unknown = 1;
    for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
    return v;
  };

  it('counts objects and arrays, not scalars', () => {
    expect(jsonDepthExceeds(nested(32), 32)).toBe(false);
    expect(jsonDepthExceeds(nested(33), 32)).toBe(true);
    expect(jsonDepthExceeds('text', 0)).toBe(false);
    expect(jsonDepthExceeds({ a: 1, b: [1, 2], c: { d: null } }, 2)).toBe(false);
    expect(jsonDepthExceeds({ a: 1, b: [1, 2], c: { d: {} } }, 2)).toBe(true);
  });

  it('measures 100,000 levels without overflowing the stack', () => {
    const deep = JSON.parse('['.repeat(100_000) + ']'.repeat(100_000)) as unknown;
    expect(jsonDepthExceeds(deep, 32)).toBe(true);
  });
});
