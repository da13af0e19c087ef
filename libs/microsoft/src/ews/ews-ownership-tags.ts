import { ExtendedPropertyDefinition, Guid, MapiPropertyType } from 'ews-javascript-api';
import { OWNERSHIP_TAGS, type OwnershipTags } from '../mailbox/ownership-tags';

/**
 * Our ownership tags as EWS extended properties: the same named properties in the same GUID
 * namespace as on Graph (`String {guid} Name CsListId`...), so an item created through one
 * transport is found by its tags through the other (a mailbox moved between on-premises and
 * the cloud keeps its items, and they stay ours).
 */
function definition(graphId: string): ExtendedPropertyDefinition {
  const m = /^String \{([0-9a-f-]+)\} Name (\S+)$/i.exec(graphId);
  if (!m) throw new Error(`not a named string property id: ${graphId}`);
  return new ExtendedPropertyDefinition(new Guid(m[1]), m[2], MapiPropertyType.String);
}

export const EWS_TAGS = {
  listId: definition(OWNERSHIP_TAGS.listId),
  sourceKey: definition(OWNERSHIP_TAGS.sourceKey),
  contentHash: definition(OWNERSHIP_TAGS.contentHash),
  fieldHashes: definition(OWNERSHIP_TAGS.fieldHashes),
} as const;

export const EWS_TAG_LIST = Object.values(EWS_TAGS);

/** Our tags read from an item's extended properties (absent when it is not ours). */
export function readEwsTags(item: {
  ExtendedProperties?: {
    GetEnumerator(): Array<{ PropertyDefinition: { Name?: string }; Value: unknown }>;
  };
}): Partial<OwnershipTags> {
  const byName = new Map<string, string>();
  let props: Array<{ PropertyDefinition: { Name?: string }; Value: unknown }> = [];
  try {
    props = item.ExtendedProperties?.GetEnumerator() ?? [];
  } catch {
    props = []; // not loaded: no tags
  }
  for (const p of props)
    if (p.PropertyDefinition?.Name) byName.set(p.PropertyDefinition.Name, String(p.Value));
  const pick = (def: ExtendedPropertyDefinition) => byName.get(def.Name);
  return {
    listId: pick(EWS_TAGS.listId),
    sourceKey: pick(EWS_TAGS.sourceKey),
    contentHash: pick(EWS_TAGS.contentHash),
    fieldHashes: pick(EWS_TAGS.fieldHashes),
  };
}
