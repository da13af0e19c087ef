import type { EwsConnection, EwsConnectionSource } from '@app/microsoft';
import type { EwsConnectionRepository } from '@app/persistence';

/**
 * A tenant's EWS connection from SQL, read when a job needs it (the password decrypted by the
 * repository, held in memory only for the job): a changed connection applies to the next job.
 */
export class SqlEwsConnectionSource implements EwsConnectionSource {
  constructor(private readonly repository: EwsConnectionRepository) {}

  async forTenant(tenantId: string): Promise<EwsConnection | null> {
    const row = await this.repository.findForTenant(tenantId);
    const password = row ? await this.repository.password(tenantId) : null;
    return row && password !== null
      ? {
          serverUrl: row.serverUrl,
          username: row.username,
          password,
          authMode: row.authMode === 'basic' ? 'basic' : 'ntlm',
          caPem: row.caCertificate ?? null,
          addressListId: row.addressListId ?? null,
          directoryMailbox: row.impersonationAddress ?? null,
        }
      : null;
  }
}
