import type { GraphGateway } from '../graph/graph-gateway';
import type { TenantRef } from '../graph/graph-types';

/** Application permissions Exchange can also grant per mailbox (RBAC for Applications). */
export const MAILBOX_PERMISSIONS = ['Contacts.ReadWrite', 'Calendars.ReadWrite'] as const;

export type MailboxAccessSource = 'entra' | 'exchange_rbac' | 'unverified';

/**
 * How our app reaches a tenant's mailboxes, checked at consent. With the permissions in the
 * app token's `roles`, Entra ID grants them tenant-wide. Without them the tenant may have left
 * mailbox access to Exchange's RBAC for Applications, whose grants never show in the token
 * (https://learn.microsoft.com/en-us/exchange/permissions-exo/application-rbac): so a mailbox is
 * probed (one read of its contact folders) instead of declaring the permission missing. A
 * refused probe proves nothing about other mailboxes (`unverified`): runs then report each
 * mailbox outside the app's scope as MAILBOX_OUT_OF_SCOPE.
 */
export class MailboxAccessCheck {
  constructor(private readonly graph: GraphGateway) {}

  async check(
    tenant: TenantRef,
    roles: readonly string[],
    probeMailboxId: string,
  ): Promise<MailboxAccessSource> {
    if (MAILBOX_PERMISSIONS.every((p) => roles.includes(p))) return 'entra';
    try {
      const res = await this.graph.request(tenant, {
        method: 'GET',
        path: `/users/${encodeURIComponent(probeMailboxId)}/contactFolders?$top=1&$select=id`,
      });
      return res.status === 200 ? 'exchange_rbac' : 'unverified';
    } catch {
      return 'unverified';
    }
  }
}
