import { parseSourcePath, resolveSourcePath } from './source-path';

describe('parseSourcePath', () => {
  it('parses names, nesting, indexes and matches', () => {
    expect(parseSourcePath('onPremisesExtensionAttributes.extensionAttribute1')).toEqual({
      ok: true,
      segments: [{ name: 'onPremisesExtensionAttributes' }, { name: 'extensionAttribute1' }],
    });
    expect(parseSourcePath('addresses[0].city')).toEqual({
      ok: true,
      segments: [{ name: 'addresses', selector: { kind: 'index', index: 0 } }, { name: 'city' }],
    });
    expect(parseSourcePath('phones[type=business].number')).toEqual({
      ok: true,
      segments: [
        { name: 'phones', selector: { kind: 'match', key: 'type', value: 'business' } },
        { name: 'number' },
      ],
    });
  });

  it.each([
    [''],
    ['  '],
    ['a..b'],
    ['.a'],
    ['a.'],
    ['a[]'],
    ['a[x]'],
    ['a[=b]'],
    ['a b'],
    ['a[0'],
    ['a]'],
  ])('rejects %j with a message', (path) => {
    const parsed = parseSourcePath(path);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error.length).toBeGreaterThan(0);
  });
});

describe('resolveSourcePath', () => {
  const user = {
    mail: 'a@x.example',
    otherMails: ['b@x.example', null, 'c@x.example'],
    onPremisesExtensionAttributes: { extensionAttribute1: 'CC-100', extensionAttribute2: null },
    phones: [
      { type: 'business', number: '1' },
      { type: 'Mobile', number: '2' },
      { type: 'business', number: '3' },
      { type: 'home', number: null },
    ],
    addresses: [{ city: 'London' }, { city: 'Paris' }],
    emailAddresses: [{ address: 'p@x.example' }, { address: 'q@x.example' }],
    'businessAddress.city': 'Flat column',
    count: 0,
  };

  it('reads properties and nested properties', () => {
    expect(resolveSourcePath(user, 'mail')).toEqual(['a@x.example']);
    expect(resolveSourcePath(user, 'onPremisesExtensionAttributes.extensionAttribute1')).toEqual([
      'CC-100',
    ]);
    expect(resolveSourcePath(user, 'count')).toEqual([0]);
  });

  it('flattens arrays and drops null values', () => {
    expect(resolveSourcePath(user, 'otherMails')).toEqual(['b@x.example', 'c@x.example']);
    expect(resolveSourcePath(user, 'onPremisesExtensionAttributes.extensionAttribute2')).toEqual(
      [],
    );
  });

  it('walks arrays element by element', () => {
    expect(resolveSourcePath(user, 'emailAddresses.address')).toEqual([
      'p@x.example',
      'q@x.example',
    ]);
  });

  it('selects by index and by case-insensitive match', () => {
    expect(resolveSourcePath(user, 'addresses[1].city')).toEqual(['Paris']);
    expect(resolveSourcePath(user, 'addresses[5].city')).toEqual([]);
    expect(resolveSourcePath(user, 'phones[type=business].number')).toEqual(['1', '3']);
    expect(resolveSourcePath(user, 'phones[type=mobile].number')).toEqual(['2']);
    expect(resolveSourcePath(user, 'phones[type=home].number')).toEqual([]);
  });

  it('prefers a flat key equal to the whole path (CSV columns)', () => {
    expect(resolveSourcePath(user, 'businessAddress.city')).toEqual(['Flat column']);
    expect(
      resolveSourcePath({ businessAddress: { city: 'Nested' } }, 'businessAddress.city'),
    ).toEqual(['Nested']);
  });

  it('reaches nothing through missing or non-object values, or with a bad path', () => {
    expect(resolveSourcePath(user, 'missing.deeper')).toEqual([]);
    expect(resolveSourcePath(user, 'mail.length')).toEqual([]);
    expect(resolveSourcePath(user, 'a..b')).toEqual([]);
  });
});
