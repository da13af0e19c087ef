import type { MailboxRef } from '@app/domain';
import type { LogStore } from '@app/logstore';
import type { DirectoryRecord, EwsMailboxAddresses } from '@app/microsoft';
import { DIRECTORY_CACHE_ID } from '../sources/directory-cache';

/** A tenant's addresses as last read, and the mailboxes found missing (when). */
interface TenantAddresses {
  at: number;
  mail: Map<string, string>;
  missing: Map<string, number>;
}

/**
 * An EWS-only organisation's mailbox addresses: its users come from the Global Address List,
 * keyed by an id derived from the primary address (ADR 0047), and the plan that targeted the
 * mailbox stored them in the directory cache; read from there, kept in memory for a minute
 * per tenant (one snapshot read per tenant and minute, not one per mailbox). A mailbox missing
 * from what was read makes one read more (the plan may have stored it since); missing from that
 * too (gone from the GAL), the answer is kept as long: not one snapshot read per ask.
 */
export class DirectoryMailboxAddresses implements EwsMailboxAddresses {
  private readonly byTenant = new Map<string, TenantAddresses>();

  constructor(
    private readonly logStore: LogStore,
    private readonly ttlMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  async addressOf(mailbox: MailboxRef): Promise<string | null> {
    const tenantId = mailbox.tenant.id;
    const id = mailbox.mailboxId;
    const now = this.now();
    const fresh = (at: number | undefined) => at !== undefined && now - at <= this.ttlMs;
    let hit = this.byTenant.get(tenantId);
    if (hit && fresh(hit.at)) {
      const address = hit.mail.get(id);
      if (address) return address;
      if (fresh(hit.missing.get(id))) return null;
    }
    hit = await this.load(tenantId, hit?.missing, fresh);
    const address = hit.mail.get(id);
    if (!address) hit.missing.set(id, now);
    return address ?? null;
  }

  private async load(
    tenantId: string,
    missingBefore: Map<string, number> | undefined,
    fresh: (at: number | undefined) => boolean,
  ): Promise<TenantAddresses> {
    const snapshot = await this.logStore.getSnapshot(tenantId, DIRECTORY_CACHE_ID);
    const mail = new Map<string, string>();
    for (const item of snapshot?.items ?? []) {
      const user = item.content as DirectoryRecord;
      if (typeof user.mail === 'string' && user.mail) mail.set(item.sourceKey, user.mail);
    }
    // Misses still fresh stay (bounded by the mailboxes asked for within the TTL).
    const missing = new Map(
      [...(missingBefore ?? [])].filter(([id, at]) => fresh(at) && !mail.has(id)),
    );
    const loaded = { at: this.now(), mail, missing };
    this.byTenant.set(tenantId, loaded);
    return loaded;
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
