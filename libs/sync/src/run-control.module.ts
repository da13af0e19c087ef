import { APP_CONFIG, factoryProvider } from '@app/config';
import { BlindIndex } from '@app/crypto';
import { LOG_STORE } from '@app/logstore';
import {
  ContactListRepository,
  ImportJobRepository,
  ListEntryRepository,
  ScheduleRepository,
} from '@app/persistence';
import { SyncQueues } from '@app/queue';
import { Module } from '@nestjs/common';
import { CsvImportJobs } from './entries/csv-import-jobs';
import { ImportCsvEntriesUseCase } from './entries/import-csv-entries.use-case';
import { RekeyCsvSourceKeys } from './entries/rekey-csv-source-keys';
import { FinishRunUseCase } from './runs/finish-run.use-case';
import { RequestRunUseCase } from './runs/request-run.use-case';
import { RunLedger } from './runs/run-ledger';
import { RunSweep } from './runs/run-sweep';
import { ScheduleRegistry } from './schedules/schedule-registry';

/**
 * Requesting, tracking and closing runs, schedules and CSV imports: what the admin API needs of
 * the engine. No Graph here: requesting a run enqueues it. Needs the Config, Persistence,
 * Crypto, Queue and LogStore modules.
 */
@Module({
  providers: [
    factoryProvider(
      FinishRunUseCase,
      [RunLedger, LOG_STORE],
      (ledger, logStore) => new FinishRunUseCase(ledger, logStore),
    ),
    factoryProvider(
      ScheduleRegistry,
      [ScheduleRepository, SyncQueues],
      (schedules, queues) => new ScheduleRegistry(schedules, queues),
    ),
    factoryProvider(
      RunSweep,
      [RunLedger, SyncQueues, FinishRunUseCase, ScheduleRegistry, LOG_STORE, APP_CONFIG],
      (ledger, queues, finishRun, schedules, logStore, config) =>
        new RunSweep(ledger, queues, finishRun, schedules, logStore, {
          // A run younger than one sweep interval may still be about to get its plan job.
          graceMs: Math.max(2_000, config.sync.runSweepSeconds * 1_000),
          // Per-mailbox outcomes are kept as long as the logs.
          outcomeRetentionDays: config.logRetentionDays,
        }),
    ),
    factoryProvider(
      RequestRunUseCase,
      [RunLedger, SyncQueues, APP_CONFIG, RunSweep],
      (ledger, queues, config, sweep) =>
        new RequestRunUseCase(
          ledger,
          queues,
          { runDeadlineMinutes: config.sync.runDeadlineMinutes },
          sweep,
        ),
    ),
    factoryProvider(
      ImportCsvEntriesUseCase,
      [ListEntryRepository, ContactListRepository, BlindIndex],
      (entries, lists, index) => new ImportCsvEntriesUseCase(entries, lists, index),
    ),
    factoryProvider(
      RekeyCsvSourceKeys,
      [ListEntryRepository, BlindIndex],
      (entries, index) => new RekeyCsvSourceKeys(entries, index),
    ),
    factoryProvider(
      CsvImportJobs,
      [ImportJobRepository, SyncQueues, ImportCsvEntriesUseCase],
      (jobs, queues, importer) => new CsvImportJobs(jobs, queues, importer),
    ),
  ],
  exports: [
    FinishRunUseCase,
    ScheduleRegistry,
    RunSweep,
    RequestRunUseCase,
    ImportCsvEntriesUseCase,
    RekeyCsvSourceKeys,
    CsvImportJobs,
  ],
})
export class RunControlModule {}
