import type { Contact } from '../contact/contact';
import {
  SYNCED_CONTACT_FIELDS,
  type ContactListField,
  type SyncedContactField,
} from '../contact/contact-fields';
import type { EmailAddress } from '../contact/email-address';
import { canonicalJson, type CanonicalValue } from '../hash/canonical-json';
import { canonicalFieldValue } from '../hash/canonical-field-value';
import { finalizeContact } from '../normalize/finalize-contact';

export interface MergeOptions {
  /** The list's source ids, highest priority first. Unlisted sources rank last. */
  readonly sourcePriority: readonly string[];
}

const LIST_FIELDS: readonly ContactListField[] = [
  'emailAddresses',
  'businessPhones',
  'homePhones',
  'categories',
];

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Every field in canonical form: the last tie-breaker, so equal inputs in any order sort alike. */
function fingerprint(contact: Contact): string {
  const fields: Record<string, CanonicalValue> = {};
  for (const f of SYNCED_CONTACT_FIELDS) fields[f] = canonicalFieldValue(f, contact[f]) ?? null;
  return canonicalJson({
    f: fields,
    p: contact.phoneIssues.map((i) => `${i.field}|${i.reason}|${i.value}`),
    q: contact.fieldIssues.map((i) => `${i.field}|${i.reason}|${i.value}`),
  });
}

/** A small union-find over contact indexes. */
class Components {
  private readonly parent: number[];
  constructor(size: number) {
    this.parent = Array.from({ length: size }, (_, i) => i);
  }
  find(i: number): number {
    while (this.parent[i] !== i) {
      this.parent[i] = this.parent[this.parent[i]!]!;
      i = this.parent[i]!;
    }
    return i;
  }
  /** Joins into the root with the smaller index (= the higher-priority contact). */
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
}

function mergeEmails(lists: readonly (readonly EmailAddress[])[]): EmailAddress[] {
  const out: EmailAddress[] = [];
  for (const e of lists.flat()) if (!out.some((o) => o.address === e.address)) out.push(e);
  return out;
}

function mergeGroup(members: readonly Contact[]): Contact {
  const [primary] = members as [Contact, ...Contact[]];
  const merged: Record<string, unknown> = {};
  for (const field of SYNCED_CONTACT_FIELDS) {
    if ((LIST_FIELDS as readonly SyncedContactField[]).includes(field)) continue;
    // Higher priority's non-empty value wins; lower priority fills gaps. Addresses move as a
    // whole: a street from one source and a city from another would describe no real place.
    const donor = members.find((m) => canonicalFieldValue(field, m[field]) !== undefined);
    if (donor) merged[field] = donor[field];
  }
  const unique = <T>(values: readonly T[]): T[] => [...new Set(values)];
  return finalizeContact({
    ...(merged as Partial<Contact>),
    sourceKey: primary.sourceKey,
    sourceKind: primary.sourceKind,
    sourceIds: unique(members.flatMap((m) => m.sourceIds)),
    mergedKeys: unique(members.flatMap((m) => m.mergedKeys)),
    emailAddresses: mergeEmails(members.map((m) => m.emailAddresses)),
    businessPhones: unique(members.flatMap((m) => m.businessPhones)),
    homePhones: unique(members.flatMap((m) => m.homePhones)),
    categories: members.flatMap((m) => m.categories),
    phoneIssues: members.flatMap((m) => m.phoneIssues),
    fieldIssues: members.flatMap((m) => m.fieldIssues),
  });
}

/**
 * Merges records of the same person from several sources into one contact per person, then
 * finalizes each (`finalizeContact`). Output is sorted by source key and does not depend on the
 * order of the input.
 *
 * 1. Same source key → same person (a user reached through the directory and through a group).
 * 2. Then a shared e-mail address (lower-cased, valid ones only) joins two people — unless that
 *    would put two different keys of the same source in one contact: records a source itself
 *    keeps apart (two org contacts sharing `sales@vendor.example`) stay apart.
 *    E-mails are visited in sorted order, contacts in priority order, so conflicts resolve
 *    the same way every time.
 * 3. Within a person, contributors are ordered by source priority, then source key: the first
 *    one's key becomes the contact's key; single values come from the first contributor that
 *    has one; e-mails, phones and categories are the union in that order; `sourceIds` and
 *    `mergedKeys` record who contributed.
 */
export function mergeContacts(contacts: readonly Contact[], options: MergeOptions): Contact[] {
  const rankOf = (c: Contact): number => {
    const ranks = c.sourceIds.map((id) => options.sourcePriority.indexOf(id)).filter((r) => r >= 0);
    return ranks.length > 0 ? Math.min(...ranks) : options.sourcePriority.length;
  };
  // The fingerprint is only a last tie-breaker: computed lazily, on the rare tie.
  const entries = contacts.map((contact) => ({
    contact,
    rank: rankOf(contact),
    sources: contact.sourceIds.join('\n'),
    print: undefined as string | undefined,
  }));
  const printOf = (e: (typeof entries)[number]) => (e.print ??= fingerprint(e.contact));
  const sorted = entries
    .sort(
      (a, b) =>
        a.rank - b.rank ||
        compareText(a.contact.sourceKey, b.contact.sourceKey) ||
        compareText(a.sources, b.sources) ||
        compareText(printOf(a), printOf(b)),
    )
    .map((e) => e.contact);

  const groups = new Components(sorted.length);
  const firstWithKey = new Map<string, number>();
  sorted.forEach((c, i) => {
    const first = firstWithKey.get(c.sourceKey);
    if (first === undefined) firstWithKey.set(c.sourceKey, i);
    else groups.union(first, i);
  });

  // Per component root: source id → the key it contributes (to refuse same-source joins).
  const keysBySource = new Map<number, Map<string, string>>();
  sorted.forEach((c, i) => {
    const root = groups.find(i);
    const map = keysBySource.get(root) ?? new Map<string, string>();
    for (const id of c.sourceIds) if (!map.has(id)) map.set(id, c.sourceKey);
    keysBySource.set(root, map);
  });
  const conflicts = (a: number, b: number): boolean => {
    const left = keysBySource.get(a)!;
    for (const [source, key] of keysBySource.get(b)!) {
      const other = left.get(source);
      if (other !== undefined && other !== key) return true;
    }
    return false;
  };

  const holders = new Map<string, number[]>();
  sorted.forEach((c, i) => {
    for (const e of c.emailAddresses) {
      const list = holders.get(e.address);
      if (list) list.push(i);
      else holders.set(e.address, [i]);
    }
  });
  for (const address of [...holders.keys()].sort(compareText)) {
    const [first, ...rest] = holders.get(address)!;
    for (const other of rest) {
      const a = groups.find(first!);
      const b = groups.find(other);
      if (a === b || conflicts(a, b)) continue;
      const joined = new Map([...keysBySource.get(b)!, ...keysBySource.get(a)!]);
      groups.union(a, b);
      keysBySource.set(groups.find(a), joined);
    }
  }

  const byRoot = new Map<number, Contact[]>();
  sorted.forEach((c, i) => {
    const root = groups.find(i);
    const members = byRoot.get(root);
    if (members) members.push(c);
    else byRoot.set(root, [c]);
  });
  return [...byRoot.values()].map(mergeGroup).sort((a, b) => compareText(a.sourceKey, b.sourceKey));
}
