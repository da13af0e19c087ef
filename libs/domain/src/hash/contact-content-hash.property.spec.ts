import fc from 'fast-check';
import type { ContactFields } from '../contact/contact';
import {
  CONTACT_FIELD_KINDS,
  SYNCED_CONTACT_FIELDS,
  type SyncedContactField,
} from '../contact/contact-fields';
import type { EmailAddress } from '../contact/email-address';
import type { PhysicalAddress } from '../contact/physical-address';
import { fieldValuesEqual } from './canonical-field-value';
import { contactContentHash, CONTENT_HASH_LENGTH } from './contact-content-hash';

/**
 * Property-based tests of the content hash (fast-check, fixed seeds): the same contact written
 * with any key order, whitespace, line endings, Unicode normalization, category order and case,
 * e-mail case, or empty-vs-missing hashes alike; changing any synced field changes the hash.
 */

type Mutable = Record<string, unknown>;
const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

/** Clean values, as `normalizeContact` produces them ("Zoë" and "Müller" in NFC). */
const WORDS = ['Ann', 'Lee', 'Zoë', 'Müller', "O'Brien", 'R&D', 'VP', 'Sales', '42'];
const textArb = fc
  .array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 3 })
  .map((w) => w.join(' '));
const notesArb = fc
  .array(fc.option(textArb, { nil: '' }), { minLength: 1, maxLength: 4 })
  .map((lines) => lines.join('\n'))
  .filter((n) => n.trim() !== '')
  .map((n) => n.replace(/^\n+|\n+$/g, ''));
const PHONES = ['+14255550100', '+442079460958', '+14255550100;ext=12', '+33123456789'];
const MAILS = ['ann@x.example', 'zoe.muller@y.example', 'sales@z.example'];
const CATEGORIES = ['Blue', 'Work', 'VIP', 'Company directory'];

const emailArb: fc.Arbitrary<EmailAddress> = fc.record(
  { address: fc.constantFrom(...MAILS), name: textArb },
  { requiredKeys: ['address'] },
);
const addressArb: fc.Arbitrary<PhysicalAddress> = fc.record(
  {
    street: textArb,
    city: textArb,
    state: textArb,
    postalCode: fc.constantFrom('SW1A 1AA', '75001', '98052'),
    countryOrRegion: textArb,
  },
  { requiredKeys: ['city'] },
);

function valueArb(field: SyncedContactField): fc.Arbitrary<unknown> {
  switch (CONTACT_FIELD_KINDS[field]) {
    case 'text':
      return opt(textArb);
    case 'date':
      return opt(fc.constantFrom('1980-01-31', '1975-12-01', '2000-02-29'));
    case 'phone':
      return opt(fc.constantFrom(...PHONES));
    case 'phones':
      return fc.shuffledSubarray(PHONES, { maxLength: 2 });
    case 'emails':
      return fc.uniqueArray(emailArb, { selector: (e) => e.address, maxLength: 3 });
    case 'address':
      return opt(addressArb);
    case 'notes':
      return opt(notesArb);
    case 'categories':
      return fc.subarray(CATEGORIES);
  }
}

const contactArb: fc.Arbitrary<ContactFields> = fc
  .record(
    Object.fromEntries(SYNCED_CONTACT_FIELDS.map((f) => [f, valueArb(f)])) as Record<
      SyncedContactField,
      fc.Arbitrary<unknown>
    >,
  )
  .map((fields) => {
    // Missing rather than undefined, as a real object would be.
    const out: Mutable = {};
    for (const [k, v] of Object.entries(fields)) if (v !== undefined) out[k] = v;
    return out as unknown as ContactFields;
  });

// ---- noise that must not change the hash ----

/** Runs of whitespace `cleanText` collapses (tabs, line breaks, no-break and em spaces). */
const gapArb = fc.constantFrom(' ', '  ', '\t', '\u00a0', ' \n ', '\u2003', ' \r\n');
const edgeArb = fc.constantFrom('', '', ' ', '\t', '\u00a0 ', '\n');

/** The same single-line text with other whitespace, maybe in NFD. */
function noisyText(value: string): fc.Arbitrary<string> {
  const words = value.split(' ');
  return fc
    .tuple(
      edgeArb,
      fc.array(gapArb, { minLength: words.length, maxLength: words.length }),
      edgeArb,
      fc.boolean(),
    )
    .map(([lead, gaps, trail, nfd]) => {
      const text = lead + words.map((w, i) => (i === 0 ? w : gaps[i]! + w)).join('') + trail;
      return nfd ? text.normalize('NFD') : text;
    });
}

/** The same notes with `\r\n`, trailing spaces on lines, blank lines around. */
function noisyNotes(value: string): fc.Arbitrary<string> {
  const lines = value.split('\n');
  return fc
    .tuple(
      fc.constantFrom('\n', '\r\n'),
      fc.array(fc.constantFrom('', ' ', '  \t'), {
        minLength: lines.length,
        maxLength: lines.length,
      }),
      fc.constantFrom('', '\n', '\r\n\r\n', '  \n'),
      fc.constantFrom('', '\n', '\r\n', '\n \n'),
    )
    .map(
      ([eol, trailing, before, after]) =>
        before + lines.map((l, i) => l + trailing[i]).join(eol) + after,
    );
}

const caseArb = fc.constantFrom(
  (s: string) => s,
  (s: string) => s.toUpperCase(),
  (s: string) => s.toLowerCase(),
  (s: string) => s.charAt(0).toUpperCase() + s.slice(1),
);

/** An object with the same members in another key order (plus, maybe, empty members). */
function reordered(record: Mutable, empties: Mutable = {}): fc.Arbitrary<Mutable> {
  const extra = Object.entries(empties).filter(([k]) => !(k in record));
  const entries = [...Object.entries(record), ...extra];
  return fc
    .tuple(
      fc.shuffledSubarray(entries, { minLength: entries.length, maxLength: entries.length }),
      fc.subarray(Object.keys(empties)),
    )
    .map(([order, keepEmpty]) => {
      const out: Mutable = {};
      for (const [k, v] of order) {
        if (!(k in record) && !keepEmpty.includes(k)) continue;
        out[k] = v;
      }
      return out;
    });
}

function noisyValue(field: SyncedContactField, value: unknown): fc.Arbitrary<unknown> {
  switch (CONTACT_FIELD_KINDS[field]) {
    case 'text':
    case 'date':
    case 'phone':
      // Empty may be missing, '', or blank.
      return value === undefined
        ? fc.constantFrom(undefined, '', '   ', '\t\n')
        : noisyText(value as string);
    case 'notes':
      return value === undefined
        ? fc.constantFrom(undefined, '', ' \r\n ')
        : noisyNotes(value as string);
    case 'phones': {
      const phones = value as string[];
      // Order matters (Business Phone vs Business Phone 2): whitespace and blank entries only.
      return fc
        .tuple(
          fc.tuple(...phones.map((p) => noisyText(p))),
          fc.nat({ max: phones.length }),
          fc.boolean(),
        )
        .map(([noisy, at, blank]) => {
          const out: string[] = [...noisy];
          if (blank) out.splice(at, 0, '  ');
          return out;
        });
    }
    case 'categories': {
      const categories = value as string[];
      // Any order, any case, a repeat in another case, blank entries.
      return fc
        .tuple(
          fc.tuple(...categories.map((c) => fc.tuple(noisyText(c), caseArb).map(([t, f]) => f(t)))),
          fc
            .subarray(categories)
            .chain((repeats) => fc.tuple(...repeats.map((c) => caseArb.map((f) => f(c))))),
          fc.constantFrom([], [' '], ['', '\t']),
        )
        .chain(([noisy, repeats, blanks]) => {
          const all = [...noisy, ...repeats, ...blanks];
          return fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length });
        });
    }
    case 'emails': {
      const emails = value as EmailAddress[];
      return fc.tuple(
        ...emails.map((e) =>
          fc
            .tuple(
              caseArb,
              noisyText(e.address),
              e.name === undefined ? fc.constantFrom(undefined, '', ' ') : noisyText(e.name),
            )
            .chain(([f, address, name]) =>
              reordered(
                name === undefined ? { address: f(address) } : { address: f(address), name },
              ),
            ),
        ),
      );
    }
    case 'address': {
      if (value === undefined) {
        return fc.constantFrom(undefined, {}, { city: ' ' }, { street: '', city: '\t' });
      }
      const parts = value as Mutable;
      return fc
        .tuple(
          ...Object.entries(parts).map(([k, v]) =>
            noisyText(v as string).map((t) => [k, t] as const),
          ),
        )
        .chain((noisy) =>
          reordered(Object.fromEntries(noisy), { street: '', state: '  ', postalCode: '\n' }),
        );
    }
  }
}

/** A contact and the same contact written differently. */
const contactAndNoisyArb = contactArb.chain((c) =>
  fc
    .tuple(...SYNCED_CONTACT_FIELDS.map((f) => noisyValue(f, c[f]).map((v) => [f, v] as const)))
    .chain((entries) => {
      const noisy: Mutable = {};
      const empties: Mutable = {};
      for (const [f, v] of entries) {
        if (v === undefined) continue;
        if (c[f] === undefined) empties[f] = v;
        else noisy[f] = v;
      }
      return reordered(noisy, empties);
    })
    .map((noisy) => [c, noisy as unknown as ContactFields] as const),
);

// ---- changes that must change the hash ----

/** A value of `field` that differs from `value` (canonically), built without the code under test. */
function changedValue(field: SyncedContactField, value: unknown, how: number): unknown {
  const clear =
    how % 3 === 0 && value !== undefined && !(Array.isArray(value) && value.length === 0);
  switch (CONTACT_FIELD_KINDS[field]) {
    case 'text':
    case 'phone': {
      if (clear) return undefined;
      const s = value as string | undefined;
      if (s === undefined) return 'Changed';
      // Case is meaningful in names (only e-mails and categories ignore it).
      return how % 3 === 1 && s.toUpperCase() !== s ? s.toUpperCase() : `${s} changed`;
    }
    case 'date':
      if (clear) return undefined;
      return value === '1999-09-09' ? '1999-09-10' : '1999-09-09';
    case 'notes':
      if (clear) return undefined;
      return `${(value as string | undefined) ?? ''}\nchanged`;
    case 'phones': {
      const phones = value as string[];
      if (clear) return [];
      if (how % 3 === 1 && phones.length === 2) return [...phones].reverse();
      return [...phones, '+15550000000'];
    }
    case 'emails': {
      const emails = value as EmailAddress[];
      if (clear) return [];
      if (how % 3 === 1 && emails.length > 0) {
        return [{ ...emails[0]!, name: `${emails[0]!.name ?? ''} changed` }, ...emails.slice(1)];
      }
      return [...emails, { address: 'new@changed.example' }];
    }
    case 'address': {
      if (clear) return undefined;
      const a = (value as PhysicalAddress | undefined) ?? {};
      return { ...a, city: `${a.city ?? ''} Elsewhere` };
    }
    case 'categories':
      if (clear) return [];
      return [...(value as string[]), 'Changed'];
  }
}

const RUNS = { numRuns: 100 };

describe('contactContentHash (fast-check properties)', () => {
  it('is 27 base64url characters', () => {
    fc.assert(
      fc.property(contactArb, fc.option(fc.string(), { nil: undefined }), (c, salt) => {
        expect(contactContentHash(c, { salt })).toMatch(
          new RegExp(`^[A-Za-z0-9_-]{${CONTENT_HASH_LENGTH}}$`),
        );
      }),
      { ...RUNS, seed: 0x27 },
    );
  });

  it('is invariant under key order, whitespace, line endings, NFC, category order and case, e-mail case, empty-vs-missing', () => {
    fc.assert(
      fc.property(contactAndNoisyArb, ([c, noisy]) => {
        expect(contactContentHash(noisy)).toBe(contactContentHash(c));
        expect(contactContentHash(noisy, { salt: 'p' })).toBe(contactContentHash(c, { salt: 'p' }));
      }),
      { ...RUNS, seed: 0x1a7 },
    );
  });

  it('changes when any synced field changes', () => {
    fc.assert(
      fc.property(contactArb, fc.nat(), (c, how) => {
        const base = contactContentHash(c);
        const seen = new Set([base]);
        for (const field of SYNCED_CONTACT_FIELDS) {
          const changed = { ...c, [field]: changedValue(field, c[field], how) } as ContactFields;
          const hash = contactContentHash(changed);
          expect(hash).not.toBe(base);
          seen.add(hash);
        }
        // …and differently for each field.
        expect(seen.size).toBe(SYNCED_CONTACT_FIELDS.length + 1);
      }),
      { numRuns: 50, seed: 0xc4a6e },
    );
  });

  it('is equal for two contacts exactly when every synced field is equal (canonically)', () => {
    // Tiny pools, so that equal contacts are common.
    const tiny: fc.Arbitrary<ContactFields> = fc.record({
      givenName: fc.constantFrom(undefined, 'Ann', ' Ann', 'ann'),
      businessPhones: fc.constantFrom([], ['+1'], ['+1', '+2'], ['+2', '+1']),
      categories: fc.constantFrom([], ['a'], ['A', 'b'], ['B', 'a']),
      emailAddresses: fc.constantFrom(
        [],
        [{ address: 'a@x.example' }],
        [{ address: 'A@X.example' }],
      ),
      homePhones: fc.constant([]),
    });
    fc.assert(
      fc.property(tiny, tiny, (a, b) => {
        const equal = SYNCED_CONTACT_FIELDS.every((f) => fieldValuesEqual(f, a[f], b[f]));
        expect(contactContentHash(a) === contactContentHash(b)).toBe(equal);
      }),
      { numRuns: 300, seed: 0xe9 },
    );
  });

  it('changes with the salt', () => {
    fc.assert(
      fc.property(contactArb, fc.string(), fc.string(), (c, s1, s2) => {
        fc.pre(s1 !== s2);
        expect(contactContentHash(c, { salt: s1 })).not.toBe(contactContentHash(c, { salt: s2 }));
      }),
      { ...RUNS, seed: 0x5a17 },
    );
  });
});
