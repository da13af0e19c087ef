/** Who makes a change, within which tenant (our tenant row id), as the audit log records it. */
export interface AuditActor {
  tenantId: string;
  type: 'admin' | 'api_token' | 'operator' | 'system';
  /** Entra object id of the admin, the API token's id, or `${tid}/${oid}` of an MSP operator. */
  id: string;
}
