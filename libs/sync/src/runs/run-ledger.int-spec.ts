import { MailboxStateEntity, MailboxStateRepository, SyncRunEntity } from '@app/persistence';
import {
  openMigratedScratch,
  type MigratedScratch,
} from '@app/persistence/testing/migrated-scratch';
import { saveTenant } from '@app/persistence/testing/save-tenant';
import { TEST_DATABASES } from '@app/persistence/testing/test-databases';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { RunLedger } from './run-ledger';

describe.each(TEST_DATABASES)('RunLedger on %s', (_kind, makeDatabase) => {
  let scratch: MigratedScratch;
  let dataSource: DataSource;
  let ledger: RunLedger;
  let tenantId: string;

  beforeAll(async () => {
    scratch = await openMigratedScratch(makeDatabase);
    dataSource = scratch.dataSource;
    ledger = new RunLedger(dataSource);
    tenantId = await saveTenant(dataSource);
  });
  afterAll(() => scratch?.close());

  const start = (listId: string, mode: 'sync' | 'dry_run' = 'sync') =>
    ledger.start({
      tenantId,
      listId,
      listKind: 'contacts',
      trigger: 'manual',
      mode,
      deadlineAt: new Date(Date.now() + 60_000),
    });

  async function mailbox(listId: string, mailboxId: string) {
    await dataSource
      .getRepository(MailboxStateEntity)
      .insert(Object.assign(new MailboxStateEntity(), { tenantId, listId, mailboxId }));
  }

  it('merges a second trigger into the active run, but lets a preview run beside it', async () => {
    const listId = randomUUID();
    const first = await start(listId);
    expect(first.merged).toBe(false);
    const second = await start(listId);
    expect(second).toMatchObject({ merged: true, run: { id: first.run.id } });
    const preview = await start(listId, 'dry_run');
    expect(preview.merged).toBe(false);
    expect(preview.run.id).not.toBe(first.run.id);
  });

  it('counts each mailbox once, however often its job reports, and closes with the last one', async () => {
    const listId = randomUUID();
    const { run } = await start(listId);
    await mailbox(listId, 'm1');
    await mailbox(listId, 'm2');
    await ledger.planned(run.id, 2);
    const counts = { created: 3, updated: 1, deleted: 0 };
    expect(
      await ledger.recordMailbox(
        { runId: run.id, tenantId, listId, mailboxId: 'm1', outcome: 'succeeded', counts },
        { status: 'in_sync', deltaLink: 'first report' },
      ),
    ).toEqual({ counted: true, closed: false, counts });
    // A duplicate report changes neither the run nor the mailbox's state.
    expect(
      await ledger.recordMailbox(
        { runId: run.id, tenantId, listId, mailboxId: 'm1', outcome: 'succeeded', counts },
        { status: 'failed', deltaLink: 'second report' },
      ),
    ).toEqual({ counted: false, closed: false });
    expect(
      await dataSource
        .getRepository(MailboxStateEntity)
        .findOneByOrFail({ tenantId, listId, mailboxId: 'm1' }),
    ).toMatchObject({ status: 'in_sync', deltaLink: 'first report', lastRunId: run.id });
    expect(
      await ledger.recordMailbox({
        runId: run.id,
        tenantId,
        listId,
        mailboxId: 'm2',
        outcome: 'failed',
        counts: { created: 0, updated: 0, deleted: 0 },
      }),
    ).toEqual({ counted: true, closed: true, counts: { created: 0, updated: 0, deleted: 0 } });
    const closed = await ledger.get(tenantId, run.id);
    expect(closed).toMatchObject({
      status: 'partial',
      mailboxesSucceeded: 1,
      mailboxesFailed: 1,
      itemsCreated: 3,
      itemsUpdated: 1,
      activeListId: null,
    });
    expect(closed!.finishedAt).toBeInstanceOf(Date);
    // The list is free again.
    expect((await start(listId)).merged).toBe(false);
  });

  it("adds what earlier attempts saved as progress once, drops an older run's, and counts a lost mailbox's", async () => {
    const states = new MailboxStateRepository(dataSource.manager);
    const listId = randomUUID();
    const older = (await start(listId)).run;
    await mailbox(listId, 'm1');
    await mailbox(listId, 'm2');
    const state = (mailboxId: string) =>
      dataSource.getRepository(MailboxStateEntity).findOneByOrFail({ tenantId, listId, mailboxId });
    const m1 = await state('m1');
    // An attempt of an older run saved progress and its run never counted the mailbox.
    await states.updateWithProgress(m1.id, {}, older.id, { created: 50, updated: 0, deleted: 0 });
    await ledger.fail(older.id, 'TEST', 'ended');
    const { run } = await start(listId);
    await ledger.planned(run.id, 2);
    // Two attempts of this run: throttled after 20 creates, then after 15 more and 2 deletes.
    await states.updateWithProgress(m1.id, { deltaLink: 'a' }, run.id, {
      created: 20,
      updated: 0,
      deleted: 0,
    });
    await states.updateWithProgress(m1.id, { deltaLink: 'b' }, run.id, {
      created: 15,
      updated: 0,
      deleted: 2,
    });
    expect(await state('m1')).toMatchObject({
      deltaLink: 'b',
      progressRunId: run.id,
      progressCreated: 35,
      progressDeleted: 2,
    });
    // The last attempt created 25 more, and a swap turned one saved create into an update.
    const recorded = await ledger.recordMailbox({
      runId: run.id,
      tenantId,
      listId,
      mailboxId: 'm1',
      outcome: 'succeeded',
      counts: { created: 24, updated: 1, deleted: 0 },
      message: (c) => `changed: ${c.created} created`,
    });
    expect(recorded).toEqual({
      counted: true,
      closed: false,
      counts: { created: 59, updated: 1, deleted: 2 },
    });
    // A late attempt's progress after the claim counts nowhere.
    await states.updateWithProgress(m1.id, {}, run.id, { created: 7, updated: 0, deleted: 0 });
    expect(
      await ledger.recordMailbox({
        runId: run.id,
        tenantId,
        listId,
        mailboxId: 'm1',
        outcome: 'succeeded',
        counts: { created: 0, updated: 0, deleted: 0 },
      }),
    ).toEqual({ counted: false, closed: false });
    // m2's job saved progress, then Redis lost it: the run closes as lost with m2's items.
    await states.updateWithProgress((await state('m2')).id, {}, run.id, {
      created: 9,
      updated: 0,
      deleted: 0,
    });
    expect(await ledger.closeLost(run.id)).toEqual({ closed: true, lostMailboxes: 1 });
    expect(await ledger.get(tenantId, run.id)).toMatchObject({
      status: 'partial',
      itemsCreated: 68,
      itemsUpdated: 1,
      itemsDeleted: 2,
    });
    const rows = (await dataSource.query(
      `SELECT mailbox_id, items_created, message FROM run_mailbox WHERE run_id = '${run.id}' ORDER BY mailbox_id`,
    )) as Array<{ mailbox_id: string; items_created: number | string; message: string }>;
    expect(rows.map((r) => [r.mailbox_id, Number(r.items_created)])).toEqual([
      ['m1', 59],
      ['m2', 9],
    ]);
    expect(rows[0].message).toBe('changed: 59 created');
  });

  it('closes a run without mailboxes at once, and a late run at its deadline', async () => {
    const empty = (await start(randomUUID())).run;
    await ledger.planned(empty.id, 0);
    expect((await ledger.get(tenantId, empty.id))!.status).toBe('succeeded');

    const listId = randomUUID();
    const late = (await start(listId)).run;
    await mailbox(listId, 'm1');
    await ledger.planned(late.id, 3);
    await ledger.recordMailbox({
      runId: late.id,
      tenantId,
      listId,
      mailboxId: 'm1',
      outcome: 'succeeded',
      counts: { created: 1, updated: 0, deleted: 0 },
    });
    expect(await ledger.closeAtDeadline(late.id)).toBe(true);
    expect(await ledger.closeAtDeadline(late.id)).toBe(false);
    expect(await ledger.get(tenantId, late.id)).toMatchObject({
      status: 'partial',
      errorCode: 'DEADLINE_EXCEEDED',
      activeListId: null,
    });
  });

  it('cancels an active run once: the list is free, the plan and a late failure change nothing, a stopped mailbox counts its items only', async () => {
    const listId = randomUUID();
    const { run } = await start(listId);
    await mailbox(listId, 'm1');
    await mailbox(listId, 'm2');
    await mailbox(listId, 'm3');
    expect(await ledger.planned(run.id, 3)).toBe(true);
    await ledger.recordMailbox({
      runId: run.id,
      tenantId,
      listId,
      mailboxId: 'm1',
      outcome: 'succeeded',
      counts: { created: 2, updated: 0, deleted: 0 },
    });
    expect(await ledger.cancel(randomUUID(), run.id)).toBe(false); // another tenant's run
    expect(await ledger.statusOf(run.id)).toBe('running');
    expect(await ledger.cancel(tenantId, run.id)).toBe(true);
    expect(await ledger.cancel(tenantId, run.id)).toBe(false);
    expect(await ledger.statusOf(run.id)).toBe('cancelled');
    // The job that was writing stops between two batches and records what it wrote.
    await ledger.recordMailbox({
      runId: run.id,
      tenantId,
      listId,
      mailboxId: 'm2',
      outcome: 'cancelled',
      counts: { created: 5, updated: 0, deleted: 0 },
      code: 'RUN_CANCELLED',
      message: 'stopped',
    });
    // A job that finished anyway: counted, but the run stays cancelled.
    await ledger.recordMailbox({
      runId: run.id,
      tenantId,
      listId,
      mailboxId: 'm3',
      outcome: 'succeeded',
      counts: { created: 1, updated: 0, deleted: 0 },
    });
    await ledger.fail(run.id, 'PLAN_FAILED', 'late');
    expect(await ledger.closeAtDeadline(run.id)).toBe(false);
    expect(await ledger.closeLost(run.id)).toEqual({ closed: false, lostMailboxes: 0 });
    expect(await ledger.get(tenantId, run.id)).toMatchObject({
      status: 'cancelled',
      errorCode: 'RUN_CANCELLED',
      activeListId: null,
      mailboxesSucceeded: 2,
      mailboxesFailed: 0,
      itemsCreated: 8,
    });
    expect((await start(listId)).merged).toBe(false);

    // A run cancelled before it was planned stays cancelled: the planner enqueues nothing.
    const queued = (await start(randomUUID())).run;
    expect(await ledger.cancel(tenantId, queued.id)).toBe(true);
    expect(await ledger.planned(queued.id, 4)).toBe(false);
    expect((await ledger.get(tenantId, queued.id))!.status).toBe('cancelled');
  });

  it('refuses to cancel a clean-up run', async () => {
    const { run } = await ledger.start({
      tenantId,
      listId: randomUUID(),
      listKind: 'contacts',
      trigger: 'cleanup',
      mode: 'cleanup',
      deadlineAt: new Date(Date.now() + 60_000),
    });
    expect(await ledger.cancel(tenantId, run.id)).toBe(false);
    expect(await ledger.statusOf(run.id)).toBe('queued');
  });

  it('never shows a run to another tenant', async () => {
    const { run } = await start(randomUUID());
    expect(await ledger.get(randomUUID(), run.id)).toBeNull();
    expect(await dataSource.getRepository(SyncRunEntity).count({ where: { id: run.id } })).toBe(1);
  });
});
