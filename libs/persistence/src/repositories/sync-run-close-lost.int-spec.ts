import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { MailboxStateEntity } from '../entities/mailbox-state.entity';
import { useRunLedgerFixture } from '../testing/run-ledger-fixture';
import { openMigrated, TEST_DATABASES } from '../testing/test-databases';
import { RUN_LOST } from './run-lost';
import { SyncRunRepository } from './sync-run.repository';

describe.each(TEST_DATABASES)('SyncRunRepository.closeLost on %s', (kind, makeDatabase) => {
  const fx = useRunLedgerFixture(makeDatabase);

  const start = (listId: string, mode: 'sync' | 'dry_run' = 'sync') =>
    fx.runs.start({
      tenantId: fx.tenantId,
      listId,
      listKind: 'contacts',
      trigger: 'manual',
      mode,
      deadlineAt: new Date(Date.now() + 60_000),
    });

  /** A planned run of a new list over `mailboxes` (each with a state row). */
  async function plannedRun(listId: string, mailboxes: string[]) {
    const { run } = await start(listId);
    for (const mailboxId of mailboxes)
      await fx.dataSource
        .getRepository(MailboxStateEntity)
        .insert(
          Object.assign(new MailboxStateEntity(), { tenantId: fx.tenantId, listId, mailboxId }),
        );
    await fx.runs.planned(run.id, mailboxes.length);
    return run;
  }

  const outcomesOf = async (runId: string) =>
    (await fx.outcomes.pageOfRun(fx.tenantId, runId, { limit: 50 })).map((o) => [
      o.mailboxId,
      o.outcome,
      o.code,
      o.itemsCreated,
    ]);

  const stateOf = (listId: string, mailboxId: string) =>
    fx.dataSource
      .getRepository(MailboxStateEntity)
      .findOneByOrFail({ tenantId: fx.tenantId, listId, mailboxId });

  it('a mailbox reporting while the sweep closes its run lost is counted once, with no error', async () => {
    const listId = randomUUID();
    const [m1, m2] = [randomUUID(), randomUUID()].sort();
    const run = await plannedRun(listId, [m1, m2]);
    const counts = { created: 3, updated: 0, deleted: 0 };
    let late: ReturnType<SyncRunRepository['recordMailbox']> | undefined;
    // The late report lands just before the sweep marks the unreported mailboxes lost.
    fx.statements.next = {
      matches: (sql, parameters) =>
        sql.startsWith('UPDATE "mailbox_state"') && parameters.includes(RUN_LOST),
      before: async () => {
        late = fx.runs.recordMailbox(
          {
            runId: run.id,
            tenantId: fx.tenantId,
            listId,
            mailboxId: m1,
            outcome: 'succeeded',
            counts,
          },
          { status: 'in_sync' },
        );
        // On PostgreSQL it commits meanwhile (the race). SQLite fx.runs write transactions one
        // after another: there it waits for the sweep, and must find its mailbox counted.
        if (kind === 'postgres') await late;
      },
    };
    const swept = await fx.runs.closeLost(run.id);
    expect(late).toBeDefined();
    const recorded = await late;
    if (kind === 'postgres') {
      expect(recorded).toEqual({ counted: true, closed: false, counts });
      expect(swept).toEqual({ closed: true, lostMailboxes: 1 });
      expect(await outcomesOf(run.id)).toEqual([
        [m1, 'succeeded', null, 3],
        [m2, 'failed', RUN_LOST, 0],
      ]);
      expect(await fx.runs.get(fx.tenantId, run.id)).toMatchObject({
        status: 'partial',
        mailboxesSucceeded: 1,
        mailboxesFailed: 1,
        itemsCreated: 3,
        activeListId: null,
      });
      expect(await stateOf(listId, m1)).toMatchObject({ status: 'in_sync', lastErrorCode: null });
    } else {
      expect(recorded).toEqual({ counted: false, closed: false });
      expect(swept).toEqual({ closed: true, lostMailboxes: 2 });
      expect(await outcomesOf(run.id)).toEqual([
        [m1, 'failed', RUN_LOST, 0],
        [m2, 'failed', RUN_LOST, 0],
      ]);
      expect(await fx.runs.get(fx.tenantId, run.id)).toMatchObject({
        status: 'failed',
        mailboxesSucceeded: 0,
        mailboxesFailed: 2,
        activeListId: null,
      });
    }
    expect(await stateOf(listId, m2)).toMatchObject({ status: 'failed', lastErrorCode: RUN_LOST });
  });

  it('leaves the run to a late last mailbox that closes it before the sweep writes', async () => {
    const listId = randomUUID();
    const mailboxId = randomUUID();
    const run = await plannedRun(listId, [mailboxId]);
    let late: ReturnType<SyncRunRepository['recordMailbox']> | undefined;
    fx.statements.next = {
      matches: (sql, parameters) =>
        sql.startsWith('UPDATE "mailbox_state"') && parameters.includes(RUN_LOST),
      before: async () => {
        late = fx.runs.recordMailbox({
          runId: run.id,
          tenantId: fx.tenantId,
          listId,
          mailboxId,
          outcome: 'succeeded',
          counts: { created: 1, updated: 0, deleted: 0 },
        });
        if (kind === 'postgres') await late;
      },
    };
    const swept = await fx.runs.closeLost(run.id);
    const recorded = await late;
    const one = (await outcomesOf(run.id)) as unknown[][];
    expect(one).toHaveLength(1);
    if (kind === 'postgres') {
      expect(recorded).toMatchObject({ counted: true, closed: true });
      expect(swept).toEqual({ closed: false, lostMailboxes: 0 });
      expect(one[0].slice(0, 2)).toEqual([mailboxId, 'succeeded']);
      expect((await fx.runs.get(fx.tenantId, run.id))!.status).toBe('succeeded');
    } else {
      expect(recorded).toEqual({ counted: false, closed: false });
      expect(swept).toEqual({ closed: true, lostMailboxes: 1 });
      expect(one[0].slice(0, 3)).toEqual([mailboxId, 'failed', RUN_LOST]);
      expect((await fx.runs.get(fx.tenantId, run.id))!.status).toBe('failed');
    }
  });

  // SQLite fx.runs write transactions one after another: only PostgreSQL lets them overlap.
  if (kind === 'postgres')
    it('a sweep that meets a report mid-transaction waits for it and counts its mailbox once', async () => {
      const listId = randomUUID();
      const [m1, m2] = [randomUUID(), randomUUID()].sort();
      const run = await plannedRun(listId, [m1, m2]);
      let sweep: ReturnType<SyncRunRepository['closeLost']> | undefined;
      // The report has claimed m1 (its row is locked) and is about to write its outcome: the
      // sweep starts now and must wait on m1's row, which the database shows as a lock wait.
      fx.statements.next = {
        matches: (sql, parameters) =>
          sql.startsWith('INSERT INTO "run_mailbox"') && !parameters.includes(RUN_LOST),
        before: async () => {
          sweep = fx.runs.closeLost(run.id);
          for (const until = Date.now() + 20_000; ;) {
            const [waiting] = (await fx.dataSource.query(
              `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
            )) as Array<{ n: string }>;
            if (Number(waiting.n) > 0) break;
            if (Date.now() > until) throw new Error('the sweep never waited for the report');
            await new Promise((r) => setTimeout(r, 10));
          }
        },
      };
      const recorded = await fx.runs.recordMailbox({
        runId: run.id,
        tenantId: fx.tenantId,
        listId,
        mailboxId: m1,
        outcome: 'succeeded',
        counts: { created: 4, updated: 0, deleted: 0 },
      });
      expect(sweep).toBeDefined();
      expect(recorded).toMatchObject({ counted: true, closed: false });
      expect(await sweep).toEqual({ closed: true, lostMailboxes: 1 });
      expect(await outcomesOf(run.id)).toEqual([
        [m1, 'succeeded', null, 4],
        [m2, 'failed', RUN_LOST, 0],
      ]);
      expect(await fx.runs.get(fx.tenantId, run.id)).toMatchObject({
        status: 'partial',
        mailboxesSucceeded: 1,
        mailboxesFailed: 1,
        itemsCreated: 4,
      });
    });

  it('a run cancelled between the sweep reading it and marking its mailboxes keeps them unmarked', async () => {
    const listId = randomUUID();
    const [m1, m2] = [randomUUID(), randomUUID()].sort();
    const run = await plannedRun(listId, [m1, m2]);
    const before = [await stateOf(listId, m1), await stateOf(listId, m2)];
    // The administrator's cancel comes from the admin API's process, with its own connection.
    const admin = kind === 'postgres' ? fx.runs : new SyncRunRepository(await openMigrated(fx.url));
    let cancel: Promise<boolean> | undefined;
    fx.statements.next = {
      matches: (sql, parameters) =>
        sql.startsWith('UPDATE "mailbox_state"') && parameters.includes(RUN_LOST),
      before: async () => {
        cancel = admin.cancel(fx.tenantId, run.id);
        // On PostgreSQL the cancel commits meanwhile (the race). SQLite's sweep holds the
        // database's write lock from its start: there the cancel waits, and finds the run ended.
        if (kind === 'postgres') await cancel;
      },
    };
    const swept = await fx.runs.closeLost(run.id);
    expect(cancel).toBeDefined();
    if (kind === 'postgres') {
      expect(await cancel).toBe(true);
      expect(swept).toEqual({ closed: false, lostMailboxes: 0 });
      expect(await outcomesOf(run.id)).toEqual([]);
      expect(await fx.runs.get(fx.tenantId, run.id)).toMatchObject({
        status: 'cancelled',
        mailboxesFailed: 0,
        errorCode: 'RUN_CANCELLED',
      });
      expect([await stateOf(listId, m1), await stateOf(listId, m2)]).toEqual(before);
    } else {
      expect(await cancel).toBe(false);
      expect(swept).toEqual({ closed: true, lostMailboxes: 2 });
      expect(await fx.runs.get(fx.tenantId, run.id)).toMatchObject({
        status: 'failed',
        mailboxesFailed: 2,
        errorCode: RUN_LOST,
      });
      await (admin as unknown as { dataSource: DataSource }).dataSource.destroy();
    }
  });

  // The race needs a second connection writing while the sweep's transaction is open.
  if (kind === 'postgres')
    it('a run cancelled after the sweep marked its mailboxes: the sweep undoes its marks', async () => {
      const listId = randomUUID();
      const [m1, m2] = [randomUUID(), randomUUID()].sort();
      const run = await plannedRun(listId, [m1, m2]);
      const before = [await stateOf(listId, m1), await stateOf(listId, m2)];
      // The marks are written; the cancel commits before the sweep closes the run.
      fx.statements.next = {
        matches: (sql, parameters) =>
          sql.startsWith('INSERT INTO "run_mailbox"') && parameters.includes(RUN_LOST),
        before: async () => {
          expect(await fx.runs.cancel(fx.tenantId, run.id)).toBe(true);
        },
      };
      expect(await fx.runs.closeLost(run.id)).toEqual({ closed: false, lostMailboxes: 0 });
      expect(await outcomesOf(run.id)).toEqual([]);
      expect(await fx.runs.get(fx.tenantId, run.id)).toMatchObject({
        status: 'cancelled',
        mailboxesFailed: 0,
      });
      expect([await stateOf(listId, m1), await stateOf(listId, m2)]).toEqual(before);
    });

  it('does not record a mailbox the run counted again when its state names another run since', async () => {
    const listId = randomUUID();
    const [m1, m2] = [randomUUID(), randomUUID()].sort();
    const run = await plannedRun(listId, [m1, m2]);
    await fx.runs.recordMailbox(
      {
        runId: run.id,
        tenantId: fx.tenantId,
        listId,
        mailboxId: m1,
        outcome: 'succeeded',
        counts: { created: 2, updated: 0, deleted: 0 },
      },
      { status: 'in_sync' },
    );
    // m1's state names another run since: previews claimed the state before they left it to
    // the sync (this claim is a sync's, as a preview's was), and a database may hold such rows.
    const preview = (await start(listId, 'dry_run')).run;
    await fx.runs.planned(preview.id, 2);
    await fx.runs.recordMailbox({
      runId: preview.id,
      tenantId: fx.tenantId,
      listId,
      mailboxId: m1,
      mode: 'sync',
      outcome: 'succeeded',
      counts: { created: 2, updated: 0, deleted: 0 },
    });
    expect(await fx.runs.closeLost(run.id)).toEqual({ closed: true, lostMailboxes: 1 });
    expect(await outcomesOf(run.id)).toEqual([
      [m1, 'succeeded', null, 2],
      [m2, 'failed', RUN_LOST, 0],
    ]);
    expect(await fx.runs.get(fx.tenantId, run.id)).toMatchObject({
      status: 'partial',
      mailboxesSucceeded: 1,
      mailboxesFailed: 1,
      itemsCreated: 2,
    });
    expect(await stateOf(listId, m1)).toMatchObject({ status: 'in_sync', lastErrorCode: null });
  });
});
