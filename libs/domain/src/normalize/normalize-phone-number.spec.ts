import { DomainValidationError } from '../errors/domain-validation-error';
import { normalizePhoneNumber, parseDefaultPhoneRegion } from './normalize-phone-number';
import type { PhoneRegion } from './phone-region';

describe('normalizePhoneNumber', () => {
  // [written, regions, expected E.164] — national formats of at least 10 countries.
  const valid: [string, PhoneRegion[], string][] = [
    ['+44 20 7946 0958', ['US'], '+442079460958'],
    ['(425) 555-0100', ['US'], '+14255550100'],
    ['425-555-0100', ['US'], '+14255550100'],
    ['+1.425.555.0100', ['US'], '+14255550100'],
    ['020 7946 0958', ['GB'], '+442079460958'],
    ['+44 (0)20 7946 0123', ['US'], '+442079460123'],
    ['0044 20 7946 0958', ['GB'], '+442079460958'],
    ['030 123456-78', ['DE'], '+493012345678'],
    ['+49 (0)30 123456-78', ['US'], '+493012345678'],
    ['01 23 45 67 89', ['FR'], '+33123456789'],
    ['01.23.45.67.89', ['FR'], '+33123456789'],
    ['(02) 1234 5678', ['AU'], '+61212345678'],
    ['0412 345 678', ['AU'], '+61412345678'],
    ['(416) 555-0199', ['CA'], '+14165550199'],
    ['03-1234-5678', ['JP'], '+81312345678'],
    ['06 12 34 56 78', ['NL'], '+31612345678'],
    ['91 123 45 67', ['ES'], '+34911234567'],
    ['02 1234 5678', ['IT'], '+390212345678'],
    ['(11) 91234-5678', ['BR'], '+5511912345678'],
    ['044 668 18 00', ['CH'], '+41446681800'],
    ['098765 43210', ['IN'], '+919876543210'],
    ['011 44 20 7946 0958', ['US'], '+442079460958'],
    ['tel:+1-425-555-0100', ['GB'], '+14255550100'],
    ['\u00a0+1 206 555 0100\t', ['US'], '+12065550100'],
  ];
  it.each(valid)('%s in %j → %s', (written, regions, expected) => {
    expect(normalizePhoneNumber(written, regions)).toEqual({ ok: true, value: expected });
  });

  it('accepts a 00 international prefix whatever the region', () => {
    expect(normalizePhoneNumber('0044 20 7946 0958', ['US'])).toEqual({
      ok: true,
      value: '+442079460958',
    });
    expect(normalizePhoneNumber('0049-151-12345678', ['US'])).toEqual({
      ok: true,
      value: '+4915112345678',
    });
  });

  it('keeps the extension as ;ext=', () => {
    expect(normalizePhoneNumber('(425) 555-0100 ext. 12', ['US'])).toEqual({
      ok: true,
      value: '+14255550100;ext=12',
    });
    expect(normalizePhoneNumber('(425) 555-0123 x123', ['US'])).toEqual({
      ok: true,
      value: '+14255550123;ext=123',
    });
    expect(normalizePhoneNumber('+44 20 7946 0958 ext 5', ['US'])).toEqual({
      ok: true,
      value: '+442079460958;ext=5',
    });
  });

  it('is idempotent: its output normalises to itself in any region', () => {
    for (const [written, regions] of valid) {
      const once = normalizePhoneNumber(written, regions);
      for (const region of ['US', 'GB', 'DE', 'JP'] as PhoneRegion[]) {
        expect(normalizePhoneNumber(once!.value, [region])).toEqual(once);
      }
    }
    const ext = normalizePhoneNumber('(425) 555-0100 ext. 12', ['US'])!.value;
    expect(normalizePhoneNumber(ext, ['FR'])).toEqual({ ok: true, value: ext });
  });

  it('tries the regions in order and prefers a valid reading over a merely possible one', () => {
    // A UK user (hint GB) with a US number written without +1: valid only as US.
    expect(normalizePhoneNumber('(425) 555-0100', ['GB', 'US'])).toEqual({
      ok: true,
      value: '+14255550100',
    });
    // The record's own region wins when the number is valid there.
    expect(normalizePhoneNumber('020 7946 0958', ['GB', 'US'])).toEqual({
      ok: true,
      value: '+442079460958',
    });
  });

  it('accepts numbers of a possible length in ranges the metadata calls invalid (UK drama numbers)', () => {
    expect(normalizePhoneNumber('07700 900123', ['GB'])).toEqual({
      ok: true,
      value: '+447700900123',
    });
    expect(normalizePhoneNumber('+44 7700 900123', ['US'])).toEqual({
      ok: true,
      value: '+447700900123',
    });
  });

  const invalid: [string, PhoneRegion[]][] = [
    ['555-0100 ext. 12', ['US']], // no area code: cannot be made E.164
    ['12', ['US']],
    ['n/a', ['US']],
    ['call reception', ['GB']],
    ['425-555-0100 / 425-555-0101', ['US']], // two numbers in one value
    ['+1 800 FLOWERS', ['US']],
    ['020 7946 0958', ['US']], // a UK national number read in the US
  ];
  it.each(invalid)('%s in %j is kept as written and flagged', (written, regions) => {
    expect(normalizePhoneNumber(written, regions)).toEqual({ ok: false, value: written.trim() });
  });

  it('collapses whitespace in a number kept as written', () => {
    expect(normalizePhoneNumber('  ask   the\u00a0desk ', ['US'])).toEqual({
      ok: false,
      value: 'ask the desk',
    });
  });

  it('returns undefined for an empty value', () => {
    expect(normalizePhoneNumber('', ['US'])).toBeUndefined();
    expect(normalizePhoneNumber('  \t ', ['US'])).toBeUndefined();
  });
});

describe('parseDefaultPhoneRegion', () => {
  it('accepts ISO codes in any case', () => {
    expect(parseDefaultPhoneRegion('gb')).toBe('GB');
    expect(parseDefaultPhoneRegion(' US ')).toBe('US');
  });

  it.each([['XX'], ['United Kingdom'], [''], [42], [undefined]])(
    'rejects %j with INVALID_PHONE_REGION',
    (value) => {
      try {
        parseDefaultPhoneRegion(value, 'lists[0].defaultRegion');
        throw new Error('expected a throw');
      } catch (error) {
        expect(error).toBeInstanceOf(DomainValidationError);
        expect((error as DomainValidationError).code).toBe('INVALID_PHONE_REGION');
        expect((error as DomainValidationError).problems[0]!.field).toBe('lists[0].defaultRegion');
      }
    },
  );
});
