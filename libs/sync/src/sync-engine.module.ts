import { APP_CONFIG, factoryProvider } from '@app/config';
import { LOG_STORE } from '@app/logstore';
import { DirectoryReader, GraphContactsStore, MicrosoftModule } from '@app/microsoft';
import {
  BillingUsageRepository,
  ContactListRepository,
  ListEntryRepository,
  MailboxStateRepository,
  SourceStateRepository,
  SubscriptionRepository,
  TargetRepository,
  TenantRepository,
} from '@app/persistence';
import { REDIS_CLIENT, SyncQueues } from '@app/queue';
import { Module } from '@nestjs/common';
import { MailboxLease } from './coordination/mailbox-lease';
import { contactMailboxParts } from './mailbox/contact-mailbox-parts';
import { SnapshotCache } from './mailbox/snapshot-cache';
import { SyncMailboxUseCase } from './mailbox/sync-mailbox.use-case';
import { RunControlModule } from './run-control.module';
import { ENTITLEMENTS, UnlimitedEntitlements } from './runs/entitlements';
import { PlanRunUseCase } from './runs/plan-run.use-case';
import { SeatEntitlements } from './runs/seat-entitlements';
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
    // Billing on (Stripe settings): seats from SQL; off (self-hosted): unlimited.
    factoryProvider(
      ENTITLEMENTS,
      [APP_CONFIG, SubscriptionRepository, BillingUsageRepository, LOG_STORE],
      (config, subscriptions, usage, logStore) =>
        config.billing
          ? new SeatEntitlements(subscriptions, usage, logStore, config.billing)
          : new UnlimitedEntitlements(),
    ),
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
    factoryProvider(
      SyncMailboxUseCase,
      [
        ContactListRepository,
        TenantRepository,
        MailboxStateRepository,
        RunLedger,
        GraphContactsStore,
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
