/** How the service account signs in to EWS: NTLM (the default on-premises) or Basic. */
export type EwsAuthMode = 'ntlm' | 'basic';

/**
 * One tenant's EWS connection as the adapters use it: the endpoint, the service account (its
 * password in plain text only in memory), how it signs in, and the CA that signs the server's
 * certificate when it is the customer's own.
 */
export interface EwsConnection {
  serverUrl: string;
  username: string;
  password: string;
  authMode: EwsAuthMode;
  /** PEM of the CA(s) to trust for this server, besides the system's; null = system only. */
  caPem: string | null;
  /**
   * An EWS-only organisation's directory (ADR 0047): the Global Address List's GUID that
   * FindPeople pages, and the mailbox the request is made as (the connection's impersonation
   * address). Absent or null: no directory through EWS.
   */
  addressListId?: string | null;
  directoryMailbox?: string | null;
}

/** Where the adapters find a tenant's EWS connection (the SQL row, decrypted); null = none. */
export interface EwsConnectionSource {
  forTenant(tenantId: string): Promise<EwsConnection | null>;
}
