/**
 * Where a value lives. It is bound to the ciphertext as AAD, so a value copied to another
 * tenant, table, row or column no longer decrypts. Use SYSTEM_TENANT_ID for values that
 * belong to no tenant.
 */
export interface CipherContext {
  tenantId: string;
  table: string;
  rowId: string;
  column: string;
}
