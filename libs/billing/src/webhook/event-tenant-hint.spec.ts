import type Stripe from 'stripe';
import { eventTenantHint } from './event-tenant-hint';

describe('eventTenantHint', () => {
  const tenant = '0f0e0d0c-0000-4000-8000-000000000001';
  const event = (object: object) => ({ data: { object } }) as unknown as Stripe.Event;

  it("finds our tenant id on a Checkout Session, a subscription's metadata or an invoice's parent", () => {
    expect(eventTenantHint(event({ client_reference_id: tenant }))).toBe(tenant);
    expect(eventTenantHint(event({ metadata: { tenant_id: tenant } }))).toBe(tenant);
    expect(
      eventTenantHint(
        event({ parent: { subscription_details: { metadata: { tenant_id: tenant } } } }),
      ),
    ).toBe(tenant);
  });

  it('ignores what is not one of our ids', () => {
    expect(eventTenantHint(event({ client_reference_id: 'someone-else' }))).toBeNull();
    expect(eventTenantHint(event({ metadata: {} }))).toBeNull();
  });
});
