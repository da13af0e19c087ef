import fc from 'fast-check';
import type { Contact } from '../contact/contact';
import type { ContactSourceKind } from '../contact/contact-source-kind';
import { canonicalCategories } from '../hash/canonical-field-value';
import { contactContentHash } from '../hash/contact-content-hash';
import { contact } from '../testing/contact-fixtures';
import { mergeContacts } from './merge-contacts';

/**
 * Property-based tests of `mergeContacts` (fast-check, fixed seeds): normalized contacts from
 * 2–3 of a list's sources, with keys and e-mails drawn from small pools so that people meet
 * by key (directory and group share `user:` keys) and by e-mail often.
 */

interface Source {
  readonly id: string;
  readonly kind: ContactSourceKind;
  readonly namespace: string;
}
const SOURCES: readonly Source[] = [
  { id: 'dir', kind: 'directory', namespace: 'user' },
  { id: 'grp', kind: 'group', namespace: 'user' },
  { id: 'csv', kind: 'manual', namespace: 'manual' },
  { id: 'mbx', kind: 'mailbox-folder', namespace: 'contact' },
];
const MAILS = ['ann@x.example', 'bob@x.example', 'cy@y.example', 'dee@y.example', 'eve@z.example'];
const PHONES = ['+14255550100', '+14255550101', '+442079460958', '+493012345678'];
const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const word = (...words: string[]) => opt(fc.constantFrom(...words));

function contactArb(source: Source): fc.Arbitrary<Contact> {
  return fc
    .record({
      id: fc.constantFrom('1', '2', '3', '4'),
      displayName: word('Ann Lee', 'A. Lee', 'Bob'),
      givenName: word('Ann', 'Annie', 'Bob'),
      surname: word('Lee', 'Stone'),
      nickName: word('Nan', 'Bobby'),
      jobTitle: word('Lead', 'Dev', 'CFO'),
      department: word('R&D', 'Sales'),
      companyName: word('Contoso', 'Fabrikam'),
      officeLocation: word('B1', 'B2'),
      mobilePhone: opt(fc.constantFrom(...PHONES)),
      businessPhones: fc.shuffledSubarray(PHONES, { maxLength: 3 }),
      homePhones: fc.shuffledSubarray(PHONES, { maxLength: 2 }),
      emails: fc.shuffledSubarray(MAILS, { maxLength: 3 }),
      mailName: word('Ann (work)', 'Bob'),
      categories: fc.subarray(['Blue', 'blue', 'Work', 'VIP']),
      businessAddress: opt(
        fc.constantFrom(
          { city: 'London' },
          { street: '1 Main St', city: 'Paris' },
          { city: 'Kent' },
        ),
      ),
    })
    .map(({ id, emails, mailName, ...fields }) =>
      contact({
        ...fields,
        sourceKey: `${source.namespace}:${id}`,
        sourceKind: source.kind,
        sourceIds: [source.id],
        emailAddresses: emails.map((address, i) =>
          i === 0 && mailName !== undefined ? { address, name: mailName } : { address },
        ),
      }),
    );
}

interface Population {
  /** The list's source priority (highest first); the last source may be left unlisted. */
  readonly priority: readonly string[];
  readonly sources: readonly Source[];
  readonly contacts: readonly Contact[];
}

const populationArb: fc.Arbitrary<Population> = fc
  .tuple(fc.shuffledSubarray([...SOURCES], { minLength: 2, maxLength: 3 }), fc.boolean())
  .chain(([sources, unlistLast]) =>
    fc
      .tuple(
        ...sources.map((s) =>
          fc.uniqueArray(contactArb(s), { selector: (c) => c.sourceKey, maxLength: 4 }),
        ),
      )
      .map((perSource) => ({
        sources,
        priority: sources.map((s) => s.id).slice(0, unlistLast ? -1 : undefined),
        contacts: perSource.flat(),
      })),
  );

const permutationOf = <T>(items: readonly T[]): fc.Arbitrary<T[]> =>
  fc.shuffledSubarray([...items], { minLength: items.length, maxLength: items.length });

const params = (seed: number) => ({ seed, numRuns: 120 });

/** Contributors of a merged contact, best first: by source priority, then source key. */
function contributorsOf(merged: Contact, p: Population): Contact[] {
  const rank = (c: Contact) => {
    const r = p.priority.indexOf(c.sourceIds[0]!);
    return r < 0 ? p.priority.length : r;
  };
  return p.contacts
    .filter((c) => merged.mergedKeys.includes(c.sourceKey))
    .sort(
      (a, b) =>
        rank(a) - rank(b) || (a.sourceKey < b.sourceKey ? -1 : a.sourceKey > b.sourceKey ? 1 : 0),
    );
}

const SINGLE_FIELDS = [
  'givenName',
  'surname',
  'nickName',
  'jobTitle',
  'department',
  'companyName',
  'officeLocation',
  'mobilePhone',
  'businessAddress',
] as const;

describe('mergeContacts (fast-check properties)', () => {
  it('does not depend on the order of its input', () => {
    const shuffled = populationArb.chain((p) =>
      fc.tuple(fc.constant(p), permutationOf(p.contacts)),
    );
    fc.assert(
      fc.property(shuffled, ([p, order]) => {
        const expected = mergeContacts(p.contacts, { sourcePriority: p.priority });
        const again = mergeContacts(order, { sourcePriority: p.priority });
        expect(again).toEqual(expected);
        expect(again.map((c) => contactContentHash(c))).toEqual(
          expected.map((c) => contactContentHash(c)),
        );
      }),
      params(0x3e76e),
    );
  });

  it('puts every input key in exactly one contact, and never joins two keys of one source', () => {
    fc.assert(
      fc.property(populationArb, (p) => {
        const merged = mergeContacts(p.contacts, { sourcePriority: p.priority });
        const keys = merged.flatMap((c) => c.mergedKeys);
        expect(new Set(keys).size).toBe(keys.length);
        expect(new Set(keys)).toEqual(new Set(p.contacts.map((c) => c.sourceKey)));
        const resultKeys = merged.map((c) => c.sourceKey);
        expect(resultKeys).toEqual([...resultKeys].sort());
        for (const m of merged) {
          expect(m.mergedKeys[0]).toBe(m.sourceKey);
          // A source contributes one key per person: records it keeps apart stay apart.
          const bySource = new Map<string, Set<string>>();
          for (const c of contributorsOf(m, p)) {
            const set = bySource.get(c.sourceIds[0]!) ?? new Set<string>();
            set.add(c.sourceKey);
            bySource.set(c.sourceIds[0]!, set);
          }
          for (const set of bySource.values()) expect(set.size).toBe(1);
        }
        // Two people sharing an e-mail stay apart only when a source keeps them apart: joining
        // them would join two keys of one source, or each was refused by a third person who
        // holds the address too (the greedy, order-independent rule: e-mails in sorted order,
        // each joining its best holder; leftovers are not paired among themselves).
        const mails = (m: Contact) =>
          new Set(contributorsOf(m, p).flatMap((c) => c.emailAddresses.map((e) => e.address)));
        const sourceKeys = (m: Contact) =>
          new Map(contributorsOf(m, p).map((c) => [c.sourceIds[0]!, c.sourceKey]));
        const conflict = (a: Contact, b: Contact) => {
          const left = sourceKeys(a);
          return [...sourceKeys(b)].some(([s, k]) => left.has(s) && left.get(s) !== k);
        };
        for (const a of merged) {
          for (const b of merged) {
            if (a.sourceKey >= b.sourceKey) continue;
            const inA = mails(a);
            for (const address of [...mails(b)].filter((x) => inA.has(x))) {
              if (conflict(a, b)) continue;
              const third = merged.filter(
                (c) =>
                  c !== a && c !== b && mails(c).has(address) && conflict(c, a) && conflict(c, b),
              );
              expect(third.length).toBeGreaterThan(0);
            }
          }
        }
      }),
      params(0x9a71),
    );
  });

  it('takes key, kind and single values from the highest-priority contributor that has them', () => {
    fc.assert(
      fc.property(populationArb, (p) => {
        for (const m of mergeContacts(p.contacts, { sourcePriority: p.priority })) {
          const contributors = contributorsOf(m, p);
          const [best] = contributors as [Contact, ...Contact[]];
          expect(m.sourceKey).toBe(best.sourceKey);
          expect(m.sourceKind).toBe(best.sourceKind);
          // sourceIds: highest priority first.
          expect(m.sourceIds).toEqual([...new Set(contributors.map((c) => c.sourceIds[0]!))]);
          for (const field of SINGLE_FIELDS) {
            const donor = contributors.find((c) => c[field] !== undefined);
            // Addresses move as a whole: the donor's address, never parts of two.
            expect(m[field]).toEqual(donor?.[field]);
          }
          // A real display name of any contributor beats the fallback of a better one.
          const named = contributors.find((c) => c.displayName !== undefined);
          if (named) expect(m.displayName).toBe(named.displayName);
        }
      }),
      params(0x9e1),
    );
  });

  it('unions e-mails, phones and categories in priority order, flagging what does not fit', () => {
    fc.assert(
      fc.property(populationArb, (p) => {
        for (const m of mergeContacts(p.contacts, { sourcePriority: p.priority })) {
          const contributors = contributorsOf(m, p);
          const overLimit = (field: string) =>
            [...m.fieldIssues, ...m.phoneIssues]
              .filter((i) => i.field === field && i.reason === 'over-limit')
              .map((i) => i.value)
              .sort();

          const mails = [
            ...new Set(contributors.flatMap((c) => c.emailAddresses.map((e) => e.address))),
          ];
          expect(m.emailAddresses.map((e) => e.address)).toEqual(mails.slice(0, 3));
          expect(overLimit('emailAddresses')).toEqual(mails.slice(3).sort());
          // Each address comes with its best contributor's name, else the display name.
          for (const e of m.emailAddresses) {
            const first = contributors
              .flatMap((c) => c.emailAddresses)
              .find((x) => x.address === e.address)!;
            expect(e.name).toBe(first.name ?? m.displayName);
          }

          // A number is shown once: mobile, then business, then home (2 slots each).
          const business = [...new Set(contributors.flatMap((c) => c.businessPhones))].filter(
            (n) => n !== m.mobilePhone,
          );
          expect(m.businessPhones).toEqual(business.slice(0, 2));
          expect(overLimit('businessPhones')).toEqual(business.slice(2).sort());
          const home = [...new Set(contributors.flatMap((c) => c.homePhones))].filter(
            (n) => n !== m.mobilePhone && !business.includes(n),
          );
          expect(m.homePhones).toEqual(home.slice(0, 2));

          expect(m.categories).toEqual(
            canonicalCategories(contributors.flatMap((c) => c.categories)),
          );
        }
      }),
      params(0x0e1),
    );
  });
});
