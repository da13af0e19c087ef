import { loadConfig } from '@app/config';
import {
  MailboxStateEntity,
  openDataSource,
  runMigrations,
  SyncRunEntity,
  TenantEntity,
} from '@app/persistence';
import {
  createScratchPostgresDatabase,
  type ScratchDatabase,
} from '@app/persistence/testing/scratch-postgres-database';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { RunLedger } from './run-ledger';

const POSTGRES_SERVER = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

describe.each([
  [
    'sqlite',
    async () => ({
      url: `sqlite:${join(mkdtempSync(join(tmpdir(), 'ledger-')), 'db.sqlite')}`,
      drop: async () => undefined,
    }),
  ],
  ['postgres', () => createScratchPostgresDatabase(POSTGRES_SERVER)],
] as const)('RunLedger on %s', (_kind, makeDatabase) => {
  let scratch: ScratchDatabase;
  let dataSource: DataSource;
  let ledger: RunLedger;
  let tenantId: string;

  beforeAll(async () => {
    scratch = await makeDatabase();
    const { config } = loadConfig({
      DATABASE_URL: scratch.url,
      ENCRYPTION_KEYS: `k:${Buffer.alloc(32).toString('base64')}`,
      DATA_DIR: tmpdir(),
    });
    dataSource = await openDataSource(config.database);
    await runMigrations(dataSource, config.database, { lockTimeoutMs: 10_000 });
    ledger = new RunLedger(dataSource);
    const tenant = await dataSource
      .getRepository(TenantEntity)
      .save(Object.assign(new TenantEntity(), { azureTenantId: randomUUID(), status: 'active' }));
    tenantId = tenant.id;
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await scratch?.drop();
  });

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
      await ledger.recordMailbox({
        runId: run.id,
        tenantId,
        listId,
        mailboxId: 'm1',
        outcome: 'succeeded',
        counts,
      }),
    ).toBe(false);
    expect(
      await ledger.recordMailbox({
        runId: run.id,
        tenantId,
        listId,
        mailboxId: 'm1',
        outcome: 'succeeded',
        counts,
      }),
    ).toBe(false);
    expect(
      await ledger.recordMailbox({
        runId: run.id,
        tenantId,
        listId,
        mailboxId: 'm2',
        outcome: 'failed',
        counts: { created: 0, updated: 0, deleted: 0 },
      }),
    ).toBe(true);
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

  it('never shows a run to another tenant', async () => {
    const { run } = await start(randomUUID());
    expect(await ledger.get(randomUUID(), run.id)).toBeNull();
    expect(await dataSource.getRepository(SyncRunEntity).count({ where: { id: run.id } })).toBe(1);
  });
});
