import { APP_CONFIG, type AppConfig, factoryProvider } from '@app/config';
import { FleetMetrics } from '@app/metrics';
import { FieldCipher } from '@app/crypto';
import { REDIS_CLIENT } from '@app/queue';
import { Global, Module } from '@nestjs/common';
import { DirectoryReader } from './directory/directory-reader';
import { AppRequestBudget } from './graph/app-request-budget';
import { GraphGateway } from './graph/graph-gateway';
import { MailboxAccessCheck } from './identity/mailbox-access-check';
import { TenantTokenProvider } from './identity/tenant-token-provider';
import { TokenCredentialFactory } from './identity/token-credential-factory';
import { GraphContactsStore } from './mailbox/graph-contacts-store';
import { GraphEventsStore } from './mailbox/graph-events-store';
import { MailboxCalendarReader } from './calendar/mailbox-calendar-reader';

/**
 * Microsoft 365 from the configuration: per-tenant app-only tokens (shared by the fleet through
 * an encrypted Redis cache), the Graph gateway under the fleet-wide app budget, the directory
 * reader and the Graph contacts mailbox port. Needs the Config, Crypto and Redis modules.
 */
@Global()
@Module({
  providers: [
    factoryProvider(
      TokenCredentialFactory,
      [APP_CONFIG],
      (config) => new TokenCredentialFactory(config.microsoft),
    ),
    factoryProvider(
      TenantTokenProvider,
      [TokenCredentialFactory, REDIS_CLIENT, FieldCipher, APP_CONFIG],
      (factory, redis, cipher, config) =>
        new TenantTokenProvider(factory, redis, cipher, config.redis.keyPrefix),
    ),
    factoryProvider(
      AppRequestBudget,
      [REDIS_CLIENT, APP_CONFIG],
      (redis, config) =>
        new AppRequestBudget(redis, config.sync.appRequestsPer10s, config.redis.keyPrefix),
    ),
    {
      // The metrics port is optional: a module graph without MetricsModule reports nothing.
      provide: GraphGateway,
      inject: [
        APP_CONFIG,
        TenantTokenProvider,
        AppRequestBudget,
        { token: FleetMetrics, optional: true },
      ],
      useFactory: (
        config: AppConfig,
        tokens: TenantTokenProvider,
        budget: AppRequestBudget,
        metrics?: FleetMetrics,
      ) =>
        new GraphGateway(
          config.microsoft,
          tokens,
          budget,
          { maxInlineRetryMs: config.sync.maxInlineRetrySeconds * 1000, maxAttempts: 6 },
          metrics,
        ),
    },
    factoryProvider(DirectoryReader, [GraphGateway], (graph) => new DirectoryReader(graph)),
    factoryProvider(GraphContactsStore, [GraphGateway], (graph) => new GraphContactsStore(graph)),
    factoryProvider(GraphEventsStore, [GraphGateway], (graph) => new GraphEventsStore(graph)),
    factoryProvider(
      MailboxCalendarReader,
      [GraphGateway],
      (graph) => new MailboxCalendarReader(graph),
    ),
    factoryProvider(MailboxAccessCheck, [GraphGateway], (graph) => new MailboxAccessCheck(graph)),
  ],
  exports: [
    TokenCredentialFactory,
    TenantTokenProvider,
    AppRequestBudget,
    GraphGateway,
    DirectoryReader,
    GraphContactsStore,
    GraphEventsStore,
    MailboxCalendarReader,
    MailboxAccessCheck,
  ],
})
export class MicrosoftModule {}
