import type { DataSource } from 'typeorm';
import { RunMailboxRepository } from '../repositories/run-mailbox.repository';
import { SyncRunRepository } from '../repositories/sync-run.repository';
import { interceptStatements, type StatementHook } from './intercept-statements';
import { openMigratedScratch, type MigratedScratch } from './migrated-scratch';
import { saveTenant } from './save-tenant';
import type { ScratchDatabase } from './scratch-postgres-database';

/** What a run-ledger int-spec works with; filled in its beforeAll. */
export interface RunLedgerFixture {
  dataSource: DataSource;
  /** The scratch database's URL, for a second connection. */
  url: string;
  runs: SyncRunRepository;
  outcomes: RunMailboxRepository;
  /** A hook run before the next statement of the data source (cleared after each test). */
  statements: { next?: StatementHook };
  tenantId: string;
}

/**
 * Registers the hooks of a run-ledger int-spec on one of TEST_DATABASES: a migrated scratch
 * database with statement interception, the run repositories and one active tenant.
 */
export function useRunLedgerFixture(
  makeDatabase: () => Promise<ScratchDatabase>,
): RunLedgerFixture {
  const fixture = {} as RunLedgerFixture;
  let scratch: MigratedScratch | undefined;
  beforeAll(async () => {
    scratch = await openMigratedScratch(makeDatabase);
    const { dataSource } = scratch;
    Object.assign(fixture, {
      dataSource,
      url: scratch.url,
      statements: interceptStatements(dataSource),
      runs: new SyncRunRepository(dataSource),
      outcomes: new RunMailboxRepository(dataSource),
      tenantId: await saveTenant(dataSource),
    });
  });
  afterEach(() => {
    if (fixture.statements) fixture.statements.next = undefined;
  });
  afterAll(async () => {
    await scratch?.close();
  });
  return fixture;
}
