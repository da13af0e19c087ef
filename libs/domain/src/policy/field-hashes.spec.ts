import { SYNCED_CONTACT_FIELDS } from '../contact/contact-fields';
import {
  computeFieldHashes,
  decodeFieldHashes,
  encodeFieldHashes,
  fieldHash,
} from './field-hashes';

describe('field hashes', () => {
  it('hash canonical values: whitespace and category order are not changes', () => {
    expect(fieldHash('displayName', ' Ann  Lee')).toBe(fieldHash('displayName', 'Ann Lee'));
    expect(fieldHash('categories', ['b', 'a'])).toBe(fieldHash('categories', ['A', 'B']));
    expect(fieldHash('jobTitle', '')).toBe(fieldHash('jobTitle', undefined));
    expect(fieldHash('jobTitle', 'Dev')).not.toBe(fieldHash('jobTitle', 'Lead'));
  });

  it('differ between fields holding the same value', () => {
    expect(fieldHash('givenName', 'Lee')).not.toBe(fieldHash('surname', 'Lee'));
  });

  it('cover every synced field', () => {
    const hashes = computeFieldHashes({ givenName: 'Ann', businessPhones: ['+1'] });
    expect(Object.keys(hashes).sort()).toEqual([...SYNCED_CONTACT_FIELDS].sort());
  });

  it('round-trip through the compact encoding, unknown entries included', () => {
    const hashes = computeFieldHashes({ givenName: 'Ann' });
    delete hashes.jobTitle;
    const encoded = encodeFieldHashes(hashes);
    expect(encoded).toMatch(/^fh1:[A-Za-z0-9_.-]+$/);
    expect(encoded.length).toBeLessThan(255); // fits a string extended property comfortably
    expect(decodeFieldHashes(encoded)).toEqual(hashes);
  });

  it('decode anything else as unknown', () => {
    expect(decodeFieldHashes(undefined)).toBeUndefined();
    expect(decodeFieldHashes('fh0:abc')).toBeUndefined();
    expect(decodeFieldHashes('fh1:short')).toBeUndefined();
  });
});
