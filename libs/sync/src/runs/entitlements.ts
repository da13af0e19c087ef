import type { TypedToken } from '@app/config';

/** The mailboxes a run may sync, and those it must leave as they are (beyond the seats). */
export interface EntitledMailboxes {
  entitled: string[];
  /** Targeted but not covered by the tenant's seats: neither synced nor cleaned up. */
  frozen: string[];
}

/** What a run asks before it fans out: the run's target mailboxes, their names for the order. */
export interface EntitlementRequest {
  tenantId: string;
  runId: string;
  mailboxIds: readonly string[];
  /** A mailbox's sort name (principal name); the directory's users. */
  nameOf: (mailboxId: string) => string | undefined;
}

/** How many mailboxes a tenant may sync, and which (issue #23: SQL-backed seats when billed). */
export interface Entitlements {
  mailboxLimit(tenantId: string): Promise<number | 'unlimited'>;
  /** Chooses the entitled mailboxes and records what the run was not entitled to. */
  select(request: EntitlementRequest): Promise<EntitledMailboxes>;
}

export const ENTITLEMENTS = Symbol('ENTITLEMENTS') as TypedToken<Entitlements>;

/** Billing off (self-hosted): everything is entitled. */
export class UnlimitedEntitlements implements Entitlements {
  async mailboxLimit(): Promise<'unlimited'> {
    return 'unlimited';
  }

  async select(request: EntitlementRequest): Promise<EntitledMailboxes> {
    return { entitled: [...request.mailboxIds], frozen: [] };
  }
}
