// The tenant an MSP operator acts for (X-Tenant-Id on every request), kept for the browser
// tab's session only: another tab may act for another tenant, and signing out forgets it.
const KEY = 'contact-sync.acting-tenant';

function storage(): Storage | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage;
  } catch {
    return null;
  }
}

/** Our tenant id the operator acts for (from GET /api/operator/tenants), or null: their own. */
export function actingTenant(): string | null {
  return storage()?.getItem(KEY) ?? null;
}

export function setActingTenant(tenantId: string | null): void {
  const s = storage();
  if (!s) return;
  if (tenantId) s.setItem(KEY, tenantId);
  else s.removeItem(KEY);
}
