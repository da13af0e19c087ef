import type { FieldCipher } from '@app/crypto';
import type { SnapshotItem } from './snapshot-item';

const TABLE = 'logstore_snapshots';
const COLUMN = 'items';

/**
 * Encrypts one part of a snapshot (a JSON array of items) bound to tenant, list, version and
 * part number, so a part copied to another tenant, list or position does not decrypt.
 */
export class SnapshotPartCipher {
  constructor(private readonly cipher: FieldCipher) {}

  encrypt(
    tenantId: string,
    listId: string,
    version: string,
    partNo: number,
    items: readonly SnapshotItem[],
  ): string {
    return this.cipher.encrypt(
      JSON.stringify(items),
      this.context(tenantId, listId, version, partNo),
    );
  }

  decrypt(
    tenantId: string,
    listId: string,
    version: string,
    partNo: number,
    payload: string,
  ): SnapshotItem[] {
    return JSON.parse(
      this.cipher.decrypt(payload, this.context(tenantId, listId, version, partNo)),
    ) as SnapshotItem[];
  }

  /** True when the part is not under the active key (key rotation should rewrite it). */
  needsRotation(payload: string): boolean {
    return this.cipher.needsRotation(payload);
  }

  /** The same part re-encrypted under the active key (key rotation). */
  reencrypt(
    tenantId: string,
    listId: string,
    version: string,
    partNo: number,
    payload: string,
  ): string {
    return this.cipher.reencrypt(payload, this.context(tenantId, listId, version, partNo));
  }

  private context(tenantId: string, listId: string, version: string, partNo: number) {
    return { tenantId, table: TABLE, rowId: `${listId}/${version}/${partNo}`, column: COLUMN };
  }
}
