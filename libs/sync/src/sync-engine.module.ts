import { APP_CONFIG, factoryProvider } from '@app/config';
import { LOG_STORE } from '@app/logstore';
import {
  DirectoryReader,
  EwsContactsStore,
  GraphContactsStore,
  GraphGateway,
  GraphMailboxAddresses,
  MailboxRoutes,
  MicrosoftModule,
  RoutingContactsStore,
} from '@app/microsoft';
import {
  ContactListRepository,
  EwsConnectionRepository,
  ListEntryRepository,
  MailboxStateRepository,
  SourceStateRepository,
  TargetRepository,
  TenantRepository,
} from '@app/persistence';
import { REDIS_CLIENT, SyncQueues } from '@app/queue';
import { Module } from '@nestjs/common';
import { MailboxLease } from './coordination/mailbox-lease';
import { SqlEwsConnectionSource } from './ews/sql-ews-connection-source';
import { contactMailboxParts } from './mailbox/contact-mailbox-parts';
import { SnapshotCache } from './mailbox/snapshot-cache';
import { SyncMailboxUseCase } from './mailbox/sync-mailbox.use-case';
import { RunControlModule } from './run-control.module';
import { ENTITLEMENTS, UnlimitedEntitlements } from './runs/entitlements';
import { PlanRunUseCase } from './runs/plan-run.use-case';
import { RunLedger } from './runs/run-ledger';
import { DirectoryCache } from './sources/directory-cache';
import { ProfilePhotos } from './sources/profile-photos';
import { ListSourceReader } from './sources/read-list-sources';

/**
 * The sync engine the worker runs: planning runs from the sources and syncing mailboxes
 * through the mailbox ports. Needs the Config, Persistence, Crypto, Redis, Queue and LogStore
 * modules; brings Microsoft 365 and run control with it.
 */
@Module({
  imports: [MicrosoftModule, RunControlModule],
  providers: [
    factoryProvider(
      MailboxLease,
      [REDIS_CLIENT, APP_CONFIG],
      (redis, config) => new MailboxLease(redis, config.redis.keyPrefix),
    ),
    factoryProvider(
      DirectoryCache,
      [DirectoryReader, LOG_STORE, SourceStateRepository],
      (reader, logStore, states) => new DirectoryCache(reader, logStore, states),
    ),
    factoryProvider(
      ListSourceReader,
      [DirectoryReader, ListEntryRepository],
      (reader, entries) => new ListSourceReader(reader, entries),
    ),
    factoryProvider(SnapshotCache, [LOG_STORE], (logStore) => new SnapshotCache(logStore)),
    factoryProvider(
      ProfilePhotos,
      [DirectoryReader, LOG_STORE],
      (reader, logStore) => new ProfilePhotos(reader, logStore),
    ),
    { provide: ENTITLEMENTS, useClass: UnlimitedEntitlements },
    factoryProvider(
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
        tenants,
        contactLists,
        targets,
        mailboxStates,
        ledger,
        cache,
        reader,
        sources,
        logStore,
        queues,
        entitlements,
        photos,
        config,
      ) =>
        new PlanRunUseCase(
          { tenants, contactLists, targets, mailboxStates },
          ledger,
          cache,
          reader,
          sources,
          logStore,
          queues,
          entitlements,
          photos,
          { runDeadlineMinutes: config.sync.runDeadlineMinutes },
        ),
    ),
    // Contacts routed per mailbox: Graph, or the tenant's EWS connection for on-premises ones.
    factoryProvider(
      RoutingContactsStore,
      [GraphContactsStore, GraphGateway, EwsConnectionRepository, REDIS_CLIENT, APP_CONFIG],
      (graphStore, graph, connections, redis, config) => {
        const source = new SqlEwsConnectionSource(connections);
        return new RoutingContactsStore(
          graphStore,
          new EwsContactsStore(source, new GraphMailboxAddresses(graph), {
            maxInlineWaitMs: config.sync.maxInlineRetrySeconds * 1000,
          }),
          source,
          new MailboxRoutes(redis, config.redis.keyPrefix),
        );
      },
    ),
    factoryProvider(
      SyncMailboxUseCase,
      [
        ContactListRepository,
        TenantRepository,
        MailboxStateRepository,
        RunLedger,
        RoutingContactsStore,
        LOG_STORE,
        SnapshotCache,
        MailboxLease,
        ProfilePhotos,
        APP_CONFIG,
      ],
      (lists, tenants, states, ledger, store, logStore, snapshots, lease, photos, config) =>
        new SyncMailboxUseCase(contactMailboxParts(store, lists, snapshots, photos), {
          tenants,
          states,
          ledger,
          logStore,
          lease,
          options: { tenantMailboxLimit: config.sync.tenantMailboxLimit },
        }) as SyncMailboxUseCase,
    ),
  ],
  exports: [RunControlModule, PlanRunUseCase, SyncMailboxUseCase],
})
export class SyncEngineModule {}
