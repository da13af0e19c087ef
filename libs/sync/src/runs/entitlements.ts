import type { TypedToken } from '@app/config';

/** How many mailboxes a tenant may sync: the billing issue answers this; until then, unlimited. */
export interface Entitlements {
  mailboxLimit(tenantId: string): Promise<number | 'unlimited'>;
}

export const ENTITLEMENTS = Symbol('ENTITLEMENTS') as TypedToken<Entitlements>;

export class UnlimitedEntitlements implements Entitlements {
  async mailboxLimit(): Promise<'unlimited'> {
    return 'unlimited';
  }
}
