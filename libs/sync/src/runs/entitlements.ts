/** How many mailboxes a tenant may sync: the billing issue answers this; until then, unlimited. */
export interface Entitlements {
  mailboxLimit(tenantId: string): Promise<number | 'unlimited'>;
}

export const ENTITLEMENTS = Symbol('ENTITLEMENTS');

export class UnlimitedEntitlements implements Entitlements {
  async mailboxLimit(): Promise<'unlimited'> {
    return 'unlimited';
  }
}
