import { BillingAccountService } from '@app/billing';
import { LOG_STORE, type LogStore } from '@app/logstore';
import { MailboxStateEntity, StripeEventRepository } from '@app/persistence';
import type Stripe from 'stripe';
import { Fleet, tag, type SimUser } from './support/fleet';
import {
  billingEnv,
  invoice,
  invoiceEvent,
  StripeStandIn,
  stripeId,
  subscription,
  subscriptionEvent,
} from './support/stripe-fixtures';

/**
 * Acceptance 2 of issue #23: seats gate the planner. The fleet (worker, simulator over HTTPS,
 * SQLite, real Redis) with billing on; subscription changes arrive as typed Stripe events,
 * stored as the webhook stores them and processed by the worker's stripe-event queue (the
 * webhook's HTTP side is covered by billing-webhook.e2e-spec.ts).
 */
describe('entitlements gate the planner (issue #23)', () => {
  let fleet: Fleet;
  let standIn: StripeStandIn;
  let targets: SimUser[];
  let people: SimUser[];
  let listId: string;
  const subscriptionId = stripeId('sub');
  const customer = stripeId('cus');
  let clock = Math.floor(Date.now() / 1000) - 3_600;

  beforeAll(async () => {
    standIn = await new StripeStandIn().start();
    fleet = await Fleet.start({ env: billingEnv(standIn.url) });
    const users = (await fleet.users()).filter((u) => {
      // The simulator's inspection view (flat): users the planner counts as mailboxes.
      const v = u as unknown as Record<string, unknown>;
      return (
        v.mailbox === 'cloud' &&
        v.purpose === 'user' &&
        v.accountEnabled !== false &&
        typeof v.mail === 'string' &&
        v.licensed === true &&
        !v.deleted
      );
    });
    expect(users.length).toBeGreaterThanOrEqual(25);
    targets = users.slice(0, 25);
    people = users.slice(0, 3);
    const filter = {
      include: [
        {
          when: [{ type: 'attribute', path: 'id', operator: 'in', value: people.map((p) => p.id) }],
        },
      ],
    };
    listId = await fleet.createList(
      'Billed list',
      { sources: [{ id: 'dir', kind: 'directory', filter }] },
      targets.map((t) => ({ kind: 'user' as const, mode: 'include' as const, value: t.id })),
    );
  }, 120_000);
  afterAll(async () => {
    await fleet?.queues.stripeEvent.obliterate({ force: true }).catch(() => undefined);
    await fleet?.stop();
    await standIn?.stop();
  });

  const upn = (u: SimUser) =>
    String((u as unknown as Record<string, unknown>).userPrincipalName).toLowerCase();
  /** Targets in seat order: by principal name (none synced before the first run). */
  const byName = () => [...targets].sort((a, b) => (upn(a) < upn(b) ? -1 : 1));
  const syncedIds = async () =>
    (
      await fleet.dataSource
        .getRepository(MailboxStateEntity)
        .find({ where: { listId, status: 'in_sync' } })
    )
      .map((s) => s.mailboxId)
      .sort();
  /** The run's billing line (warn) as the run's logs show it. */
  const billingLines = async (runId: string) =>
    (await fleet.worker!.get<LogStore>(LOG_STORE).queryLogs(fleet.tenantId, { runId })).items
      .filter((l) => l.code === 'MAILBOXES_UNENTITLED' || l.code === 'BILLING_SYNC_STOPPED')
      .map((l) => ({ level: l.level, code: l.code, message: l.message }));
  /** What GET /api/billing answers (the same service). */
  const overview = () => fleet.worker!.get(BillingAccountService).overview(fleet.tenantId);
  const ourContacts = async (mailboxId: string) =>
    (await fleet.contacts(mailboxId)).filter((c) => tag(c, 'CsListId') === listId);

  /** A Stripe event stored as the webhook stores it, then queued; resolves once processed. */
  async function deliver(event: Stripe.Event): Promise<void> {
    const events = new StripeEventRepository(fleet.dataSource.manager);
    const stored = await events.store({
      eventId: event.id,
      type: event.type,
      tenantId: null,
      createdAt: new Date(event.created * 1000),
      payload: JSON.stringify(event),
    });
    await fleet.queues.enqueueStripeEvent({ eventRowId: stored.row.id });
    const deadline = Date.now() + 20_000;
    while ((await events.find(stored.row.id))?.status === 'received') {
      if (Date.now() > deadline) throw new Error('event not processed');
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  const subscriptionChange = (
    status: Stripe.Subscription.Status,
    seats: number,
    endedAt?: number,
  ) => {
    clock += 60;
    return subscriptionEvent(
      status === 'canceled' ? 'customer.subscription.deleted' : 'customer.subscription.updated',
      subscription({
        id: subscriptionId,
        customer,
        tenantId: fleet.tenantId,
        status,
        seats,
        created: clock - 3_000,
        endedAt,
      }),
      clock,
    );
  };

  it('without a subscription syncs the 10 first by name and reports 15 unentitled in the preview and the run', async () => {
    const preview = await fleet.runNow(listId, 'dry_run');
    expect(preview.mailboxesUnentitled).toBe(15);
    expect(preview.billingStatus).toBe('free');
    const run = await fleet.runNow(listId);
    expect(run).toMatchObject({
      status: 'succeeded',
      mailboxesTotal: 10,
      mailboxesUnentitled: 15,
      billingStatus: 'free',
    });
    expect(await syncedIds()).toEqual(
      byName()
        .slice(0, 10)
        .map((u) => u.id)
        .sort(),
    );
    expect(await billingLines(run.id)).toEqual([
      {
        level: 'warn',
        code: 'MAILBOXES_UNENTITLED',
        message:
          '15 targeted mailboxes exceed the 10 mailboxes of the free plan: they are left as they are, not synced',
      },
    ]);
  }, 180_000);

  it('a subscription for 25 seats (customer.subscription.updated) syncs all 25 on the next run', async () => {
    await deliver(subscriptionChange('active', 25));
    const run = await fleet.runNow(listId);
    expect(run).toMatchObject({
      mailboxesTotal: 25,
      mailboxesUnentitled: 0,
      billingStatus: 'active',
    });
    expect(await syncedIds()).toHaveLength(25);
  }, 180_000);

  it('lowering to 12 seats freezes the last 13 and deletes nothing', async () => {
    await deliver(subscriptionChange('active', 12));
    const frozen = byName().slice(12);
    const before = await ourContacts(frozen[0].id);
    expect(before).toHaveLength(3);
    const run = await fleet.runNow(listId);
    expect(run).toMatchObject({ mailboxesTotal: 12, mailboxesUnentitled: 13, itemsDeleted: 0 });
    expect(await ourContacts(frozen[0].id)).toHaveLength(3);
    expect(await ourContacts(frozen[12].id)).toHaveLength(3);
    // Their states stay: nothing was cleaned up.
    expect(await syncedIds()).toHaveLength(25);
  }, 180_000);

  it('invoice.payment_failed keeps syncing through the grace period and deletes nothing', async () => {
    clock += 60;
    await deliver(
      invoiceEvent(
        'invoice.payment_failed',
        invoice({ customer, subscription: subscriptionId, created: clock }),
        clock,
      ),
    );
    const run = await fleet.runNow(listId);
    expect(run).toMatchObject({
      mailboxesTotal: 12,
      mailboxesUnentitled: 13,
      itemsDeleted: 0,
      billingStatus: 'past_due',
    });
    expect(await overview()).toMatchObject({
      status: 'past_due',
      mailboxLimit: 12,
      inGrace: true,
      notice: 'payment_failed',
    });
  }, 180_000);

  it('cancellation after the grace period stops syncing with a clear status and deletes nothing', async () => {
    // Ended 8 days ago: the 7-day grace is over.
    await deliver(subscriptionChange('canceled', 12, Math.floor(Date.now() / 1000) - 8 * 86_400));
    const run = await fleet.runNow(listId);
    expect(run).toMatchObject({
      mailboxesTotal: 0,
      mailboxesUnentitled: 25,
      itemsDeleted: 0,
      billingStatus: 'canceled',
    });
    for (const u of [byName()[0], byName()[24]]) expect(await ourContacts(u.id)).toHaveLength(3);
    // The admin is told, in the run and on the billing screen, and may clean up.
    expect(await billingLines(run.id)).toEqual([
      {
        level: 'warn',
        code: 'BILLING_SYNC_STOPPED',
        message:
          'billing is canceled: no mailbox is synced; 25 mailboxes are left as they are (nothing is deleted; an admin may clean up)',
      },
    ]);
    expect(await overview()).toMatchObject({
      status: 'canceled',
      mailboxLimit: 0,
      inGrace: false,
      notice: 'canceled',
      syncedMailboxes: 25,
    });
  }, 180_000);
});
