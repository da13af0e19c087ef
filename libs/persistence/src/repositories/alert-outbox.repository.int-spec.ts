import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { AlertDeliveryEntity } from '../entities/alert-delivery.entity';
import { openMigratedScratch, type MigratedScratch } from '../testing/migrated-scratch';
import { saveTenant } from '../testing/save-tenant';
import { TEST_DATABASES } from '../testing/test-databases';
import { AlertOutboxRepository } from './alert-outbox.repository';

describe.each(TEST_DATABASES)('AlertOutboxRepository on %s', (_kind, makeDatabase) => {
  let scratch: MigratedScratch;
  let dataSource: DataSource;
  let outbox: AlertOutboxRepository;
  let tenantId: string;

  beforeAll(async () => {
    scratch = await openMigratedScratch(makeDatabase);
    dataSource = scratch.dataSource;
    outbox = new AlertOutboxRepository(dataSource.manager);
    tenantId = await saveTenant(dataSource);
  });
  afterAll(() => scratch?.close());

  const pending = (at: Date, subject = `list:${randomUUID()}`) =>
    Object.assign(new AlertDeliveryEntity(), {
      tenantId,
      dedupeKey: `run:${randomUUID()}`,
      subject,
      kind: 'run_failed',
      payload: '{}',
      state: 'pending' as const,
      emailState: 'none' as const,
      webhookState: 'pending' as const,
      attempts: 0,
      nextAttemptAt: at,
      leaseUntil: null,
      createdAt: at,
      updatedAt: at,
    });

  it('moves the cursor only from the position that was read', async () => {
    const name = `c${randomUUID().slice(0, 8)}`;
    const t0 = new Date('2026-12-01T10:00:00.123Z');
    expect(await outbox.cursor(name)).toBeNull();
    expect(await outbox.startCursor(name, t0)).toBe(true);
    expect(await outbox.startCursor(name, new Date())).toBe(false);
    const t1 = new Date('2026-12-01T10:05:00.456Z');
    expect(await outbox.moveCursor(name, t0, t1)).toBe(true);
    expect(await outbox.moveCursor(name, t0, new Date())).toBe(false); // someone else moved it
    expect((await outbox.cursor(name))?.toISOString()).toBe(t1.toISOString());
  });

  it('leases a due row to one deliverer until the lease expires; only the holder records', async () => {
    const now = new Date('2026-12-02T10:00:00.000Z');
    const row = pending(now);
    await outbox.insert(row);
    const lease = new Date(now.getTime() + 60_000);
    const [mine] = (await outbox.claimDue(now, lease, 100)).filter((r) => r.id === row.id);
    expect(mine).toBeDefined();
    // Another deliverer before the lease expires gets nothing of it.
    expect((await outbox.claimDue(now, lease, 100)).map((r) => r.id)).not.toContain(row.id);
    // After it expires (the holder crashed), another takes it over …
    const later = new Date(lease.getTime() + 1);
    const [theirs] = (await outbox.claimDue(later, new Date(later.getTime() + 60_000), 100)).filter(
      (r) => r.id === row.id,
    );
    expect(theirs).toBeDefined();
    // … and the first holder's late record is refused; the new holder's is written.
    const record = {
      state: 'delivered' as const,
      emailState: 'none' as const,
      webhookState: 'sent' as const,
      attempts: 1,
      nextAttemptAt: later,
      lastAttemptAt: later,
    };
    expect(await outbox.recordAttempt(mine, record)).toBe(false);
    expect(await outbox.recordAttempt(theirs, record)).toBe(true);
    expect(await outbox.get(row.id)).toMatchObject({ state: 'delivered', leaseUntil: null });
  });

  it('does not hand out rows that are not due yet, and knows dedupe keys and quiet subjects', async () => {
    const now = new Date('2026-12-03T10:00:00.000Z');
    const future = pending(new Date(now.getTime() + 30_000), 'list:quiet');
    await outbox.insert(future);
    expect(
      (await outbox.claimDue(now, new Date(now.getTime() + 1), 100)).map((r) => r.id),
    ).not.toContain(future.id);
    expect(await outbox.existingKeys([future.dedupeKey, 'run:none'])).toEqual(
      new Set([future.dedupeKey]),
    );
    expect(
      await outbox.alertedSince(tenantId, 'list:quiet', new Date(now.getTime() - 60_000)),
    ).toBe(true);
    expect(
      await outbox.alertedSince(tenantId, 'list:quiet', new Date(now.getTime() + 60_000)),
    ).toBe(false);
  });
});
