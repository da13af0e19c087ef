import type { ItemWrite } from '@app/domain';
import type { ItemKindTypes, OpOf, StrategyOf } from './item-kind-types';
import { PHOTO_PENDING } from './photo-pending';

/** The port write for a planned op; a create waiting for its photo is tagged PHOTO_PENDING. */
export function toItemWrite<K extends ItemKindTypes>(
  kind: StrategyOf<K>,
  op: OpOf<K>,
  photoPending = false,
): ItemWrite<K['patch']> {
  switch (op.kind) {
    case 'create':
      return {
        kind: 'create',
        sourceKey: op.sourceKey,
        contentHash: photoPending ? PHOTO_PENDING : op.contentHash,
        fieldHashes: kind.fieldHashesOf(op.plan),
        patch: kind.patchOf(op.plan),
      };
    case 'update':
      return {
        kind: 'update',
        itemId: op.itemId,
        sourceKey: op.sourceKey,
        contentHash: op.contentHash,
        fieldHashes: kind.fieldHashesOf(op.plan),
        patch: kind.patchOf(op.plan),
      };
    case 'delete':
      return { kind: 'delete', itemId: op.itemId, sourceKey: op.sourceKey };
  }
}
