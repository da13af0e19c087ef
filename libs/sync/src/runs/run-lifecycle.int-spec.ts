import { MailboxStateEntity, SyncRunEntity, type SyncRunStatus } from '@app/persistence';
import {
  openMigratedScratch,
  type MigratedScratch,
} from '@app/persistence/testing/migrated-scratch';
import { saveTenant } from '@app/persistence/testing/save-tenant';
import { TEST_DATABASES } from '@app/persistence/testing/test-databases';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { RunLedger } from './run-ledger';
import { RunLifecycle, type RunActor } from './run-lifecycle';

const STATUSES: readonly SyncRunStatus[] = [
  'queued',
  'running',
  'succeeded',
  'partial',
  'failed',
  'cancelled',
];

/**
 * The run lifecycle is one statement (RunLifecycle) enforced by the ledger's guarded SQL: every
 * status change each actor's ledger call makes, from every status, is one RunLifecycle allows,
 * and an ended run never changes. The table below is what the SQL does, so a guard that drifts
 * from the lifecycle (or a lifecycle edit the SQL does not follow) fails here.
 */
describe.each(TEST_DATABASES)('run lifecycle in the ledger on %s', (_kind, makeDatabase) => {
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

  /** A run of its own list in `status`: 2 mailboxes, 1 succeeded, 1 (m2) not reported yet. */
  async function runIn(status: SyncRunStatus): Promise<SyncRunEntity> {
    const listId = randomUUID();
    const active = RunLifecycle.isActive(status);
    const run = Object.assign(new SyncRunEntity(), {
      id: randomUUID(),
      tenantId,
      listKind: 'contacts',
      listId,
      activeListId: active ? listId : null,
      mode: 'sync',
      trigger: 'manual',
      status,
      startedAt: new Date(),
      finishedAt: active ? null : new Date(),
      deadlineAt: new Date(Date.now() + 60_000),
      mailboxesTotal: 2,
      mailboxesSucceeded: 1,
      mailboxesFailed: 0,
    });
    await dataSource.getRepository(SyncRunEntity).insert(run);
    await dataSource.getRepository(MailboxStateEntity).insert([
      Object.assign(new MailboxStateEntity(), {
        tenantId,
        listId,
        mailboxId: 'm1',
        lastRunId: run.id,
      }),
      Object.assign(new MailboxStateEntity(), { tenantId, listId, mailboxId: 'm2' }),
    ]);
    return run;
  }

  const CALLS: ReadonlyArray<[RunActor, string, (run: SyncRunEntity) => Promise<unknown>]> = [
    ['planner', 'planned', (run) => ledger.planned(run.id, 3)],
    ['planner', 'fail', (run) => ledger.fail(run.id, 'CONSENT_REVOKED', 'consent lost')],
    [
      'finisher',
      'recordMailbox (the last one)',
      (run) =>
        ledger.recordMailbox({
          runId: run.id,
          tenantId,
          listId: run.listId,
          mailboxId: 'm2',
          outcome: 'succeeded',
          counts: { created: 0, updated: 0, deleted: 0 },
        }),
    ],
    ['finisher', 'closeAtDeadline', (run) => ledger.closeAtDeadline(run.id)],
    ['sweeper', 'closeLost', (run) => ledger.closeLost(run.id)],
    ['cancel', 'cancel', (run) => ledger.cancel(tenantId, run.id)],
  ];

  it('every status change of every ledger call is one the lifecycle allows its actor; ended runs never change', async () => {
    const changes: string[] = [];
    for (const [actor, call, act] of CALLS)
      for (const from of STATUSES) {
        const run = await runIn(from);
        await act(run);
        const to = (await ledger.statusOf(run.id))!;
        if (to === from) continue;
        changes.push(`${actor} ${call}: ${from} → ${to}`);
        expect([actor, from, to, RunLifecycle.allows(actor, from, to)]).toEqual([
          actor,
          from,
          to,
          true,
        ]);
      }
    expect(changes).toEqual([
      'planner planned: queued → running',
      'planner fail: queued → failed',
      'planner fail: running → failed',
      'finisher recordMailbox (the last one): running → succeeded',
      'finisher closeAtDeadline: queued → partial',
      'finisher closeAtDeadline: running → partial',
      'sweeper closeLost: queued → partial',
      'sweeper closeLost: running → partial',
      'cancel cancel: queued → cancelled',
      'cancel cancel: running → cancelled',
    ]);
  });
});
