import type { MailboxRef } from '@app/domain';
import type { GraphGateway } from '../graph/graph-gateway';
import type { EwsMailboxAddresses } from './ews-mailbox-addresses';

/**
 * A hybrid tenant's mailbox addresses from its directory through Graph (the user's `mail`, else
 * its UPN), one request per mailbox, kept in memory for an hour.
 */
export class GraphMailboxAddresses implements EwsMailboxAddresses {
  private readonly cache = new Map<string, { address: string | null; at: number }>();

  constructor(private readonly graph: GraphGateway) {}

  async addressOf(mailbox: MailboxRef): Promise<string | null> {
    const key = `${mailbox.tenant.id}/${mailbox.mailboxId}`;
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.at < 3600_000) return hit.address;
    const res = await this.graph.request<{
      mail?: string | null;
      userPrincipalName?: string | null;
    }>(mailbox.tenant, {
      method: 'GET',
      path: `/users/${mailbox.mailboxId}?$select=mail,userPrincipalName`,
    });
    const address =
      res.status === 200 ? (res.body.mail ?? res.body.userPrincipalName ?? null) : null;
    if (res.status === 200 || res.status === 404) this.cache.set(key, { address, at: Date.now() });
    return address;
  }
}
