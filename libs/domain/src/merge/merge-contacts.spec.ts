import type { Contact } from '../contact/contact';
import { contactContentHash } from '../hash/contact-content-hash';
import { contact } from '../testing/contact-fixtures';
import { permutations, SeededRandom } from '../testing/seeded-random';
import { mergeContacts } from './merge-contacts';

const priority = { sourcePriority: ['dir', 'csv', 'mbx'] };

describe('mergeContacts', () => {
  it('merges by source key: a user met through the directory and a group is one contact', () => {
    const merged = mergeContacts(
      [
        contact({
          sourceKey: 'user:1',
          sourceKind: 'group',
          sourceIds: ['grp'],
          givenName: 'Ann',
          jobTitle: 'Dev',
        }),
        contact({
          sourceKey: 'user:1',
          sourceKind: 'directory',
          sourceIds: ['dir'],
          givenName: 'Ann',
          department: 'R&D',
        }),
      ],
      { sourcePriority: ['dir', 'grp'] },
    );
    expect(merged).toHaveLength(1);
    expect(merged[0]).toMatchObject({
      sourceKey: 'user:1',
      sourceKind: 'directory',
      sourceIds: ['dir', 'grp'],
      mergedKeys: ['user:1'],
      jobTitle: 'Dev',
      department: 'R&D',
    });
  });

  it('then by lower-cased e-mail, across sources, with the higher priority winning each field', () => {
    const [merged, ...rest] = mergeContacts(
      [
        contact({
          sourceKey: 'manual:9',
          sourceIds: ['csv'],
          givenName: 'Annie',
          jobTitle: 'Old title',
          nickName: 'Nan',
          emailAddresses: [{ address: 'ann@x.example' }, { address: 'ann.home@y.example' }],
          businessPhones: ['+442079460001'],
          mobilePhone: '+447700900001',
        }),
        contact({
          sourceKey: 'user:1',
          sourceKind: 'directory',
          sourceIds: ['dir'],
          givenName: 'Ann',
          jobTitle: 'Lead',
          emailAddresses: [{ address: 'ann@x.example', name: 'Ann (work)' }],
          businessPhones: ['+442079460000'],
        }),
      ],
      priority,
    );
    expect(rest).toEqual([]);
    expect(merged).toMatchObject({
      sourceKey: 'user:1',
      sourceKind: 'directory',
      sourceIds: ['dir', 'csv'],
      mergedKeys: ['user:1', 'manual:9'],
      givenName: 'Ann',
      jobTitle: 'Lead',
      nickName: 'Nan', // the lower priority fills gaps
      displayName: 'Ann',
      mobilePhone: '+447700900001',
      businessPhones: ['+442079460000', '+442079460001'], // union, higher priority first
      emailAddresses: [
        { address: 'ann@x.example', name: 'Ann (work)' },
        { address: 'ann.home@y.example', name: 'Ann' },
      ],
    });
  });

  it('moves addresses as a whole, never mixing parts of two sources', () => {
    const [merged] = mergeContacts(
      [
        contact({ sourceKey: 'user:1', sourceIds: ['dir'], businessAddress: { city: 'London' } }),
        contact({
          sourceKey: 'user:1',
          sourceIds: ['csv'],
          businessAddress: { street: '1 Main St', city: 'Paris' },
          homeAddress: { city: 'Kent' },
        }),
      ],
      priority,
    );
    expect(merged!.businessAddress).toEqual({ city: 'London' });
    expect(merged!.homeAddress).toEqual({ city: 'Kent' });
  });

  it('never merges two records one source keeps apart, even when they share an address', () => {
    const merged = mergeContacts(
      [
        contact({
          sourceKey: 'orgcontact:a',
          sourceIds: ['oc'],
          displayName: 'Sales A',
          emailAddresses: [{ address: 'sales@vendor.example' }],
        }),
        contact({
          sourceKey: 'orgcontact:b',
          sourceIds: ['oc'],
          displayName: 'Sales B',
          emailAddresses: [{ address: 'sales@vendor.example' }],
        }),
        contact({
          sourceKey: 'manual:c',
          sourceIds: ['csv'],
          displayName: 'Sales row',
          emailAddresses: [{ address: 'SALES@vendor.example'.toLowerCase() }],
        }),
      ],
      { sourcePriority: ['oc', 'csv'] },
    );
    expect(merged.map((c) => [c.sourceKey, c.mergedKeys])).toEqual([
      ['orgcontact:a', ['orgcontact:a', 'manual:c']], // the CSV row joins the first (by key order) only
      ['orgcontact:b', ['orgcontact:b']],
    ]);
  });

  it('keeps people with different e-mails and keys apart, and contacts without e-mail by key', () => {
    const merged = mergeContacts(
      [
        contact({ sourceKey: 'user:2', sourceIds: ['dir'], displayName: 'B' }),
        contact({
          sourceKey: 'user:1',
          sourceIds: ['dir'],
          displayName: 'A',
          emailAddresses: [{ address: 'a@x.example' }],
        }),
        contact({
          sourceKey: 'manual:3',
          sourceIds: ['csv'],
          displayName: 'C',
          emailAddresses: [{ address: 'c@x.example' }],
        }),
      ],
      priority,
    );
    expect(merged.map((c) => c.sourceKey)).toEqual(['manual:3', 'user:1', 'user:2']);
  });

  it('joins transitively through different addresses of one person', () => {
    const merged = mergeContacts(
      [
        contact({
          sourceKey: 'user:1',
          sourceIds: ['dir'],
          emailAddresses: [{ address: 'a@x.example' }],
        }),
        contact({
          sourceKey: 'manual:2',
          sourceIds: ['csv'],
          emailAddresses: [{ address: 'a@x.example' }, { address: 'a2@x.example' }],
        }),
        contact({
          sourceKey: 'contact:3',
          sourceIds: ['mbx'],
          emailAddresses: [{ address: 'a2@x.example' }],
        }),
      ],
      priority,
    );
    expect(merged).toHaveLength(1);
    expect(merged[0]!.mergedKeys).toEqual(['user:1', 'manual:2', 'contact:3']);
  });

  it('ranks sources missing from the priority list last', () => {
    const [merged] = mergeContacts(
      [
        contact({ sourceKey: 'user:1', sourceIds: ['unknown'], jobTitle: 'From unknown' }),
        contact({ sourceKey: 'user:1', sourceIds: ['mbx'], jobTitle: 'From mbx' }),
      ],
      priority,
    );
    expect(merged!.jobTitle).toBe('From mbx');
  });

  it('lets a real display name of a lower priority beat the fallback of a higher one', () => {
    const [merged] = mergeContacts(
      [
        contact({
          sourceKey: 'user:1',
          sourceIds: ['dir'],
          emailAddresses: [{ address: 'a@x.example' }],
        }),
        contact({
          sourceKey: 'manual:1',
          sourceIds: ['csv'],
          displayName: 'Ann Lee',
          emailAddresses: [{ address: 'a@x.example' }],
        }),
      ],
      priority,
    );
    expect(merged!.displayName).toBe('Ann Lee');
  });

  it('unions issues and categories without duplicates', () => {
    const [merged] = mergeContacts(
      [
        contact({
          sourceKey: 'user:1',
          sourceIds: ['dir'],
          categories: ['B'],
          phoneIssues: [{ field: 'mobilePhone', value: '12', reason: 'invalid-phone' }],
        }),
        contact({
          sourceKey: 'user:1',
          sourceIds: ['csv'],
          categories: ['b', 'A'],
          phoneIssues: [{ field: 'mobilePhone', value: '12', reason: 'invalid-phone' }],
        }),
      ],
      priority,
    );
    expect(merged!.categories).toEqual(['A', 'B']);
    expect(merged!.phoneIssues).toEqual([
      { field: 'mobilePhone', value: '12', reason: 'invalid-phone' },
    ]);
  });

  it('returns nothing for nothing', () => {
    expect(mergeContacts([], priority)).toEqual([]);
  });

  describe('order independence', () => {
    const sources: Contact[][] = [
      [
        contact({
          sourceKey: 'user:1',
          sourceKind: 'directory',
          sourceIds: ['dir'],
          givenName: 'Ann',
          emailAddresses: [{ address: 'ann@x.example' }],
          businessPhones: ['+1'],
        }),
        contact({
          sourceKey: 'user:2',
          sourceKind: 'directory',
          sourceIds: ['dir'],
          givenName: 'Bob',
          emailAddresses: [{ address: 'bob@x.example' }],
        }),
      ],
      [
        contact({
          sourceKey: 'manual:a',
          sourceIds: ['csv'],
          givenName: 'Annie',
          jobTitle: 'CSV title',
          emailAddresses: [{ address: 'ann@x.example' }],
          businessPhones: ['+2'],
        }),
        contact({
          sourceKey: 'manual:b',
          sourceIds: ['csv'],
          givenName: 'Robert',
          emailAddresses: [{ address: 'bob@x.example' }, { address: 'shared@x.example' }],
        }),
      ],
      [
        contact({
          sourceKey: 'contact:z',
          sourceKind: 'mailbox-folder',
          sourceIds: ['mbx'],
          jobTitle: 'MBX title',
          nickName: 'Z',
          emailAddresses: [{ address: 'shared@x.example' }],
          businessPhones: ['+3'],
        }),
        contact({
          sourceKey: 'user:1',
          sourceKind: 'mailbox-folder',
          sourceIds: ['mbx'],
          officeLocation: 'B1',
        }),
      ],
    ];

    it('gives the same result for all permutations of 3 sources and of their records', () => {
      const expected = mergeContacts(sources.flat(), priority);
      expect(expected.map((c) => c.mergedKeys)).toEqual([
        ['user:1', 'manual:a'],
        ['user:2', 'manual:b', 'contact:z'],
      ]);
      const random = new SeededRandom(7);
      for (const order of permutations(sources)) {
        expect(mergeContacts(order.flat(), priority)).toEqual(expected);
        expect(mergeContacts(random.shuffle(order.flat()), priority)).toEqual(expected);
      }
    });

    it('is order-independent for random populations (seeded)', () => {
      const random = new SeededRandom(42);
      const mails = ['a', 'b', 'c', 'd', 'e', 'f'].map((m) => `${m}@x.example`);
      for (let round = 0; round < 60; round++) {
        const population: Contact[] = [];
        for (let i = 0; i < 12; i++) {
          const source = random.pick(['dir', 'csv', 'mbx', 'other']);
          population.push(
            contact({
              sourceKey: `${source === 'dir' ? 'user' : source}:${random.int(1, 6)}`,
              sourceIds: [source],
              givenName: random.pick([undefined, 'Ann', 'Bob', 'Cy']),
              jobTitle: random.pick([undefined, 'T1', 'T2']),
              emailAddresses: random.subset(mails, 0.25).map((address) => ({ address })),
              businessPhones: random.subset(['+1', '+2', '+3'], 0.3),
              categories: random.subset(['x', 'Y', 'z'], 0.3),
            }),
          );
        }
        const expected = mergeContacts(population, priority);
        const hashes = expected.map((c) => contactContentHash(c));
        for (let k = 0; k < 5; k++) {
          const again = mergeContacts(random.shuffle(population), priority);
          expect(again).toEqual(expected);
          expect(again.map((c) => contactContentHash(c))).toEqual(hashes);
        }
        // Every input key ends up in exactly one contact.
        const keys = expected.flatMap((c) => c.mergedKeys);
        expect(new Set(keys).size).toBe(keys.length);
        expect(new Set(keys)).toEqual(new Set(population.map((c) => c.sourceKey)));
      }
    });
  });
});
