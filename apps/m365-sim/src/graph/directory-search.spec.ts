import { parseDirectorySearch, tokens } from './directory-search';

const names: Record<string, string> = {
  displayname: 'displayName',
  mail: 'mail',
  userprincipalname: 'userPrincipalName',
};
const prop = (n: string) => names[n.toLowerCase()];
const adele = {
  displayName: 'Adele Vance',
  mail: 'AdeleV@contoso.com',
  userPrincipalName: 'adelev@contoso.com',
};
const megan = {
  displayName: 'MeganBowen2',
  mail: 'meganb@contoso.com',
  userPrincipalName: 'meganb@contoso.com',
};

describe('$search on users (tokenized displayName, startswith elsewhere)', () => {
  it('splits display names on spaces, case changes and digits', () => {
    expect(tokens('Adele Vance')).toEqual(['adele', 'vance']);
    expect(tokens('MeganBowen2')).toEqual(['megan', 'bowen', '2']);
    expect(tokens('HR-Team')).toEqual(['hr', 'team']);
  });

  it('matches the start of a display name token, ignoring case, not its middle', () => {
    const search = (s: string) =>
      [adele, megan].filter(parseDirectorySearch(s, prop)).map((u) => u.displayName);
    expect(search('"displayName:van"')).toEqual(['Adele Vance']);
    expect(search('"displayName:BOW"')).toEqual(['MeganBowen2']);
    expect(search('"displayName:ance"')).toEqual([]);
    expect(search('"displayName:adele va"')).toEqual(['Adele Vance']);
  });

  it('matches other properties from their start, and joins clauses with OR and AND', () => {
    const search = (s: string) =>
      [adele, megan].filter(parseDirectorySearch(s, prop)).map((u) => u.displayName);
    expect(search('"mail:megan"')).toEqual(['MeganBowen2']);
    expect(search('"mail:contoso"')).toEqual([]);
    expect(search('"displayName:vance" OR "mail:megan"')).toEqual(['Adele Vance', 'MeganBowen2']);
    expect(search('"displayName:vance" AND "mail:megan"')).toEqual([]);
  });

  it('answers 400 for a clause without quotes or property, or an unknown property', () => {
    for (const bad of ['displayName:adele', '"adele"', '"displayName:a" OR', '"nope:x"'])
      expect(() => parseDirectorySearch(bad, prop)).toThrow(
        expect.objectContaining({ status: 400, code: 'Request_UnsupportedQuery' }),
      );
  });
});
