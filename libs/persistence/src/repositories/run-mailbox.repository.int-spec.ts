import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { MailboxStateEntity } from '../entities/mailbox-state.entity';
import { openMigratedScratch, type MigratedScratch } from '../testing/migrated-scratch';
import { TEST_DATABASES } from '../testing/test-databases';
import { saveTenant } from '../testing/save-tenant';
import { RunMailboxRepository } from './run-mailbox.repository';
import { SyncRunRepository } from './sync-run.repository';

describe.each(TEST_DATABASES)('RunMailboxRepository on %s', (_kind, makeDatabase) => {
  let scratch: MigratedScratch;
  let dataSource: DataSource;
  let runs: SyncRunRepository;
  let outcomes: RunMailboxRepository;
  let tenantId: string;
  let otherTenantId: string;

  beforeAll(async () => {
    scratch = await openMigratedScratch(makeDatabase);
    dataSource = scratch.dataSource;
    runs = new SyncRunRepository(dataSource);
    outcomes = new RunMailboxRepository(dataSource);
    tenantId = await saveTenant(dataSource);
    otherTenantId = await saveTenant(dataSource);
  });
  afterAll(() => scratch?.close());

  /** A planned run of a new list over `mailboxes` (each with a state row). */
  async function plannedRun(listId: string, mailboxes: string[], tenant = tenantId) {
    const { run } = await runs.start({
      tenantId: tenant,
      listId,
      listKind: 'contacts',
      trigger: 'manual',
      mode: 'sync',
      deadlineAt: new Date(Date.now() + 60_000),
    });
    for (const mailboxId of mailboxes)
      await dataSource
        .getRepository(MailboxStateEntity)
        .upsert(Object.assign(new MailboxStateEntity(), { tenantId: tenant, listId, mailboxId }), [
          'listId',
          'mailboxId',
        ]);
    await runs.planned(run.id, mailboxes.length);
    return run;
  }

  const mailboxIds = Array.from({ length: 7 }, (_, i) => `0000000${i}-0000-4000-8000-000000000000`);

  it('pages one run’s outcomes by mailbox id, filtered by outcome and code, never another tenant’s', async () => {
    const listId = randomUUID();
    const run = await plannedRun(listId, mailboxIds);
    for (const [i, mailboxId] of mailboxIds.entries()) {
      const failed = i % 3 === 0;
      await runs.recordMailbox({
        runId: run.id,
        tenantId,
        listId,
        mailboxId,
        outcome: failed ? 'failed' : 'succeeded',
        counts: { created: i, updated: 0, deleted: 0 },
        code: failed ? (i === 0 ? 'MAILBOX_NOT_FOUND' : 'WRITE_FAILED') : 'MAILBOX_SYNCED',
        message: failed ? 'x'.repeat(900) : 'changed',
      });
    }
    const seen: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await outcomes.pageOfRun(tenantId, run.id, { limit: 3, afterMailboxId: after });
      seen.push(...page.map((o) => o.mailboxId));
      if (page.length < 3) break;
      after = page[page.length - 1].mailboxId;
    }
    expect(seen).toEqual(mailboxIds);
    const failed = await outcomes.pageOfRun(tenantId, run.id, { limit: 50, outcome: 'failed' });
    expect(failed.map((o) => o.mailboxId)).toEqual([mailboxIds[0], mailboxIds[3], mailboxIds[6]]);
    expect(failed[0].message).toHaveLength(500);
    const notFound = await outcomes.pageOfRun(tenantId, run.id, {
      limit: 50,
      outcome: 'failed',
      code: 'MAILBOX_NOT_FOUND',
    });
    expect(notFound.map((o) => [o.mailboxId, o.itemsCreated])).toEqual([[mailboxIds[0], 0]]);
    expect(await outcomes.outcomeCounts(tenantId, run.id)).toEqual({
      succeeded: 4,
      failed: 3,
      skipped: 0,
      cancelled: 0,
    });
    expect(await outcomes.pageOfRun(otherTenantId, run.id, { limit: 50 })).toEqual([]);
  });

  it('gives a mailbox’s history across runs newest first, paged, and knows only the tenant’s mailboxes', async () => {
    const mailboxId = randomUUID();
    const listA = randomUUID();
    const listB = randomUUID();
    const recorded: string[] = [];
    for (const [i, listId] of [listA, listB, listA, listB, listA].entries()) {
      const run = await plannedRun(listId, [mailboxId]);
      await runs.recordMailbox({
        runId: run.id,
        tenantId,
        listId,
        mailboxId,
        outcome: i === 4 ? 'cancelled' : 'succeeded',
        counts: { created: 1, updated: 0, deleted: 0 },
        code: i === 4 ? 'RUN_CANCELLED' : 'MAILBOX_SYNCED',
      });
      recorded.unshift(run.id);
    }
    const pages: string[] = [];
    let before: { at: Date; id: string } | undefined;
    for (;;) {
      const page = await outcomes.historyOfMailbox(tenantId, mailboxId, { limit: 2, before });
      pages.push(...page.map((o) => o.runId));
      if (page.length < 2) break;
      const last = page[page.length - 1];
      before = { at: last.finishedAt, id: last.id };
    }
    expect(new Set(pages)).toEqual(new Set(recorded));
    expect(pages).toHaveLength(5);
    const ofA = await outcomes.historyOfMailbox(tenantId, mailboxId, { limit: 10, listId: listA });
    expect(ofA.map((o) => o.listId)).toEqual([listA, listA, listA]);
    expect(ofA.map((o) => o.finishedAt.getTime())).toEqual(
      [...ofA.map((o) => o.finishedAt.getTime())].sort((a, b) => b - a),
    );
    expect(await outcomes.knowsMailbox(tenantId, mailboxId)).toBe(true);
    expect(await outcomes.knowsMailbox(otherTenantId, mailboxId)).toBe(false);
    expect(await outcomes.historyOfMailbox(otherTenantId, mailboxId, { limit: 10 })).toEqual([]);
  });

  it('purges outcomes past retention in bounded batches, oldest first, keeping the runs', async () => {
    const listId = randomUUID();
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    const run = await plannedRun(listId, ids);
    for (const mailboxId of ids)
      await runs.recordMailbox({
        runId: run.id,
        tenantId,
        listId,
        mailboxId,
        outcome: 'succeeded',
        counts: { created: 0, updated: 0, deleted: 0 },
      });
    const all = () => outcomes.pageOfRun(tenantId, run.id, { limit: 10 });
    const finished = (await all()).map((o) => o.finishedAt.getTime());
    // Everything older than these (the other tests' outcomes) goes, in batches of at most 2.
    const drain = async (before: Date) => {
      let purged = 0;
      for (let n; (n = await runs.purgeOutcomes(before, 2)) > 0; purged += n)
        expect(n).toBeLessThanOrEqual(2);
      return purged;
    };
    expect(await drain(new Date(Math.min(...finished)))).toBeGreaterThan(2);
    expect(await all()).toHaveLength(3);
    expect(await drain(new Date(Math.max(...finished) + 1))).toBe(3);
    expect(await all()).toEqual([]);
    expect(await runs.get(tenantId, run.id)).not.toBeNull();
  });

  it('records the mailboxes a lost run never heard from as failed with RUN_LOST', async () => {
    const listId = randomUUID();
    const ids = [randomUUID(), randomUUID(), randomUUID()].sort();
    const run = await plannedRun(listId, ids);
    await runs.recordMailbox({
      runId: run.id,
      tenantId,
      listId,
      mailboxId: ids[0],
      outcome: 'succeeded',
      counts: { created: 1, updated: 0, deleted: 0 },
    });
    expect(await runs.closeLost(run.id)).toEqual({ closed: true, lostMailboxes: 2 });
    const rows = await outcomes.pageOfRun(tenantId, run.id, { limit: 10 });
    expect(rows.map((o) => [o.mailboxId, o.outcome, o.code])).toEqual([
      [ids[0], 'succeeded', null],
      [ids[1], 'failed', 'RUN_LOST'],
      [ids[2], 'failed', 'RUN_LOST'],
    ]);
  });
});
