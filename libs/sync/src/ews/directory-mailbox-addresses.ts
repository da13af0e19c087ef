import type { MailboxRef } from '@app/domain';
import type { LogStore } from '@app/logstore';
import type { DirectoryRecord, EwsMailboxAddresses } from '@app/microsoft';
import { DIRECTORY_CACHE_ID } from '../sources/directory-cache';

/**
 * An EWS-only organisation's mailbox addresses: its users come from the Global Address List,
 * keyed by an id derived from the primary address (ADR 0047), and the plan that targeted the
 * mailbox stored them in the directory cache; read from there, kept in memory for a minute
 * per tenant (one snapshot read per tenant and minute, not one per mailbox).
 */
export class DirectoryMailboxAddresses implements EwsMailboxAddresses {
  private readonly byTenant = new Map<string, { at: number; mail: Map<string, string> }>();

  constructor(
    private readonly logStore: LogStore,
    private readonly ttlMs = 60_000,
  ) {}

  async addressOf(mailbox: MailboxRef): Promise<string | null> {
    const tenantId = mailbox.tenant.id;
    let hit = this.byTenant.get(tenantId);
    if (!hit || Date.now() - hit.at > this.ttlMs || !hit.mail.has(mailbox.mailboxId)) {
      const snapshot = await this.logStore.getSnapshot(tenantId, DIRECTORY_CACHE_ID);
      const mail = new Map<string, string>();
      for (const item of snapshot?.items ?? []) {
        const user = item.content as DirectoryRecord;
        if (typeof user.mail === 'string' && user.mail) mail.set(item.sourceKey, user.mail);
      }
      hit = { at: Date.now(), mail };
      this.byTenant.set(tenantId, hit);
    }
    return hit.mail.get(mailbox.mailboxId) ?? null;
  }
}

/** A hybrid tenant's addresses from Graph, an EWS-only organisation's from its GAL. */
export class TenantMailboxAddresses implements EwsMailboxAddresses {
  constructor(
    private readonly graph: EwsMailboxAddresses,
    private readonly directory: EwsMailboxAddresses,
  ) {}

  addressOf(mailbox: MailboxRef): Promise<string | null> {
    return (mailbox.tenant.azureTenantId ? this.graph : this.directory).addressOf(mailbox);
  }
}
