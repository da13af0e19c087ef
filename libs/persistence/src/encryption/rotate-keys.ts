import type { FieldCipher } from '@app/crypto';
import type { DataSource } from 'typeorm';
import { withTransaction } from '../with-transaction';
import { ENCRYPTED_COLUMNS, type EncryptedColumn } from './encrypted-columns';

export interface RotationProgress {
  table: string;
  column: string;
  scanned: number;
  reencrypted: number;
  /** Rows changed by the running product between our read and our write: already current. */
  changedMeanwhile: number;
}

export interface RotationOptions {
  batchSize?: number;
  /** Stop after this many batches (the next run resumes); for tests and throttled runs. */
  maxBatches?: number;
  onBatch?: (progress: RotationProgress) => void;
}

interface Row {
  id: string;
  tenantId: string;
  value: string | null;
}

/**
 * Re-encrypts every encrypted value with the active key, batch by batch, while the product
 * runs. Each batch commits on its own, and a row is only rewritten if it still holds the value
 * we read, so a concurrent edit is never overwritten. Values already under the active key are
 * left alone, which makes a re-run after an interruption resume where it stopped.
 */
export async function rotateKeys(
  dataSource: DataSource,
  cipher: FieldCipher,
  options: RotationOptions = {},
): Promise<RotationProgress[]> {
  const batchSize = options.batchSize ?? 500;
  let batchesLeft = options.maxBatches ?? Number.POSITIVE_INFINITY;
  const results: RotationProgress[] = [];
  for (const target of ENCRYPTED_COLUMNS) {
    const progress: RotationProgress = {
      table: target.table,
      column: target.column,
      scanned: 0,
      reencrypted: 0,
      changedMeanwhile: 0,
    };
    results.push(progress);
    let afterId = '';
    while (batchesLeft > 0) {
      const rows = await readBatch(dataSource, target, afterId, batchSize);
      if (rows.length === 0) break;
      batchesLeft--;
      afterId = rows[rows.length - 1].id;
      progress.scanned += rows.length;
      await withTransaction(dataSource, async (manager) => {
        for (const row of rows) {
          if (row.value === null || !cipher.needsRotation(row.value)) continue;
          const next = cipher.reencrypt(row.value, {
            tenantId: row.tenantId,
            table: target.table,
            rowId: row.id,
            column: target.column,
          });
          const result = await manager
            .createQueryBuilder()
            .update(target.entity)
            .set({ [target.property]: next })
            .where('id = :id', { id: row.id })
            .andWhere(`${target.column} = :old`, { old: row.value })
            .execute();
          if (result.affected === 0) progress.changedMeanwhile++;
          else progress.reencrypted++;
        }
      });
      options.onBatch?.({ ...progress });
    }
  }
  return results;
}

function readBatch(
  dataSource: DataSource,
  target: EncryptedColumn,
  afterId: string,
  limit: number,
): Promise<Row[]> {
  return dataSource
    .createQueryBuilder()
    .select('t.id', 'id')
    .addSelect('t.tenant_id', 'tenantId')
    .addSelect(`t.${target.column}`, 'value')
    .from(target.table, 't')
    .where('t.id > :afterId', { afterId })
    .orderBy('t.id', 'ASC')
    .limit(limit)
    .getRawMany<Row>();
}
