import type { ContactSourceKind } from '../contact/contact-source-kind';
import { makeSourceKey, sourceKeyNamespaceFor } from '../contact/source-key';
import type { ContactDraft } from './contact-draft';
import { pathsFor, type FieldMapping, type MappingTarget } from './field-mapping';
import { resolveSourcePath } from './source-path';

export interface MappedSource {
  readonly sourceId: string;
  readonly sourceKind: ContactSourceKind;
  readonly mapping: FieldMapping;
}

/**
 * Reads one source record through the mapping. Returns `undefined` when the record has no
 * identity at `keyPath` (it could never be matched to its mailbox item again, so it is not synced).
 */
export function mapSourceRecord(
  record: Readonly<Record<string, unknown>>,
  source: MappedSource,
): ContactDraft | undefined {
  const [rawKey] = resolveSourcePath(record, source.mapping.keyPath);
  const sourceKey = makeSourceKey(sourceKeyNamespaceFor(source.sourceKind, record), rawKey);
  if (sourceKey === undefined) return undefined;
  const values: Partial<Record<MappingTarget, readonly unknown[]>> = {};
  for (const target of Object.keys(source.mapping.fields) as MappingTarget[]) {
    const found = pathsFor(source.mapping, target).flatMap((path) =>
      resolveSourcePath(record, path),
    );
    if (found.length > 0) values[target] = found;
  }
  return { sourceKey, sourceKind: source.sourceKind, sourceId: source.sourceId, values };
}
