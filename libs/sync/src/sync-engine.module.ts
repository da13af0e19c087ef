import { APP_CONFIG, factoryProvider } from '@app/config';
import { LOG_STORE } from '@app/logstore';
import { readFileSync } from 'node:fs';
import { CalendarFeedFetcher } from '@app/calendar';
import type { CalendarEvent, Contact } from '@app/domain';
import {
  DirectoryReader,
  EwsAccountGate,
  EwsContactsStore,
  EwsSignInGuard,
  EwsDirectoryReader,
  GraphContactsStore,
  GraphEventsStore,
  GraphGateway,
  GraphMailboxAddresses,
  MailboxCalendarReader,
  MailboxRoutes,
  MicrosoftModule,
  EwsEventsStore,
  RoutingMailboxStore,
  TenantDirectoryReader,
} from '@app/microsoft';
import { systemHostResolver } from '@app/outbound';
import {
  CalendarEntryRepository,
  CalendarListRepository,
  BillingUsageRepository,
  ContactListRepository,
  EwsConnectionRepository,
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
import { RoutedMailboxStores } from './ews/routed-mailbox-stores';
import { SqlEwsConnectionSource } from './ews/sql-ews-connection-source';
import {
  DirectoryMailboxAddresses,
  TenantMailboxAddresses,
} from './ews/directory-mailbox-addresses';
import { contactMailboxParts } from './mailbox/contact-mailbox-parts';
import { SnapshotCache } from './mailbox/snapshot-cache';
import { calendarMailboxParts } from './mailbox/calendar-mailbox-parts';
import { SyncMailboxDispatch } from './mailbox/sync-mailbox-dispatch';
import { SyncMailboxUseCase } from './mailbox/sync-mailbox.use-case';
import { CalendarRunPlanner } from './runs/calendar-run-planner';
import { ContactRunPlanner } from './runs/contact-run-planner';
import { CalendarFeedSource } from './sources/calendar-feed-source';
import {
  SOURCE_CALENDAR_READER,
  type SourceCalendarReader,
} from './sources/calendar-source-reader';
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
    // Each tenant's directory from where it lives: Entra ID (Graph) or, for an EWS-only
    // organisation, its Global Address List (EWS FindPeople). Shadows the Graph-only reader.
    factoryProvider(
      DirectoryReader,
      [GraphGateway, EwsConnectionRepository, EwsAccountGate, EwsSignInGuard, APP_CONFIG],
      (graph, connections, gate, signIns, config) =>
        new TenantDirectoryReader(
          graph,
          new EwsDirectoryReader(new SqlEwsConnectionSource(connections), {
            service: {
              gate,
              signIns,
              allowHttp: config.ews.allowHttp,
              timeoutMs: config.ews.timeoutMs,
            },
          }),
        ),
    ),
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
    { provide: SOURCE_CALENDAR_READER, useExisting: MailboxCalendarReader },
    factoryProvider(
      ContactRunPlanner,
      [ContactListRepository, ListSourceReader, ProfilePhotos],
      (lists, sources, photos) => new ContactRunPlanner(lists, sources, photos),
    ),
    factoryProvider(
      CalendarFeedSource,
      [APP_CONFIG, CalendarEntryRepository, SourceStateRepository],
      (config, entries, states) => {
        const feeds = config.sync.calendarFeeds;
        const fetcher = new CalendarFeedFetcher(
          {
            allowedNetworks: feeds.allowedNetworks,
            ca: feeds.caFile ? [readFileSync(feeds.caFile, 'utf8')] : undefined,
            timeoutMs: feeds.timeoutMs,
            maxBytes: feeds.maxBytes,
          },
          systemHostResolver,
        );
        return new CalendarFeedSource(fetcher, entries, states);
      },
    ),
    {
      provide: CalendarRunPlanner,
      inject: [
        CalendarListRepository,
        CalendarEntryRepository,
        CalendarFeedSource,
        { token: SOURCE_CALENDAR_READER, optional: true },
      ],
      useFactory: (
        lists: CalendarListRepository,
        entries: CalendarEntryRepository,
        feeds: CalendarFeedSource,
        reader?: SourceCalendarReader,
      ) => new CalendarRunPlanner(lists, entries, feeds, reader),
    },
    factoryProvider(
      PlanRunUseCase,
      [
        TenantRepository,
        TargetRepository,
        MailboxStateRepository,
        RunLedger,
        DirectoryCache,
        DirectoryReader,
        ContactRunPlanner,
        CalendarRunPlanner,
        LOG_STORE,
        SyncQueues,
        ENTITLEMENTS,
        APP_CONFIG,
      ],
      (
        tenants,
        targets,
        mailboxStates,
        ledger,
        cache,
        reader,
        contactPlanner,
        calendarPlanner,
        logStore,
        queues,
        entitlements,
        config,
      ) =>
        new PlanRunUseCase(
          { tenants, targets, mailboxStates },
          ledger,
          cache,
          reader,
          [contactPlanner, calendarPlanner],
          logStore,
          queues,
          entitlements,
          { runDeadlineMinutes: config.sync.runDeadlineMinutes },
        ),
    ),
    // One per process, shared by every EWS store: Exchange counts concurrency and sign-ins per
    // service account, whatever the item kind.
    factoryProvider(
      EwsAccountGate,
      [APP_CONFIG],
      (config) => new EwsAccountGate(config.ews.maxConcurrency),
    ),
    factoryProvider(EwsSignInGuard, [], () => new EwsSignInGuard()),
    // Contacts and calendar items routed per mailbox: Graph, or the tenant's EWS connection for
    // on-premises ones (one remembered route per mailbox, one EWS back-off per mailbox).
    factoryProvider(
      RoutedMailboxStores,
      [
        GraphContactsStore,
        GraphEventsStore,
        GraphGateway,
        EwsConnectionRepository,
        REDIS_CLIENT,
        LOG_STORE,
        EwsAccountGate,
        EwsSignInGuard,
        APP_CONFIG,
      ],
      (graphContacts, graphEvents, graph, connections, redis, logStore, gate, signIns, config) => {
        const source = new SqlEwsConnectionSource(connections);
        // Graph's directory for Microsoft 365 tenants, the plan's GAL read for EWS-only ones.
        const addresses = new TenantMailboxAddresses(
          new GraphMailboxAddresses(graph),
          new DirectoryMailboxAddresses(logStore),
        );
        const routes = new MailboxRoutes(redis, config.redis.keyPrefix);
        const options = {
          maxInlineWaitMs: config.sync.maxInlineRetrySeconds * 1000,
          gate,
          signIns,
          allowHttp: config.ews.allowHttp,
          timeoutMs: config.ews.timeoutMs,
        };
        const ewsContacts = new EwsContactsStore(source, addresses, options);
        return new RoutedMailboxStores(
          new RoutingMailboxStore(graphContacts, ewsContacts, source, routes),
          new RoutingMailboxStore(
            graphEvents,
            new EwsEventsStore(source, addresses, options, ewsContacts.pace),
            source,
            routes,
          ),
        );
      },
    ),
    factoryProvider(
      SyncMailboxDispatch,
      [
        ContactListRepository,
        CalendarListRepository,
        TenantRepository,
        MailboxStateRepository,
        RunLedger,
        RoutedMailboxStores,
        LOG_STORE,
        SnapshotCache,
        MailboxLease,
        ProfilePhotos,
        APP_CONFIG,
      ],
      (
        contactLists,
        calendarLists,
        tenants,
        states,
        ledger,
        stores,
        logStore,
        snapshots,
        lease,
        photos,
        config,
      ) => {
        const services = {
          tenants,
          states,
          ledger,
          logStore,
          lease,
          options: { tenantMailboxLimit: config.sync.tenantMailboxLimit },
        };
        return new SyncMailboxDispatch(
          new SyncMailboxUseCase(
            contactMailboxParts(
              stores.contacts,
              contactLists,
              snapshots as SnapshotCache<Contact>,
              photos,
            ),
            services,
          ) as SyncMailboxUseCase,
          new SyncMailboxUseCase(
            calendarMailboxParts(
              stores.events,
              calendarLists,
              new SnapshotCache<CalendarEvent>(logStore, (item) => ({
                sourceKey: item.sourceKey,
                contentHash: item.contentHash,
                value: item.content as CalendarEvent,
              })),
            ),
            services,
          ) as SyncMailboxUseCase,
        );
      },
    ),
  ],
  exports: [RunControlModule, PlanRunUseCase, SyncMailboxDispatch],
})
export class SyncEngineModule {}
