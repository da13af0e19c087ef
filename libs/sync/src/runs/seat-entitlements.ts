import type { BillingConfig } from '@app/config';
import { chooseEntitledMailboxes, entitlementOf, type Entitlement } from '@app/domain';
import type { LogStore } from '@app/logstore';
import type { BillingUsageRepository, SubscriptionRepository } from '@app/persistence';
import type { EntitledMailboxes, EntitlementRequest, Entitlements } from './entitlements';

/**
 * Seats from SQL (the subscription row the Stripe webhooks keep): the tenant-wide limit covers
 * the mailboxes already synced first, then the others by name (ADR 0037). A run records how
 * many of its targets were not entitled and the billing status; frozen mailboxes keep what
 * they have.
 */
export class SeatEntitlements implements Entitlements {
  constructor(
    private readonly subscriptions: SubscriptionRepository,
    private readonly usage: BillingUsageRepository,
    private readonly logStore: LogStore,
    private readonly billing: Pick<BillingConfig, 'freeMailboxes'>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async entitlement(tenantId: string): Promise<Entitlement> {
    const row = await this.subscriptions.findByTenant(tenantId);
    return entitlementOf(row, this.billing.freeMailboxes, this.now());
  }

  async mailboxLimit(tenantId: string): Promise<number> {
    return (await this.entitlement(tenantId)).mailboxLimit;
  }

  async select(request: EntitlementRequest): Promise<EntitledMailboxes> {
    const { tenantId, runId, mailboxIds, nameOf } = request;
    const entitlement = await this.entitlement(tenantId);
    const synced = await this.usage.syncedMailboxes(tenantId);
    const name = (id: string) => (nameOf(id) ?? id).toLowerCase();
    const candidates = [
      ...[...synced.keys()].map((id) => ({ id, name: name(id), synced: true })),
      ...mailboxIds.map((id) => ({ id, name: name(id), synced: synced.has(id) })),
    ];
    const chosen = chooseEntitledMailboxes(mailboxIds, candidates, entitlement.mailboxLimit);
    await this.usage.recordRunEntitlement(runId, chosen.frozen.length, entitlement.status);
    if (chosen.frozen.length > 0)
      await this.logStore.appendLogs(tenantId, [
        {
          runId,
          level: 'warn',
          code: entitlement.mailboxLimit === 0 ? 'BILLING_SYNC_STOPPED' : 'MAILBOXES_UNENTITLED',
          message:
            entitlement.mailboxLimit === 0
              ? `billing is ${entitlement.status}: no mailbox is synced; ${chosen.frozen.length} mailboxes are left as they are (nothing is deleted; an admin may clean up)`
              : `${chosen.frozen.length} targeted mailboxes exceed the ${entitlement.mailboxLimit} mailboxes of the ${entitlement.status} plan: they are left as they are, not synced`,
        },
      ]);
    return chosen;
  }
}
