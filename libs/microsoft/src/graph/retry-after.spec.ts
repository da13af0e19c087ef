import { parseRetryAfter } from './retry-after';

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it.each([
    ['2', 2000],
    ['0', 0],
    ['1.5', 1500],
    [' 3 ', 3000],
    ['Thu, 01 Jan 2026 00:00:10 GMT', 10_000],
    ['Wed, 31 Dec 2025 23:59:00 GMT', 0],
  ])('reads %p as %p ms', (value, ms) => {
    expect(parseRetryAfter(value, 9999, now)).toBe(ms);
  });

  it.each([undefined, null, '', 'soon'])('falls back for %p', (value) => {
    expect(parseRetryAfter(value as string | undefined, 4321, now)).toBe(4321);
  });
});
