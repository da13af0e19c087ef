import type { ItemWriteResult } from '@app/domain';
import type { MailboxCounts } from '../runs/run-ledger';
import type { WorkingMap } from './working-map';

/** Records one final write result in the map and the counts (failures are collected). */
export function applyWriteResult<TPatch>(
  map: WorkingMap,
  result: ItemWriteResult<TPatch>,
  counts: MailboxCounts,
  failures: ItemWriteResult<TPatch>[],
  mapHashOf: (encodedFieldHashes: string | undefined) => string | undefined,
): void {
  const write = result.write;
  if (result.outcome === 'failed') {
    failures.push(result);
    return;
  }
  switch (write.kind) {
    case 'create':
      map.forgetDeletion(write.sourceKey);
      map.set({
        itemId: result.itemId!,
        sourceKey: write.sourceKey,
        contentHash: write.contentHash,
        changeKey: result.changeKey,
        notesHash: mapHashOf(write.fieldHashes),
      });
      counts.created++;
      return;
    case 'update':
      if (result.outcome === 'gone') {
        map.markUserDeleted(write.itemId);
        return;
      }
      map.set({
        itemId: write.itemId,
        sourceKey: write.sourceKey,
        contentHash: write.contentHash,
        changeKey: result.changeKey,
        notesHash: mapHashOf(write.fieldHashes),
      });
      counts.updated++;
      return;
    case 'delete':
      map.delete(write.itemId);
      if (result.outcome === 'done') counts.deleted++;
      return;
  }
}
