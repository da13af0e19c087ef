import {
  canonicalCategories,
  canonicalFieldValue,
  fieldValuesEqual,
  isEmptyFieldValue,
} from './canonical-field-value';

describe('canonicalFieldValue', () => {
  it('cleans text and treats blank as empty', () => {
    expect(canonicalFieldValue('givenName', '  Ann \t Lee ')).toBe('Ann Lee');
    expect(canonicalFieldValue('givenName', '   ')).toBeUndefined();
    expect(canonicalFieldValue('givenName', 42)).toBeUndefined();
    expect(isEmptyFieldValue('jobTitle', null)).toBe(true);
  });

  it('keeps the order of phones and e-mails (slots), but not of categories', () => {
    expect(canonicalFieldValue('businessPhones', [' +2 ', '+1', ''])).toEqual(['+2', '+1']);
    expect(canonicalFieldValue('businessPhones', [])).toBeUndefined();
    expect(canonicalFieldValue('categories', ['b', 'A', ' a ', 'C'])).toEqual(['a', 'b', 'c']);
  });

  it('lower-cases e-mail addresses and drops entries without address', () => {
    expect(
      canonicalFieldValue('emailAddresses', [
        { address: ' A@X.example ', name: ' Ann ' },
        { name: 'x' },
        { address: 'b@x.example', name: '' },
      ]),
    ).toEqual([{ address: 'a@x.example', name: 'Ann' }, { address: 'b@x.example' }]);
  });

  it('drops empty address parts and all-empty addresses', () => {
    expect(
      canonicalFieldValue('businessAddress', { city: ' London ', street: '', state: null }),
    ).toEqual({ city: 'London' });
    expect(canonicalFieldValue('businessAddress', { city: ' ' })).toBeUndefined();
    expect(canonicalFieldValue('businessAddress', 'London')).toBeUndefined();
  });

  it('normalises notes line endings', () => {
    expect(canonicalFieldValue('personalNotes', 'a  \r\nb\r\n')).toBe('a\nb');
  });
});

describe('fieldValuesEqual', () => {
  it('ignores whitespace, e-mail case, category order and empty-vs-missing', () => {
    expect(fieldValuesEqual('displayName', 'Ann  Lee', ' Ann Lee')).toBe(true);
    expect(
      fieldValuesEqual(
        'emailAddresses',
        [{ address: 'A@x.example' }],
        [{ address: 'a@x.example' }],
      ),
    ).toBe(true);
    expect(fieldValuesEqual('categories', ['b', 'a'], ['A', 'B'])).toBe(true);
    expect(fieldValuesEqual('businessPhones', [], undefined)).toBe(true);
    expect(fieldValuesEqual('jobTitle', '', undefined)).toBe(true);
  });

  it('sees real differences', () => {
    expect(fieldValuesEqual('businessPhones', ['+1', '+2'], ['+2', '+1'])).toBe(false);
    expect(fieldValuesEqual('displayName', 'Ann', 'ann')).toBe(false);
    expect(
      fieldValuesEqual(
        'emailAddresses',
        [{ address: 'a@x.example', name: 'A' }],
        [{ address: 'a@x.example' }],
      ),
    ).toBe(false);
  });
});

describe('canonicalCategories', () => {
  it('is independent of input order and keeps one spelling per name', () => {
    const a = canonicalCategories(['Work', 'work', 'Blue', ' ']);
    const b = canonicalCategories(['work', 'Blue', 'Work']);
    expect(a).toEqual(b);
    expect(a).toEqual(['Blue', 'Work']);
  });
});
