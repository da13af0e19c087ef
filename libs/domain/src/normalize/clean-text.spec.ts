import { cleanNotes, cleanText } from './clean-text';

describe('cleanText', () => {
  it('trims and collapses inner whitespace of every kind', () => {
    expect(cleanText('  Jean \t  Luc\u00a0\u00a0Picard\n')).toBe('Jean Luc Picard');
  });

  it('removes control characters and composes to NFC', () => {
    expect(cleanText('Zo\u0065\u0308\u0007')).toBe('Zoë');
    expect(cleanText('Zo\u0065\u0308')).toBe('Zo\u00eb');
  });

  it('gives undefined for blank text', () => {
    expect(cleanText('')).toBeUndefined();
    expect(cleanText(' \n\t\u00a0')).toBeUndefined();
  });
});

describe('cleanNotes', () => {
  it('keeps line structure, normalises line endings and trailing spaces', () => {
    expect(cleanNotes('\r\n  first  \r\nsecond\t\r\rthird\n\n')).toBe('  first\nsecond\n\nthird');
  });

  it('gives undefined for blank notes', () => {
    expect(cleanNotes('\n \r\n\t')).toBeUndefined();
  });
});
