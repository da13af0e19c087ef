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

  // [region, national format, international format, E.164] — a fixed line and a mobile for
  // each of 15 countries. The expected values are written by hand from the numbering plans.
  const countries: [PhoneRegion, string, string, string][] = [
    ['US', '(212) 555-0175', '+1 212 555 0175', '+12125550175'],
    ['CA', '(416) 555-0199', '+1 416-555-0199', '+14165550199'],
    ['GB', '020 7946 0958', '+44 20 7946 0958', '+442079460958'],
    ['GB', '0161 496 0000', '+44 161 496 0000', '+441614960000'],
    ['DE', '030 12345678', '+49 30 12345678', '+493012345678'],
    ['DE', '0151 23456789', '+49 151 23456789', '+4915123456789'],
    ['FR', '01 23 45 67 89', '+33 1 23 45 67 89', '+33123456789'],
    ['FR', '06 12 34 56 78', '+33 6 12 34 56 78', '+33612345678'],
    ['NL', '020 123 4567', '+31 20 123 4567', '+31201234567'],
    ['NL', '06-12345678', '+31 6 12345678', '+31612345678'],
    ['ES', '912 34 56 78', '+34 912 34 56 78', '+34912345678'],
    ['ES', '612 34 56 78', '+34 612 34 56 78', '+34612345678'],
    ['IT', '02 1234 5678', '+39 02 1234 5678', '+390212345678'], // Italy keeps the 0
    ['IT', '312 345 6789', '+39 312 345 6789', '+393123456789'],
    ['AU', '(02) 9876 5432', '+61 2 9876 5432', '+61298765432'],
    ['AU', '0412 345 678', '+61 412 345 678', '+61412345678'],
    ['JP', '03-1234-5678', '+81 3-1234-5678', '+81312345678'],
    ['JP', '090-1234-5678', '+81 90-1234-5678', '+819012345678'],
    ['IN', '011 2345 6789', '+91 11 2345 6789', '+911123456789'],
    ['IN', '098765 43210', '+91 98765 43210', '+919876543210'],
    ['BR', '(11) 3456-7890', '+55 11 3456-7890', '+551134567890'],
    ['BR', '(11) 91234-5678', '+55 11 91234-5678', '+5511912345678'],
    ['CH', '044 668 18 00', '+41 44 668 18 00', '+41446681800'],
    ['CH', '078 123 45 67', '+41 78 123 45 67', '+41781234567'],
    ['SE', '08-123 456 78', '+46 8 123 456 78', '+46812345678'],
    ['SE', '070-123 45 67', '+46 70 123 45 67', '+46701234567'],
    ['BE', '02 555 12 34', '+32 2 555 12 34', '+3225551234'],
    ['IE', '01 234 5678', '+353 1 234 5678', '+35312345678'],
  ];
  describe.each(countries)('%s: %s / %s', (region, national, international, expected) => {
    const ok = { ok: true, value: expected };
    it('reads the national format in its own region, also after another region', () => {
      expect(normalizePhoneNumber(national, [region])).toEqual(ok);
      const other: PhoneRegion = region === 'US' || region === 'CA' ? 'GB' : 'US';
      expect(normalizePhoneNumber(national, [region, other])).toEqual(ok);
    });
    it('reads the international format (+ and 00) in any region', () => {
      const zeroZero = international.replace(/^\+/, '00');
      for (const hint of [region, 'US', 'GB', 'JP'] as PhoneRegion[]) {
        expect(normalizePhoneNumber(international, [hint])).toEqual(ok);
        expect(normalizePhoneNumber(zeroZero, [hint])).toEqual(ok);
      }
      expect(normalizePhoneNumber(international, [])).toEqual(ok);
      expect(normalizePhoneNumber(zeroZero.replace(/ /g, ''), [region])).toEqual(ok);
    });
  });

  it('covers national and international formats of at least 10 countries', () => {
    expect(new Set(countries.map(([region]) => region)).size).toBeGreaterThanOrEqual(10);
  });

  // Extensions in the styles of several countries, national and international (+ and 00).
  const extensions: [string, PhoneRegion[], string][] = [
    ['(212) 555-0175 ext. 42', ['US'], '+12125550175;ext=42'],
    ['212-555-0175 x42', ['US'], '+12125550175;ext=42'],
    ['+1 212 555 0175 #42', ['GB'], '+12125550175;ext=42'],
    ['tel:+1-212-555-0175;ext=42', ['DE'], '+12125550175;ext=42'],
    ['020 7946 0958 ext 7', ['GB'], '+442079460958;ext=7'],
    ['0044 20 7946 0958 ext. 7', ['US'], '+442079460958;ext=7'],
    ['030 12345678 ext. 99', ['DE'], '+493012345678;ext=99'],
    ['020 123 4567 x 12', ['NL'], '+31201234567;ext=12'],
    ['08-123 456 78 ext 5', ['SE'], '+46812345678;ext=5'],
    ['0041 44 668 18 00 ext. 12', ['CH'], '+41446681800;ext=12'],
    ['(02) 9876 5432 extn 3', ['AU'], '+61298765432;ext=3'],
  ];
  it.each(extensions)('%s in %j → %s (extension kept)', (written, regions, expected) => {
    expect(normalizePhoneNumber(written, regions)).toEqual({ ok: true, value: expected });
    // The stored form re-parses to itself.
    expect(normalizePhoneNumber(expected, ['JP'])).toEqual({ ok: true, value: expected });
  });

  it('accepts a 00 international prefix whatever the region', () => {
    expect(normalizePhoneNumber('0044 20 7946 0958', ['US'])).toEqual({
      ok: true,
      value: '+442079460958',
    });
    // Japan (010) and Korea (001): "0044 7700 900123" is also a national number of a possible
    // length there; with no valid reading, the international one wins (was +8100447700900123).
    for (const region of ['JP', 'KR'] as PhoneRegion[]) {
      expect(normalizePhoneNumber('0044 7700 900123', [region])).toEqual({
        ok: true,
        value: '+447700900123',
      });
    }
    expect(normalizePhoneNumber('0032 2 123 45 67', ['JP'])).toEqual({
      ok: true,
      value: '+3221234567',
    });
    // A valid national reading still wins (a Japanese toll-free number).
    expect(normalizePhoneNumber('0037 1234 5678', ['JP'])).toEqual({
      ok: true,
      value: '+81003712345678',
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
