import { normalizeEmailValue } from './normalize-email';

describe('normalizeEmailValue', () => {
  it('lower-cases and trims a plain address', () => {
    expect(normalizeEmailValue('  Jane.Doe@Contoso.COM ')).toEqual({
      kind: 'ok',
      email: { address: 'jane.doe@contoso.com' },
    });
  });

  it('reads "Name <address>" and keeps the name', () => {
    expect(normalizeEmailValue('"Doe, Jane" <JANE@contoso.com>')).toEqual({
      kind: 'ok',
      email: { address: 'jane@contoso.com', name: 'Doe, Jane' },
    });
  });

  it('reads Graph emailAddress objects', () => {
    expect(normalizeEmailValue({ address: 'A@B.example', name: '  Ann  B ' })).toEqual({
      kind: 'ok',
      email: { address: 'a@b.example', name: 'Ann B' },
    });
    expect(normalizeEmailValue({ address: 'a@b.example', name: '' })).toEqual({
      kind: 'ok',
      email: { address: 'a@b.example' },
    });
  });

  it('strips SMTP: and mailto: prefixes, skips other proxy address types', () => {
    expect(normalizeEmailValue('SMTP:Jane@contoso.com')).toEqual({
      kind: 'ok',
      email: { address: 'jane@contoso.com' },
    });
    expect(normalizeEmailValue('smtp:alias@contoso.com')).toEqual({
      kind: 'ok',
      email: { address: 'alias@contoso.com' },
    });
    expect(normalizeEmailValue('mailto:x@y.example')).toEqual({
      kind: 'ok',
      email: { address: 'x@y.example' },
    });
    expect(normalizeEmailValue('X500:/o=ExchangeLabs/ou=Exchange')).toEqual({ kind: 'not-mail' });
    expect(normalizeEmailValue('SIP:jane@contoso.com')).toEqual({ kind: 'not-mail' });
  });

  it.each([
    ['n/a'],
    ['jane@'],
    ['@contoso.com'],
    ['jane@localhost'],
    ['jane doe@contoso.com'],
    ['a@b..c'],
  ])('flags %j as invalid, keeping it as written', (value) => {
    expect(normalizeEmailValue(value)).toEqual({ kind: 'invalid', value });
  });

  it.each([[''], ['   '], [undefined], [null], [42], [{ name: 'x' }]])(
    'returns undefined for %j',
    (value) => {
      expect(normalizeEmailValue(value)).toBeUndefined();
    },
  );
});
