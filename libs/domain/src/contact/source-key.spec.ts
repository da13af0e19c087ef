import { isOrgContactRecord, makeSourceKey, sourceKeyNamespaceFor } from './source-key';

describe('makeSourceKey', () => {
  it('lower-cases GUIDs, so the same directory object always gets the same key', () => {
    expect(makeSourceKey('user', '6F1C2A3B-0000-4D5E-8F90-ABCDEF012345')).toBe(
      'user:6f1c2a3b-0000-4d5e-8f90-abcdef012345',
    );
    expect(makeSourceKey('user', ' 6f1c2a3b-0000-4d5e-8f90-abcdef012345 ')).toBe(
      'user:6f1c2a3b-0000-4d5e-8f90-abcdef012345',
    );
  });

  it('keeps lower-case ids and numbers as they are', () => {
    expect(makeSourceKey('manual', 'row-17')).toBe('manual:row-17');
    expect(makeSourceKey('manual', 17)).toBe('manual:17');
  });

  it('hashes case-sensitive ids so ids differing only in case never share a key', () => {
    const a = makeSourceKey('contact', 'AAMkADExAAA=');
    const b = makeSourceKey('contact', 'aamkadexaaa=');
    const c = makeSourceKey('contact', 'AAMkADExAAa=');
    expect(a).toMatch(/^contact:h[0-9a-f]{32}$/);
    expect(new Set([a, b, c]).size).toBe(3);
    expect(makeSourceKey('contact', 'AAMkADExAAA=')).toBe(a);
  });

  it('every key is lower-case and bounded in length', () => {
    for (const id of ['X'.repeat(500), 'x'.repeat(500), 'Mixed Case With Spaces', 'ÄÖÜ']) {
      const key = makeSourceKey('contact', id)!;
      expect(key).toBe(key.toLowerCase());
      expect(key.length).toBeLessThanOrEqual('contact:'.length + 100);
    }
  });

  it('has no key for an empty or non-text id', () => {
    for (const id of ['', '  ', undefined, null, {}, true]) {
      expect(makeSourceKey('user', id)).toBeUndefined();
    }
  });
});

describe('sourceKeyNamespaceFor', () => {
  it('maps each source kind to the kind of object it holds', () => {
    expect(sourceKeyNamespaceFor('directory')).toBe('user');
    expect(sourceKeyNamespaceFor('group')).toBe('user');
    expect(sourceKeyNamespaceFor('org-contact')).toBe('orgcontact');
    expect(sourceKeyNamespaceFor('mailbox-folder')).toBe('contact');
    expect(sourceKeyNamespaceFor('manual')).toBe('manual');
  });

  it('recognises org contacts among group members', () => {
    const orgContact = { '@odata.type': '#microsoft.graph.orgContact', id: 'x' };
    expect(isOrgContactRecord(orgContact)).toBe(true);
    expect(isOrgContactRecord({ '@odata.type': '#microsoft.graph.user' })).toBe(false);
    expect(isOrgContactRecord(undefined)).toBe(false);
    expect(sourceKeyNamespaceFor('group', orgContact)).toBe('orgcontact');
    expect(sourceKeyNamespaceFor('group', { '@odata.type': '#microsoft.graph.user' })).toBe('user');
  });
});
