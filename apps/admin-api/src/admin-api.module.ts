import {
  ActivityService,
  ADMIN_CLOCK,
  ALERT_PROVIDERS,
  CalendarEventsService,
  CalendarListsService,
  ApiTokensService,
  CleanupService,
  EwsService,
  ContactListsService,
  ListCleanupsService,
  ListEntriesService,
  OperatorGrantsService,
  OrganisationsService,
  RunPreviewService,
  RunsService,
  SchedulesService,
  SyncLogsService,
  TargetsService,
  TenantsService,
} from '@app/admin';
import { BillingModule } from '@app/billing';
import { APP_CONFIG, type AppConfig, ConfigModule, factoryProvider } from '@app/config';
import { HealthModule } from '@app/health';
import { LoggingModule } from '@app/logging';
import { MetricsModule } from '@app/metrics';
import { LogStoreModule, systemClock, type Clock } from '@app/logstore';
import { EwsConnectionRepository, PersistenceModule } from '@app/persistence';
import { CryptoModule } from '@app/crypto';
import {
  DirectoryReader,
  EwsAccountGate,
  EwsDirectoryReader,
  EwsSignInGuard,
  GraphGateway,
  MicrosoftModule,
  TenantDirectoryReader,
} from '@app/microsoft';
import { QueueModule, RedisModule } from '@app/queue';
import { RunControlModule, SqlEwsConnectionSource } from '@app/sync';
import { DynamicModule, type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { text } from 'express';
import { AuthController } from './auth/auth.controller';
import { AuthGuard } from './auth/auth.guard';
import { MicrosoftOidc } from './auth/microsoft-oidc';
import { SessionStore } from './auth/session-store';
import { ApiThrottlerGuard } from './http/api-throttler.guard';
import { ApiErrorFilter } from './http/error.filter';
import { jsonDepthLimit } from './http/json-depth-limit';
import { rateLimitModule } from './http/rate-limit.module';
import { securityHeaders } from './http/security-headers';
import { AlertsController } from './alerts/alerts.controller';
import { ActivityController } from './resources/activity.controller';
import { BillingController } from './billing/billing.controller';
import { BillingWebhookController } from './billing/billing-webhook.controller';
import { CalendarListsController } from './calendars/calendar-lists.controller';
import { HolidaysController } from './calendars/holidays.controller';
import { DirectoryController } from './directory/directory.controller';
import { InstallationOperatorGuard } from './installation/installation-operator.guard';
import { OrganizationsController } from './installation/organizations.controller';
import { EwsController } from './resources/ews.controller';
import { LogsController } from './resources/logs.controller';
import { MailboxesController } from './resources/mailboxes.controller';
import { CleanupController } from './tenant/cleanup.controller';
import { OnboardingController } from './onboarding/onboarding.controller';
import { OperatorTenantsController } from './operators/operator-tenants.controller';
import { TenantOperatorsController } from './operators/tenant-operators.controller';
import {
  AuditController,
  ListsController,
  RunsController,
  TokensController,
} from './resources/resources.controller';
import { ListCleanupsController } from './resources/list-cleanups.controller';
import { QueueBoard } from './queue-board/queue-board';
import { QueueGauges } from './queue-board/queue-gauges';

@Module({})
export class AdminApiModule implements NestModule {
  private static config: AppConfig;

  /** `clock`: the admin services' time (token expiry); tests move one instead of waiting. */
  static forRoot(config: AppConfig, options: { clock?: Clock } = {}): DynamicModule {
    AdminApiModule.config = config;
    return {
      module: AdminApiModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot('admin-api', config),
        MetricsModule.forRoot('admin-api'),
        CryptoModule,
        PersistenceModule.forRoot(),
        RedisModule,
        QueueModule,
        HealthModule,
        // The workers purge the embedded log store; the API only reads it.
        LogStoreModule.forRoot({ purge: false }),
        // Requesting a run enqueues it: the API has run control, not the engine; of Microsoft
        // it uses the app's credentials (onboarding verifies the consent with an app token).
        RunControlModule,
        MicrosoftModule,
        rateLimitModule(),
        // Billing only with Stripe settings: otherwise its routes do not exist (404).
        ...(config.billing ? [BillingModule] : []),
      ],
      controllers: [
        AuthController,
        OnboardingController,
        ListsController,
        ListCleanupsController,
        RunsController,
        MailboxesController,
        LogsController,
        TokensController,
        AuditController,
        CleanupController,
        AlertsController,
        CalendarListsController,
        HolidaysController,
        DirectoryController,
        EwsController,
        TenantOperatorsController,
        OperatorTenantsController,
        ActivityController,
        OrganizationsController,
        ...(config.billing ? [BillingController, BillingWebhookController] : []),
      ],
      providers: [
        { provide: APP_FILTER, useClass: ApiErrorFilter },
        { provide: ADMIN_CLOCK, useValue: options.clock ?? systemClock },
        // One per process, as in the worker (ADR 0048): the pickers' FindPeople requests take
        // the service account's concurrency slots, and a refused password is not sent again
        // with every search (Active Directory would lock the account out).
        factoryProvider(
          EwsAccountGate,
          [APP_CONFIG],
          (appConfig) => new EwsAccountGate(appConfig.ews.maxConcurrency),
        ),
        factoryProvider(EwsSignInGuard, [], () => new EwsSignInGuard()),
        // The pickers read each tenant's directory where it lives (Graph, or an EWS-only
        // organisation's Global Address List): shadows the Graph-only reader.
        factoryProvider(
          DirectoryReader,
          [GraphGateway, EwsConnectionRepository, EwsAccountGate, EwsSignInGuard, APP_CONFIG],
          (graph, connections, gate, signIns, appConfig) =>
            new TenantDirectoryReader(
              graph,
              new EwsDirectoryReader(new SqlEwsConnectionSource(connections), {
                service: {
                  gate,
                  signIns,
                  allowHttp: appConfig.ews.allowHttp,
                  timeoutMs: appConfig.ews.timeoutMs,
                },
              }),
            ),
        ),
        // Global, so it runs before the controllers' AuthGuard (anonymous floods included).
        { provide: APP_GUARD, useClass: ApiThrottlerGuard },
        AuthGuard,
        SessionStore,
        MicrosoftOidc,
        TenantsService,
        ApiTokensService,
        ContactListsService,
        TargetsService,
        ListEntriesService,
        SchedulesService,
        RunsService,
        RunPreviewService,
        SyncLogsService,
        CleanupService,
        ListCleanupsService,
        ...ALERT_PROVIDERS,
        CalendarListsService,
        CalendarEventsService,
        EwsService,
        OrganisationsService,
        InstallationOperatorGuard,
        OperatorGrantsService,
        ActivityService,
        QueueBoard,
        QueueGauges,
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(
        securityHeaders,
        text({
          type: ['text/csv', 'application/csv', 'text/calendar'],
          limit: AdminApiModule.config.admin.bodyLimitBytes,
        }),
        jsonDepthLimit,
      )
      .forRoutes('api/*path');
    // The installation operator's JSON routes under /ops (an answer holds a new organisation's
    // API token: no-store). By controller, not 'ops/*path': the queue board under /ops/queues
    // serves its own page, scripts included, which the API's CSP would block.
    consumer.apply(securityHeaders, jsonDepthLimit).forRoutes(OrganizationsController);
  }
}
