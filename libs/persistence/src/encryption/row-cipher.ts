import type { FieldCipher } from '@app/crypto';
import { ENCRYPTED_COLUMNS, type EncryptedColumn } from './encrypted-columns';

interface TenantRow {
  id: string;
  tenantId: string;
}

/**
 * Encrypts and decrypts the encrypted columns of an entity where the row is known, binding
 * each value to tenant, table, row id and column (the AAD). Repositories use this rather than
 * a column transformer, which sees only the value and could not stop a value being copied to
 * another row or tenant.
 */
export class RowCipher {
  constructor(private readonly cipher: FieldCipher) {}

  seal<T extends TenantRow>(
    entity: abstract new () => T,
    row: T,
    property: keyof T & string,
    plaintext: string,
  ): void {
    const column = columnOf(entity, property);
    (row as Record<string, unknown>)[property] = this.cipher.encrypt(
      plaintext,
      contextOf(column, row),
    );
  }

  open<T extends TenantRow>(
    entity: abstract new () => T,
    row: T,
    property: keyof T & string,
  ): string | null {
    const column = columnOf(entity, property);
    const value = (row as Record<string, unknown>)[property];
    if (value === null || value === undefined) return null;
    return this.cipher.decrypt(String(value), contextOf(column, row));
  }
}

function columnOf(entity: unknown, property: string): EncryptedColumn {
  const column = ENCRYPTED_COLUMNS.find((c) => c.entity === entity && c.property === property);
  if (!column) throw new Error(`${property} is not registered in ENCRYPTED_COLUMNS`);
  return column;
}

function contextOf(column: EncryptedColumn, row: TenantRow) {
  return { tenantId: row.tenantId, table: column.table, rowId: row.id, column: column.column };
}
