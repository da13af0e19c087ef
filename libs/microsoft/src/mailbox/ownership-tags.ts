/**
 * Our ownership tags: separate single-value extended properties in our own GUID namespace, so
 * Graph's `$filter` (equality only) can select one list's items, and an item without them is
 * never ours — a user's own contact is never touched, whatever its name or e-mail.
 */
const NAMESPACE = '{8f2b0c6e-51a4-4b9e-a3d7-6c0e2f1d9b47}';

export const OWNERSHIP_TAGS = {
  listId: `String ${NAMESPACE} Name CsListId`,
  sourceKey: `String ${NAMESPACE} Name CsSourceKey`,
  contentHash: `String ${NAMESPACE} Name CsContentHash`,
  /** Per-field hashes of what we wrote, so "keep user edits" can tell a user's change. */
  fieldHashes: `String ${NAMESPACE} Name CsFieldHashes`,
} as const;

export interface OwnershipTags {
  listId: string;
  sourceKey: string;
  contentHash: string;
  fieldHashes?: string;
}

export function tagProperties(tags: OwnershipTags): Array<{ id: string; value: string }> {
  return [
    { id: OWNERSHIP_TAGS.listId, value: tags.listId },
    { id: OWNERSHIP_TAGS.sourceKey, value: tags.sourceKey },
    { id: OWNERSHIP_TAGS.contentHash, value: tags.contentHash },
    ...(tags.fieldHashes !== undefined
      ? [{ id: OWNERSHIP_TAGS.fieldHashes, value: tags.fieldHashes }]
      : []),
  ];
}

/** Reads our tags from an item's expanded properties; undefined when it is not ours. */
export function readTags(item: Record<string, unknown>): Partial<OwnershipTags> {
  const props = (item.singleValueExtendedProperties ?? []) as Array<{ id: string; value: string }>;
  const byId = new Map(props.map((p) => [normalizeId(p.id), p.value]));
  return {
    listId: byId.get(normalizeId(OWNERSHIP_TAGS.listId)),
    sourceKey: byId.get(normalizeId(OWNERSHIP_TAGS.sourceKey)),
    contentHash: byId.get(normalizeId(OWNERSHIP_TAGS.contentHash)),
    fieldHashes: byId.get(normalizeId(OWNERSHIP_TAGS.fieldHashes)),
  };
}

/** Graph echoes property ids with its own casing of the GUID and spacing. */
function normalizeId(id: string): string {
  return id.replace(/\s+/g, ' ').toLowerCase();
}

export const EXPAND_TAGS = `singleValueExtendedProperties($filter=${Object.values(OWNERSHIP_TAGS)
  .map((id) => `id eq '${id}'`)
  .join(' or ')})`;

export function filterByList(listId: string): string {
  return `singleValueExtendedProperties/Any(ep: ep/id eq '${OWNERSHIP_TAGS.listId}' and ep/value eq '${listId.replace(/'/g, "''")}')`;
}
