import { randomUUID } from 'node:crypto';
import { MailboxStateEntity } from '../entities/mailbox-state.entity';
import { useRunLedgerFixture } from '../testing/run-ledger-fixture';
import { TEST_DATABASES } from '../testing/test-databases';
import { MailboxStateRepository } from './mailbox-state.repository';
import { RUN_LOST } from './run-lost';
import { SyncRunRepository } from './sync-run.repository';

/**
 * A preview (dry_run) runs beside the list's sync run: it must count its own mailboxes once
 * and never touch what the sync run relies on (the mailbox's state, its claim, its progress).
 */
describe.each(TEST_DATABASES)(
  'SyncRunRepository with a preview beside a sync on %s',
  (kind, makeDatabase) => {
    const fx = useRunLedgerFixture(makeDatabase);

    /** A planned run of the list over its `total` mailboxes. */
    async function planned(listId: string, mode: 'sync' | 'dry_run', total: number) {
      const { run } = await fx.runs.start({
        tenantId: fx.tenantId,
        listId,
        listKind: 'contacts',
        trigger: 'manual',
        mode,
        deadlineAt: new Date(Date.now() + 60_000),
      });
      await fx.runs.planned(run.id, total);
      return run;
    }

    /** A list of `n` mailboxes (each with a state row), ids sorted. */
    async function list(n: number) {
      const listId = randomUUID();
      const mailboxes = Array.from({ length: n }, () => randomUUID()).sort();
      for (const mailboxId of mailboxes)
        await fx.dataSource.getRepository(MailboxStateEntity).insert(
          Object.assign(new MailboxStateEntity(), {
            tenantId: fx.tenantId,
            listId,
            mailboxId,
            status: 'in_sync',
          }),
        );
      return { listId, mailboxes };
    }

    const report = (
      run: { id: string; mode: 'sync' | 'dry_run' | 'cleanup' },
      listId: string,
      mailboxId: string,
      created: number,
      changes?: Partial<MailboxStateEntity>,
    ) =>
      fx.runs.recordMailbox(
        {
          runId: run.id,
          tenantId: fx.tenantId,
          listId,
          mailboxId,
          mode: run.mode,
          outcome: 'succeeded',
          counts: { created, updated: 0, deleted: 0 },
        },
        changes,
      );

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

    it('a retried job of the sync run, after a preview counted the mailbox, changes nothing and fails nothing', async () => {
      const { listId, mailboxes } = await list(2);
      const [m1] = mailboxes;
      const sync = await planned(listId, 'sync', 2);
      expect(await report(sync, listId, m1, 2, { deltaLink: 'first' })).toMatchObject({
        counted: true,
      });
      const preview = await planned(listId, 'dry_run', 2);
      expect(await report(preview, listId, m1, 5)).toMatchObject({ counted: true });
      // The sync's job is retried (it crashed after its report committed, before the queue
      // learned it completed): the mailbox is counted in the run already.
      expect(await report(sync, listId, m1, 2, { deltaLink: 'retried' })).toEqual({
        counted: false,
        closed: false,
      });
      expect(await outcomesOf(sync.id)).toEqual([[m1, 'succeeded', null, 2]]);
      expect(await fx.runs.get(fx.tenantId, sync.id)).toMatchObject({
        status: 'running',
        mailboxesSucceeded: 1,
        itemsCreated: 2,
      });
      expect(await stateOf(listId, m1)).toMatchObject({ deltaLink: 'first', lastRunId: sync.id });
    });

    it("a preview counts each mailbox once and leaves the mailbox's state and the sync run's claim alone", async () => {
      const { listId, mailboxes } = await list(2);
      const [m1, m2] = mailboxes;
      const sync = await planned(listId, 'sync', 2);
      await report(sync, listId, m1, 1, { deltaLink: 'synced' });
      const before = await stateOf(listId, m1);
      const preview = await planned(listId, 'dry_run', 2);
      expect(await report(preview, listId, m1, 4)).toEqual({
        counted: true,
        closed: false,
        counts: { created: 4, updated: 0, deleted: 0 },
      });
      // A duplicate of the preview's job reports again: nothing changes.
      expect(await report(preview, listId, m1, 4)).toEqual({ counted: false, closed: false });
      expect(await stateOf(listId, m1)).toEqual(before);
      expect(await stateOf(listId, m2)).toMatchObject({ lastRunId: null, status: 'in_sync' });
      expect(await fx.runs.outstandingMailboxes(preview)).toEqual([m2]);
      // The sync run still counts m2 once, whatever the preview did.
      expect(await report(preview, listId, m2, 0)).toMatchObject({ counted: true, closed: true });
      expect(await fx.runs.get(fx.tenantId, preview.id)).toMatchObject({
        status: 'succeeded',
        mailboxesSucceeded: 2,
        itemsCreated: 4,
      });
      expect(await stateOf(listId, m2)).toMatchObject({ lastRunId: null });
      expect(await report(sync, listId, m2, 3)).toMatchObject({ counted: true, closed: true });
      expect(await report(sync, listId, m2, 3)).toEqual({ counted: false, closed: false });
      expect(await fx.runs.get(fx.tenantId, sync.id)).toMatchObject({
        status: 'succeeded',
        mailboxesSucceeded: 2,
        itemsCreated: 4,
      });
    });

    it("a preview leaves the sync run's saved progress to the sync run", async () => {
      const states = new MailboxStateRepository(fx.dataSource.manager);
      const { listId, mailboxes } = await list(1);
      const [m1] = mailboxes;
      const sync = await planned(listId, 'sync', 1);
      // An attempt of the sync wrote 6 items and was throttled; a preview counts m1 meanwhile.
      await states.updateWithProgress((await stateOf(listId, m1)).id, {}, sync.id, {
        created: 6,
        updated: 0,
        deleted: 0,
      });
      const preview = await planned(listId, 'dry_run', 1);
      await report(preview, listId, m1, 9);
      expect(await stateOf(listId, m1)).toMatchObject({
        progressRunId: sync.id,
        progressCreated: 6,
        lastRunId: null,
      });
      expect(await report(sync, listId, m1, 1)).toEqual({
        counted: true,
        closed: true,
        counts: { created: 7, updated: 0, deleted: 0 },
      });
    });

    it('a lost preview records its unreported mailboxes without touching their state', async () => {
      const { listId, mailboxes } = await list(3);
      const [m1, m2, m3] = mailboxes;
      const sync = await planned(listId, 'sync', 3);
      await report(sync, listId, m3, 1, { deltaLink: 'synced' });
      const preview = await planned(listId, 'dry_run', 3);
      await report(preview, listId, m1, 2);
      const [before2, before3] = [await stateOf(listId, m2), await stateOf(listId, m3)];
      expect(await fx.runs.closeLost(preview.id)).toEqual({ closed: true, lostMailboxes: 2 });
      expect(await outcomesOf(preview.id)).toEqual([
        [m1, 'succeeded', null, 2],
        [m2, 'failed', RUN_LOST, 0],
        [m3, 'failed', RUN_LOST, 0],
      ]);
      expect(await fx.runs.get(fx.tenantId, preview.id)).toMatchObject({
        status: 'partial',
        mailboxesSucceeded: 1,
        mailboxesFailed: 2,
        itemsCreated: 2,
      });
      expect(await stateOf(listId, m2)).toEqual(before2);
      expect(await stateOf(listId, m3)).toEqual(before3);
      // The sync run is untouched: m2's report still counts, a late preview report does not.
      expect(await report(sync, listId, m2, 0)).toMatchObject({ counted: true });
      expect(await report(preview, listId, m2, 0)).toEqual({ counted: false, closed: false });
    });

    it("a sync run's outstanding mailboxes leave out one it counted that a preview counted after", async () => {
      const { listId, mailboxes } = await list(2);
      const [m1, m2] = mailboxes;
      const sync = await planned(listId, 'sync', 2);
      await report(sync, listId, m1, 0);
      const preview = await planned(listId, 'dry_run', 2);
      await report(preview, listId, m1, 0);
      expect(await fx.runs.outstandingMailboxes(sync)).toEqual([m2]);
      expect(await fx.runs.outstandingMailboxes(preview)).toEqual([m2]);
    });

    // SQLite fx.runs write transactions one after another: only PostgreSQL lets them overlap.
    if (kind === 'postgres')
      it('two reports of one preview mailbox at once: one counts it, the other waits and changes nothing', async () => {
        const { listId, mailboxes } = await list(2);
        const [m1] = mailboxes;
        const preview = await planned(listId, 'dry_run', 2);
        let second: ReturnType<SyncRunRepository['recordMailbox']> | undefined;
        fx.statements.next = {
          matches: (sql) => sql.startsWith('INSERT INTO "run_mailbox"'),
          before: async () => {
            second = report(preview, listId, m1, 3);
            for (const until = Date.now() + 20_000; ;) {
              const [waiting] = (await fx.dataSource.query(
                `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
              )) as Array<{ n: string }>;
              if (Number(waiting.n) > 0) break;
              if (Date.now() > until)
                throw new Error('the second report never waited for the first');
              await new Promise((r) => setTimeout(r, 10));
            }
          },
        };
        expect(await report(preview, listId, m1, 3)).toMatchObject({ counted: true });
        expect(second).toBeDefined();
        expect(await second).toEqual({ counted: false, closed: false });
        expect(await outcomesOf(preview.id)).toEqual([[m1, 'succeeded', null, 3]]);
        expect(await fx.runs.get(fx.tenantId, preview.id)).toMatchObject({
          mailboxesSucceeded: 1,
          itemsCreated: 3,
        });
      });
  },
);
