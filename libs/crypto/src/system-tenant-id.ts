/**
 * Reserved tenant id for secrets that belong to no tenant (e.g. instance-wide credentials).
 * Tenant ids are application-generated UUIDs, so this can never collide with a real tenant;
 * it still gets its own HKDF subkey and AAD like any tenant.
 */
export const SYSTEM_TENANT_ID = '__system__';
