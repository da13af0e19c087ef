import { parseBirthday } from './parse-birthday';

describe('parseBirthday', () => {
  it.each([
    ['1980-05-01', '1980-05-01'],
    ['1980-05-01T00:00:00Z', '1980-05-01'],
    ['1980-05-01T23:30:00-08:00', '1980-05-01'],
    [' 2000-02-29 ', '2000-02-29'],
  ])('%j → %s', (value, expected) => {
    expect(parseBirthday(value)).toBe(expected);
  });

  it.each([['1999-02-29'], ['1980-13-01'], ['1980-5-1'], ['01/05/1980'], ['tomorrow'], ['']])(
    'rejects %j',
    (value) => {
      expect(parseBirthday(value)).toBeUndefined();
    },
  );
});
