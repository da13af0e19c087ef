import { resolvePhoneRegion } from './phone-region';

describe('resolvePhoneRegion', () => {
  it.each([
    ['GB', 'GB'],
    ['gb', 'GB'],
    [' de ', 'DE'],
    ['United Kingdom', 'GB'],
    ['united states', 'US'],
    ['Germany', 'DE'],
    ['France', 'FR'],
    ['Australia', 'AU'],
    ['Canada', 'CA'],
    ['  United   Kingdom ', 'GB'],
    ['USA', 'US'],
    ['UK', 'GB'],
    ['England', 'GB'],
    ['Deutschland', 'DE'],
  ])('%j → %s', (value, code) => {
    expect(resolvePhoneRegion(value)).toBe(code);
  });

  it.each([['XX'], ['Atlantis'], [''], [undefined], [null], [44], [['GB']]])(
    '%j → undefined',
    (value) => {
      expect(resolvePhoneRegion(value)).toBeUndefined();
    },
  );
});
