import { loadConfig } from '@app/config';
import {
  openDataSource,
  StripeEventEntity,
  SubscriptionEntity,
  TenantEntity,
} from '@app/persistence';
import { randomUUID } from 'node:crypto';
import Stripe from 'stripe';
import type { DataSource } from 'typeorm';
import { freePort, ScratchRedis } from './support/redis-server';
import { startService, type ServiceProcess } from './support/service-process';
import {
  billingEnv,
  StripeStandIn,
  stripeId,
  subscription,
  subscriptionEvent,
  TEST_SECRET_KEY,
  TEST_WEBHOOK_SECRET,
} from './support/stripe-fixtures';
import { serviceEnv } from './support/test-env';

/**
 * Acceptance 1, crash case: the API process is killed (SIGKILL) after storing an event and
 * before queueing it (its Redis is down, so the enqueue waits), and Redis comes back empty;
 * the worker's sweep then processes the event once.
 */
describe('a Stripe event survives a crash between storing and queueing (issue #23)', () => {
  let redis: ScratchRedis;
  let standIn: StripeStandIn;
  let dataSource: DataSource;
  let env: Record<string, string>;
  const services: ServiceProcess[] = [];

  beforeAll(async () => {
    redis = new ScratchRedis(await freePort());
    await redis.start();
    standIn = await new StripeStandIn().start();
    env = serviceEnv({ ...billingEnv(standIn.url), REDIS_URL: redis.url });
  });
  afterAll(async () => {
    for (const s of services) await s.stop();
    await dataSource?.destroy();
    await redis?.stop();
    await standIn?.stop();
  });

  /** Starts a worker process; resolves to the event's row once the worker is done with it (30 s). */
  async function processedByNewWorker(eventId: string): Promise<StripeEventEntity | null> {
    const worker = startService('apps/worker/src/main.ts', {
      ...env,
      MIGRATIONS_RUN_ON_START: 'false',
    });
    services.push(worker);
    await worker.listening(60_000);
    const events = dataSource.getRepository(StripeEventEntity);
    const until = Date.now() + 30_000;
    let row = await events.findOne({ where: { eventId } });
    while (row?.status === 'received') {
      if (Date.now() > until) throw new Error(`not processed:\n${worker.output()}`);
      await new Promise((r) => setTimeout(r, 50));
      row = await events.findOne({ where: { eventId } });
    }
    return row;
  }

  it('the sweep processes the stored event once after restart', async () => {
    const api = startService('apps/admin-api/src/main.ts', env);
    services.push(api);
    const port = await api.listening(60_000);
    dataSource = await openDataSource(loadConfig(env).config.database);
    const { tenantId, event, payload, header } = await signedSeatsEvent(dataSource, 'Crash', 21);

    await redis.stop();
    const answer = fetch(`http://127.0.0.1:${port}/api/billing/stripe/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': header },
      body: payload,
    }).catch((error: Error) => error);
    const events = dataSource.getRepository(StripeEventEntity);
    const deadline = Date.now() + 20_000;
    while (!(await events.findOne({ where: { eventId: event.id } }))) {
      if (Date.now() > deadline) throw new Error(`not stored:\n${api.output()}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    api.child.kill('SIGKILL');
    // No answer (the connection dropped): Stripe would retry, as a duplicate.
    expect(String(await answer)).toMatch(/fetch failed/);
    expect(await events.findOne({ where: { eventId: event.id } })).toMatchObject({
      status: 'received',
      attempts: 0,
    });

    await redis.start(); // empty: Redis lost its data
    const row = await processedByNewWorker(event.id);
    expect(row).toMatchObject({ status: 'processed', attempts: 1, outcome: 'applied' });
    expect(
      await dataSource.getRepository(SubscriptionEntity).findOne({ where: { tenantId } }),
    ).toMatchObject({
      status: 'active',
      seats: 21,
    });
  }, 180_000);

  it('answers 200 within the queueing bound while Redis is down; the sweep processes the event later', async () => {
    for (const s of services.splice(0)) await s.stop();
    const api = startService('apps/admin-api/src/main.ts', {
      ...env,
      MIGRATIONS_RUN_ON_START: 'false',
    });
    services.push(api);
    const port = await api.listening(60_000);
    const { tenantId, event, payload, header } = await signedSeatsEvent(
      dataSource,
      'Slow queue',
      22,
    );

    await redis.stop();
    const started = Date.now();
    const res = await fetch(`http://127.0.0.1:${port}/api/billing/stripe/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': header },
      body: payload,
    });
    const elapsed = Date.now() - started;
    const answer = await res.text();
    await redis.start(); // empty: what was queued while it was down is lost
    // Stored before the answer; the queueing waits at most 3 s, far below Stripe's timeout.
    expect([res.status, answer]).toEqual([
      200,
      JSON.stringify({ received: true, duplicate: false }),
    ]);
    expect(elapsed).toBeLessThan(6_000);
    const events = dataSource.getRepository(StripeEventEntity);
    expect(await events.findOne({ where: { eventId: event.id } })).toMatchObject({
      status: 'received',
      attempts: 0,
    });

    const row = await processedByNewWorker(event.id);
    expect(row).toMatchObject({ status: 'processed', attempts: 1, outcome: 'applied' });
    expect(
      await dataSource.getRepository(SubscriptionEntity).findOne({ where: { tenantId } }),
    ).toMatchObject({ status: 'active', seats: 22 });
    expect(api.output()).toMatch(/Stripe event stored but not queued/);
  }, 180_000);
});

/** A tenant row and a signed customer.subscription.updated for it, as Stripe would send it. */
async function signedSeatsEvent(dataSource: DataSource, displayName: string, seats: number) {
  const tenantId = (
    await dataSource.getRepository(TenantEntity).save(
      Object.assign(new TenantEntity(), {
        azureTenantId: randomUUID(),
        status: 'active',
        displayName,
      }),
    )
  ).id;
  const now = Math.floor(Date.now() / 1000);
  const event = subscriptionEvent(
    'customer.subscription.updated',
    subscription({
      id: stripeId('sub'),
      customer: stripeId('cus'),
      tenantId,
      status: 'active',
      seats,
      created: now - 60,
    }),
    now - 1,
  );
  const payload = JSON.stringify(event);
  const header = new Stripe(TEST_SECRET_KEY).webhooks.generateTestHeaderString({
    payload,
    secret: TEST_WEBHOOK_SECRET,
  });
  return { tenantId, event, payload, header };
}
