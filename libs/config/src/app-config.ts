import type { BillingConfig } from './billing-config';

export type DatabaseConfig =
  | { kind: 'sqlite'; url: string; path: string }
  | { kind: 'postgres'; url: string }
  | {
      kind: 'mssql';
      url: string;
      host: string;
      port: number;
      database: string;
      username: string;
      password: string;
      encrypt: boolean;
      trustServerCertificate: boolean;
    };

export interface EncryptionKeyConfig {
  activeKeyId: string;
  keys: ReadonlyArray<{ id: string; material: Buffer }>;
  /** Key whose HMAC blind indexes stay stable across rotation (keep it listed after rotating). */
  blindIndexKeyId: string;
  /** Where the keys came from: the environment, or a key file generated for the embedded default. */
  source: 'env' | 'generated-file' | 'file';
  keyFile?: string;
}

export interface MetricsConfig {
  /** The admin API's metrics port (METRICS_PORT). */
  apiPort: number;
  /** The worker's metrics port (WORKER_METRICS_PORT), apart so both run on one machine. */
  workerPort: number;
  host: string;
}

/** Our Entra ID app registration and where Microsoft is (the simulator's URLs in the demo). */
export interface MicrosoftConfig {
  clientId: string;
  clientSecret?: string;
  /** PEM file with the certificate and its private key (preferred over a secret). */
  certificateFile?: string;
  authorityHost: string;
  graphBaseUrl: string;
  /** Extra CA (PEM) to trust for Microsoft's endpoints: the simulator's self-signed CA. */
  caFile?: string;
}

export interface SyncConfig {
  /** sync-mailbox jobs one worker process runs at once (each is one mailbox). */
  workerConcurrency: number;
  /** Mailboxes of one tenant in progress across the fleet, so a big tenant cannot starve others. */
  tenantMailboxLimit: number;
  /** Graph's global per-app budget, shared by the fleet through Redis. */
  appRequestsPer10s: number;
  runDeadlineMinutes: number;
  /** A Retry-After up to this is waited out in the job; a longer one reschedules the mailbox. */
  maxInlineRetrySeconds: number;
  /** How often a worker checks SQL's open runs against Redis (runs whose jobs vanished, schedulers lost). */
  runSweepSeconds: number;
  /** iCalendar feed URLs of calendar lists: fetched by the planner. */
  calendarFeeds: {
    /** Networks allowed although not public (an internal feed server). */
    allowedNetworks: string[];
    /** Extra trusted CA (PEM file) for feeds on the customer's own certificates. */
    caFile: string | undefined;
    timeoutMs: number;
    maxBytes: number;
  };
}

/** EWS (Exchange Server on-premises) limits of the product, whatever the tenant. */
export interface EwsConfig {
  /**
   * SOAP operations one worker process sends at once per service account (EWS_MAX_CONCURRENCY),
   * kept below Exchange's EWSMaxConcurrency (27 since Exchange 2013, 10 in 2010) so the service
   * account's other clients keep their share.
   */
  maxConcurrency: number;
  /** Accept http:// EWS URLs (EWS_ALLOW_HTTP): a lab setting, the password would cross the wire readable. */
  allowHttp: boolean;
  /**
   * How long one EWS request may go without an answer (EWS_TIMEOUT_MS, default 100 s): then it
   * fails as TRANSIENT (the mailbox job is retried) and its connection is dropped. A connection
   * test waits at most 20 s, or this when shorter.
   */
  timeoutMs: number;
}

/** The admin API: sign-in, sessions and who may onboard. */
export interface AdminApiConfig {
  /** saas: any tenant may onboard; self-hosted: only `allowedTenants` when listed. */
  mode: 'saas' | 'self-hosted';
  /** Entra tenant ids (lower-case) that may onboard in self-hosted mode; empty = any. */
  allowedTenants: readonly string[];
  /** Public base URL of the API (redirect URIs); unset = derived from the request. */
  publicUrl: string | undefined;
  /** Key that signs session cookies; unset = derived from the active encryption key. */
  sessionSecret: string | undefined;
  sessionTtlMinutes: number;
  /** Secure cookies (default: on in production). */
  cookieSecure: boolean;
  /** Largest JSON or CSV request body, in bytes. */
  bodyLimitBytes: number;
  /** Shortest interval between two fire times a list's schedule may have (minutes). */
  scheduleMinIntervalMinutes: number;
  /** API token lifetimes in days: the default when a token asks none, and the longest allowed. */
  apiTokenDays: { default: number; max: number };
  /**
   * Days a revoked tenant's lists, entries and settings are kept (so a re-consent finds them)
   * before the worker's sweep deletes them.
   */
  revokedTenantRetentionDays: number;
  rateLimit: RateLimitConfig;
  alerts: AlertsConfig;
}

/** Requests per minute, counted in Redis so every API instance shares the count. */
export interface RateLimitConfig {
  /** Per caller: API token, signed-in user, or client IP when anonymous. */
  perMinute: number;
  /** Per client IP on sign-in and onboarding routes (they start Microsoft redirects and sessions). */
  authPerMinute: number;
}

/** Alert delivery (e-mail through SMTP, signed webhooks) from the worker's alert pass. */
export interface AlertsConfig {
  /** smtp://host:port or smtps://user:pass@host:port; unset = no e-mail alerts. */
  smtpUrl: string | undefined;
  /** Sender address of alert e-mails. */
  from: string;
  /** How often the worker looks for runs that ended failed or partial and lost consents, and sends due alerts. */
  pollSeconds: number;
  /**
   * How long one worker holds an alert while sending it; a worker that crashed mid-send leaves
   * it to be sent again (same id) after this. Longer than a webhook POST plus an SMTP send.
   */
  deliveryLeaseSeconds: number;
  /** Extra CA certificate (PEM file) trusted for webhook HTTPS, e.g. a private CA. */
  webhookCaFile: string | undefined;
  /** Accept http:// webhook URLs (local testing only). */
  webhookAllowHttp: boolean;
  /** Accept webhook hosts on loopback, private, link-local or CGNAT addresses (internal receivers). */
  webhookAllowPrivateNetworks: boolean;
}

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** The single typed configuration object; built once by `loadConfig`, never from anywhere else. */
export interface AppConfig {
  env: 'development' | 'production' | 'test';
  logLevel: LogLevel;
  api: { port: number; host: string };
  worker: { healthPort: number; host: string; queues: readonly string[] };
  database: DatabaseConfig;
  migrations: { runOnStart: boolean; lockTimeoutMs: number; lockDir: string };
  /** keyPrefix namespaces every Redis key and queue of one deployment (tests run side by side). */
  redis: { url: string; keyPrefix: string };
  mongo: { url: string | undefined };
  logRetentionDays: number;
  encryption: EncryptionKeyConfig;
  shutdownTimeoutMs: number;
  /** Prometheus /metrics listeners, apart from the public API port; a port of 0 turns one off. */
  metrics: MetricsConfig;
  /** The installation operator's secret (queue board); unset: the board answers 401 to all. */
  operatorToken?: string;
  dataDir: string;
  /** Unset until an app registration (or the demo simulator) is configured. */
  microsoft: MicrosoftConfig | undefined;
  sync: SyncConfig;
  /** Exchange Server on-premises through EWS: how hard we may press one service account. */
  ews: EwsConfig;
  admin: AdminApiConfig;
  /** Without an app registration, `npm start` runs the simulator as the demo tenant on this port. */
  demo: {
    simulatorPort: number;
    /** The demo tenant's admin, prefilled on the (simulated) sign-in page; set by `npm start`. */
    loginHint?: string;
  };
  /** The built dashboard the API serves at `/` (default apps/dashboard/dist; `npm start` builds it). */
  dashboard: { distDir?: string };
  /** Stripe billing; undefined (no STRIPE_SECRET_KEY) = billing off, everything unlimited. */
  billing?: BillingConfig;
}
