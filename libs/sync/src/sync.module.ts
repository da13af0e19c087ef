import { APP_CONFIG, type AppConfig } from '@app/config';
import { BlindIndex, FieldCipher, KeyRing } from '@app/crypto';
import { LOG_STORE, type LogStore } from '@app/logstore';
import {
  AppRequestBudget,
  DirectoryReader,
  GraphContactsMailbox,
  GraphGateway,
  TenantTokenProvider,
  TokenCredentialFactory,
} from '@app/microsoft';
import {
  ContactListRepository,
  ImportJobRepository,
  ListEntryRepository,
  MailboxStateRepository,
  RowCipher,
  ScheduleRepository,
  SourceStateRepository,
  TargetRepository,
  TenantRepository,
} from '@app/persistence';
import { createRedisClient, REDIS_CLIENT } from '@app/queue';
import {
  DynamicModule,
  Global,
  Inject,
  Module,
  OnApplicationShutdown,
  type Provider,
} from '@nestjs/common';
import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { MailboxLease } from './coordination/mailbox-lease';
import { ImportCsvEntriesUseCase } from './entries/import-csv-entries.use-case';
import { RekeyCsvSourceKeys } from './entries/rekey-csv-source-keys';
import { CsvImportJobs } from './entries/csv-import-jobs';
import { SnapshotCache } from './mailbox/snapshot-cache';
import { SyncMailboxUseCase } from './mailbox/sync-mailbox.use-case';
import { ENTITLEMENTS, UnlimitedEntitlements, type Entitlements } from './runs/entitlements';
import { FinishRunUseCase } from './runs/finish-run.use-case';
import { PlanRunUseCase } from './runs/plan-run.use-case';
import { RequestRunUseCase } from './runs/request-run.use-case';
import { RunLedger } from './runs/run-ledger';
import { RunSweep } from './runs/run-sweep';
import { ScheduleRegistry } from './schedules/schedule-registry';
import { DirectoryCache } from './sources/directory-cache';
import { ProfilePhotos } from './sources/profile-photos';
import { ListSourceReader } from './sources/read-list-sources';
import { SyncQueues } from '@app/queue';
import { QUEUE_CONNECTION } from './sync.tokens';

/** A factory provider; the dependencies' types are checked where the factory names them. */
function factory(
  provide: unknown,
  inject: unknown[],
  useFactory: (...deps: never[]) => unknown,
): Provider {
  return {
    provide: provide as string,
    inject: inject as string[],
    useFactory: useFactory as (...deps: unknown[]) => unknown,
  };
}

/** The sync engine's parts, built once from the configuration. Needs Config, Persistence, Redis and LogStore modules. */
@Global()
@Module({})
export class SyncModule implements OnApplicationShutdown {
  constructor(
    private readonly queues: SyncQueues,
    @Inject(QUEUE_CONNECTION) private readonly connection: Redis,
  ) {}

  static forRoot(): DynamicModule {
    const providers: Provider[] = [
      factory(QUEUE_CONNECTION, [APP_CONFIG], (config: AppConfig) =>
        createRedisClient(config.redis.url, {
          maxRetriesPerRequest: null,
          enableOfflineQueue: true,
        }),
      ),
      factory(
        SyncQueues,
        [QUEUE_CONNECTION, APP_CONFIG],
        (connection: Redis, config: AppConfig) =>
          new SyncQueues(connection, config.redis.keyPrefix),
      ),
      factory(
        FieldCipher,
        [APP_CONFIG],
        (config: AppConfig) => new FieldCipher(new KeyRing(config.encryption)),
      ),
      factory(RowCipher, [FieldCipher], (cipher: FieldCipher) => new RowCipher(cipher)),
      factory(
        BlindIndex,
        [APP_CONFIG],
        (config: AppConfig) => new BlindIndex(new KeyRing(config.encryption)),
      ),
      factory(
        ImportCsvEntriesUseCase,
        [ListEntryRepository, ContactListRepository, BlindIndex],
        (entries: ListEntryRepository, lists: ContactListRepository, index: BlindIndex) =>
          new ImportCsvEntriesUseCase(entries, lists, index),
      ),
      factory(
        RekeyCsvSourceKeys,
        [ListEntryRepository, BlindIndex],
        (entries: ListEntryRepository, index: BlindIndex) => new RekeyCsvSourceKeys(entries, index),
      ),
      factory(
        CsvImportJobs,
        [ImportJobRepository, SyncQueues, ImportCsvEntriesUseCase],
        (jobs: ImportJobRepository, queues: SyncQueues, importer: ImportCsvEntriesUseCase) =>
          new CsvImportJobs(jobs, queues, importer),
      ),
      factory(
        TokenCredentialFactory,
        [APP_CONFIG],
        (config: AppConfig) => new TokenCredentialFactory(config.microsoft),
      ),
      factory(
        TenantTokenProvider,
        [TokenCredentialFactory, REDIS_CLIENT, FieldCipher, APP_CONFIG],
        (f: TokenCredentialFactory, redis: Redis, cipher: FieldCipher, config: AppConfig) =>
          new TenantTokenProvider(f, redis, cipher, config.redis.keyPrefix),
      ),
      factory(
        AppRequestBudget,
        [REDIS_CLIENT, APP_CONFIG],
        (redis: Redis, config: AppConfig) =>
          new AppRequestBudget(redis, config.sync.appRequestsPer10s, config.redis.keyPrefix),
      ),
      factory(
        GraphGateway,
        [APP_CONFIG, TenantTokenProvider, AppRequestBudget],
        (config: AppConfig, tokens: TenantTokenProvider, budget: AppRequestBudget) =>
          new GraphGateway(config.microsoft, tokens, budget, {
            maxInlineRetryMs: config.sync.maxInlineRetrySeconds * 1000,
            maxAttempts: 6,
          }),
      ),
      factory(DirectoryReader, [GraphGateway], (g: GraphGateway) => new DirectoryReader(g)),
      factory(
        GraphContactsMailbox,
        [GraphGateway],
        (g: GraphGateway) => new GraphContactsMailbox(g),
      ),
      factory(RunLedger, [DataSource], (ds: DataSource) => new RunLedger(ds)),
      factory(
        MailboxLease,
        [REDIS_CLIENT, APP_CONFIG],
        (redis: Redis, config: AppConfig) => new MailboxLease(redis, config.redis.keyPrefix),
      ),
      factory(
        DirectoryCache,
        [DirectoryReader, LOG_STORE, SourceStateRepository],
        (r: DirectoryReader, l: LogStore, states: SourceStateRepository) =>
          new DirectoryCache(r, l, states),
      ),
      factory(
        ListSourceReader,
        [DirectoryReader, ListEntryRepository],
        (r: DirectoryReader, entries: ListEntryRepository) => new ListSourceReader(r, entries),
      ),
      factory(SnapshotCache, [LOG_STORE], (l: LogStore) => new SnapshotCache(l)),
      factory(
        ProfilePhotos,
        [DirectoryReader, LOG_STORE],
        (r: DirectoryReader, l: LogStore) => new ProfilePhotos(r, l),
      ),
      { provide: ENTITLEMENTS, useClass: UnlimitedEntitlements },
      factory(
        PlanRunUseCase,
        [
          TenantRepository,
          ContactListRepository,
          TargetRepository,
          MailboxStateRepository,
          RunLedger,
          DirectoryCache,
          DirectoryReader,
          ListSourceReader,
          LOG_STORE,
          SyncQueues,
          ENTITLEMENTS,
          ProfilePhotos,
          APP_CONFIG,
        ],
        (
          tenants: TenantRepository,
          contactLists: ContactListRepository,
          targets: TargetRepository,
          mailboxStates: MailboxStateRepository,
          ledger: RunLedger,
          cache: DirectoryCache,
          reader: DirectoryReader,
          sources: ListSourceReader,
          logStore: LogStore,
          queues: SyncQueues,
          ent: Entitlements,
          photos: ProfilePhotos,
          config: AppConfig,
        ) =>
          new PlanRunUseCase(
            { tenants, contactLists, targets, mailboxStates },
            ledger,
            cache,
            reader,
            sources,
            logStore,
            queues,
            ent,
            photos,
            {
              runDeadlineMinutes: config.sync.runDeadlineMinutes,
            },
          ),
      ),
      factory(
        SyncMailboxUseCase,
        [
          DataSource,
          RunLedger,
          GraphContactsMailbox,
          LOG_STORE,
          SnapshotCache,
          MailboxLease,
          ProfilePhotos,
          APP_CONFIG,
        ],
        (
          ds: DataSource,
          ledger: RunLedger,
          mailbox: GraphContactsMailbox,
          logStore: LogStore,
          snapshots: SnapshotCache,
          lease: MailboxLease,
          photos: ProfilePhotos,
          config: AppConfig,
        ) =>
          new SyncMailboxUseCase(ds, ledger, mailbox, logStore, snapshots, lease, photos, {
            tenantMailboxLimit: config.sync.tenantMailboxLimit,
          }),
      ),
      factory(
        RunSweep,
        [RunLedger, SyncQueues, FinishRunUseCase, ScheduleRegistry, LOG_STORE, APP_CONFIG],
        (
          ledger: RunLedger,
          queues: SyncQueues,
          finishRun: FinishRunUseCase,
          schedules: ScheduleRegistry,
          logStore: LogStore,
          config: AppConfig,
        ) =>
          new RunSweep(ledger, queues, finishRun, schedules, logStore, {
            // A run younger than one sweep interval may still be about to get its plan job.
            graceMs: Math.max(2_000, config.sync.runSweepSeconds * 1_000),
          }),
      ),
      factory(
        RequestRunUseCase,
        [RunLedger, SyncQueues, APP_CONFIG, RunSweep],
        (ledger: RunLedger, queues: SyncQueues, config: AppConfig, sweep: RunSweep) =>
          new RequestRunUseCase(
            ledger,
            queues,
            { runDeadlineMinutes: config.sync.runDeadlineMinutes },
            sweep,
          ),
      ),
      factory(
        FinishRunUseCase,
        [RunLedger, LOG_STORE],
        (ledger: RunLedger, logStore: LogStore) => new FinishRunUseCase(ledger, logStore),
      ),
      factory(
        ScheduleRegistry,
        [ScheduleRepository, SyncQueues],
        (schedules: ScheduleRepository, queues: SyncQueues) =>
          new ScheduleRegistry(schedules, queues),
      ),
    ];
    return {
      module: SyncModule,
      providers,
      exports: providers.map((p) => (p as { provide: unknown }).provide as never),
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queues.close();
    this.connection.disconnect();
  }
}
