import * as ipaddr from 'ipaddr.js';
import { resolve } from 'node:path';
import { z } from 'zod/v4';
import type { AppConfig, EncryptionKeyConfig, LogLevel, MicrosoftConfig } from './app-config';
import { billingSettings } from './billing-settings';
import { databaseUrl } from './database-url';
import { encryptionKeyList } from './encryption-key-list';
import { envVariable as v } from './env-variable';
import { loadOrCreateKeyFile } from './key-file';

const LOG_LEVELS: readonly LogLevel[] = [
  'fatal',
  'error',
  'warn',
  'info',
  'debug',
  'trace',
  'silent',
];
const TENANT_ID = /^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/;
const withoutTrailingSlash = (url: string) => url.replace(/\/+$/, '');

/** The app registration's settings, read only when MICROSOFT_CLIENT_ID is set. */
const microsoftSettings = z
  .object({
    MICROSOFT_CLIENT_ID: z.string(),
    MICROSOFT_CLIENT_SECRET: v.text,
    MICROSOFT_CLIENT_CERTIFICATE_FILE: v.existingFile(),
    MICROSOFT_AUTHORITY_HOST: v.url(
      ['https:'],
      'https://login.microsoftonline.com',
      'expected an https:// URL',
    ),
    MICROSOFT_GRAPH_URL: v.url(
      ['https:'],
      'https://graph.microsoft.com',
      'expected an https:// URL',
    ),
    MICROSOFT_CA_FILE: v.existingFile(),
  })
  .transform((s, ctx): MicrosoftConfig => {
    if (!s.MICROSOFT_CLIENT_SECRET && !s.MICROSOFT_CLIENT_CERTIFICATE_FILE)
      ctx.addIssue({
        code: 'custom',
        path: ['MICROSOFT_CLIENT_SECRET'],
        message:
          'set it or MICROSOFT_CLIENT_CERTIFICATE_FILE (preferred) when MICROSOFT_CLIENT_ID is set',
      });
    return {
      clientId: s.MICROSOFT_CLIENT_ID,
      clientSecret: s.MICROSOFT_CLIENT_SECRET,
      certificateFile: s.MICROSOFT_CLIENT_CERTIFICATE_FILE,
      authorityHost: withoutTrailingSlash(s.MICROSOFT_AUTHORITY_HOST),
      graphBaseUrl: withoutTrailingSlash(s.MICROSOFT_GRAPH_URL),
      caFile: s.MICROSOFT_CA_FILE,
    };
  });

/** Where the worker reads: `*` or queue names (which ones exist is the worker's check). */
const workerQueues = v.textOr('*').transform((raw, ctx) => {
  const queues = raw
    .split(',')
    .map((q) => q.trim())
    .filter(Boolean);
  if (queues.length === 0 || queues.some((q) => q !== '*' && !/^[a-z][a-z0-9-]*$/.test(q)))
    ctx.addIssue({
      code: 'custom',
      message: `expected * or a comma-separated list of queue names; got "${raw}"`,
    });
  return queues;
});

/** Comma-separated CIDRs (e.g. 10.1.0.0/16,127.0.0.1/32): networks an operator allows. */
const cidrList = v.textOr('').transform((raw, ctx) => {
  const cidrs = raw
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean);
  for (const cidr of cidrs) {
    try {
      ipaddr.parseCIDR(cidr);
    } catch {
      ctx.addIssue({
        code: 'custom',
        message: `expected comma-separated CIDRs such as 10.1.0.0/16; got "${cidr}"`,
      });
    }
  }
  return cidrs;
});

const allowedTenants = v.textOr('').transform((raw, ctx) => {
  const tenants = raw
    .split(',')
    .map((t) => t.trim().toLowerCase())
    .filter(Boolean);
  const bad = tenants.find((t) => !TENANT_ID.test(t));
  if (bad)
    ctx.addIssue({
      code: 'custom',
      message: `expected comma-separated tenant ids (GUIDs); got "${bad}"`,
    });
  return tenants;
});

const operatorToken = v.text.transform((raw, ctx) => {
  if (raw !== undefined && raw.length < 32)
    ctx.addIssue({ code: 'custom', message: 'expected at least 32 characters' });
  return raw;
});

const sessionSecret = v.text.transform((raw, ctx) => {
  if (raw !== undefined && raw.length < 32)
    ctx.addIssue({ code: 'custom', message: 'expected at least 32 characters' });
  return raw;
});

/**
 * The environment, one schema per variable (its default, its bounds, its message), then the
 * rules across variables and the key ring. Each problem's path is the variable's name; an
 * invalid value falls back to its default so that every problem is reported at once.
 */
export const CONFIG_SCHEMA = z
  .object({
    NODE_ENV: v.oneOf(
      ['development', 'production', 'test'],
      'development',
      'expected development, production or test',
    ),
    LOG_LEVEL: v.oneOf(LOG_LEVELS, 'info', `expected one of ${LOG_LEVELS.join(', ')}`),
    DATA_DIR: v.textOr('./data').transform((dir) => resolve(dir)),
    DATABASE_URL: databaseUrl,
    REDIS_URL: v.url(
      ['redis:', 'rediss:'],
      'redis://127.0.0.1:6379',
      'expected redis://[user:password@]host[:port][/db] or rediss://...',
    ),
    REDIS_KEY_PREFIX: v.matching(
      /^[a-z0-9-]{1,32}$/,
      'cs',
      'expected 1-32 lower-case letters, digits or -',
    ),
    MONGO_URL: v.url(
      ['mongodb:', 'mongodb+srv:'],
      undefined,
      'expected mongodb://host[:port]/db or mongodb+srv://...',
    ),
    LOG_RETENTION_DAYS: v.wholeNumber(30, 1, 30),
    API_PORT: v.port(3000),
    API_HOST: v.textOr('127.0.0.1'),
    WORKER_HEALTH_PORT: v.port(3001),
    WORKER_HOST: v.textOr('127.0.0.1'),
    WORKER_QUEUES: workerQueues,
    MIGRATIONS_RUN_ON_START: v.boolean(true),
    MIGRATION_LOCK_TIMEOUT_MS: v.wholeNumber(120_000, 1_000, 3_600_000),
    SHUTDOWN_TIMEOUT_MS: v.wholeNumber(25_000, 1_000, 600_000),
    METRICS_PORT: v.port(9464),
    WORKER_METRICS_PORT: v.port(9465),
    METRICS_HOST: v.textOr('127.0.0.1'),
    OPERATOR_TOKEN: operatorToken,
    ENCRYPTION_KEYS: encryptionKeyList,
    ENCRYPTION_ACTIVE_KEY: v.text,
    ENCRYPTION_BLIND_INDEX_KEY: v.text,
    ENCRYPTION_KEY_FILE: v.text,
    MICROSOFT_CLIENT_ID: v.text,
    // Checked by microsoftSettings, only when a client id is set.
    MICROSOFT_CLIENT_SECRET: v.text,
    MICROSOFT_CLIENT_CERTIFICATE_FILE: v.text,
    MICROSOFT_AUTHORITY_HOST: v.text,
    MICROSOFT_GRAPH_URL: v.text,
    MICROSOFT_CA_FILE: v.text,
    SYNC_WORKER_CONCURRENCY: v.wholeNumber(16, 1, 500),
    SYNC_TENANT_MAILBOX_LIMIT: v.wholeNumber(20, 1, 10_000),
    GRAPH_APP_REQUESTS_PER_10S: v.wholeNumber(130_000, 1, 1_000_000),
    SYNC_RUN_DEADLINE_MINUTES: v.wholeNumber(360, 1, 10_080),
    SYNC_MAX_INLINE_RETRY_SECONDS: v.wholeNumber(30, 0, 600),
    SYNC_RUN_SWEEP_SECONDS: v.wholeNumber(60, 1, 3_600),
    EWS_MAX_CONCURRENCY: v.wholeNumber(10, 1, 1_000),
    EWS_ALLOW_HTTP: v.boolean(false),
    EWS_TIMEOUT_MS: v.wholeNumber(100_000, 100, 600_000),
    CALENDAR_FEED_ALLOWED_NETWORKS: cidrList,
    CALENDAR_FEED_CA_FILE: v.text,
    CALENDAR_FEED_TIMEOUT_MS: v.wholeNumber(15_000, 100, 120_000),
    CALENDAR_FEED_MAX_BYTES: v.wholeNumber(10_000_000, 1_000, 100_000_000),
    DEMO_SIMULATOR_PORT: v.port(8443),
    DEMO_LOGIN_HINT: v.text,
    DASHBOARD_DIST_DIR: v.text.transform((dir) => (dir ? resolve(dir) : undefined)),
    ADMIN_MODE: v.oneOf(['saas', 'self-hosted'], 'self-hosted', 'expected saas or self-hosted'),
    ADMIN_ALLOWED_TENANTS: allowedTenants,
    ADMIN_PUBLIC_URL: v.url(['https:', 'http:'], undefined, 'expected an http(s):// URL'),
    ADMIN_SESSION_SECRET: sessionSecret,
    ADMIN_SESSION_TTL_MINUTES: v.wholeNumber(480, 5, 10_080),
    ADMIN_COOKIE_SECURE: v.boolean(undefined),
    ADMIN_BODY_LIMIT_BYTES: v.wholeNumber(5_000_000, 10_000, 100_000_000),
    SCHEDULE_MIN_INTERVAL_MINUTES: v.wholeNumber(5, 1, 1440),
    API_TOKEN_DEFAULT_DAYS: v.wholeNumber(90, 1, 3650),
    API_TOKEN_MAX_DAYS: v.wholeNumber(365, 1, 3650),
    REVOKED_TENANT_RETENTION_DAYS: v.wholeNumber(30, 1, 3650),
    API_RATE_LIMIT_PER_MINUTE: v.wholeNumber(600, 1, 1_000_000),
    API_AUTH_RATE_LIMIT_PER_MINUTE: v.wholeNumber(30, 1, 100_000),
    SMTP_URL: v.url(
      ['smtp:', 'smtps:'],
      undefined,
      'expected smtp://host:port or smtps://host:port',
    ),
    ALERT_FROM: v.matching(
      /^[^\s@<>]+@[^\s@<>]+$/,
      'contact-sync-alerts@localhost',
      'expected an e-mail address',
    ),
    ALERT_POLL_SECONDS: v.wholeNumber(30, 1, 3600),
    ALERT_DELIVERY_LEASE_SECONDS: v.wholeNumber(120, 1, 3600),
    ALERT_WEBHOOK_CA_FILE: v.text,
    ALERT_WEBHOOK_ALLOW_HTTP: v.boolean(false),
    ALERT_WEBHOOK_ALLOW_PRIVATE_NETWORKS: v.boolean(false),
    STRIPE_SECRET_KEY: v.text,
    // Checked by billingSettings, only when a Stripe secret key is set.
    STRIPE_WEBHOOK_SECRETS: v.text,
    STRIPE_SEAT_PRICE_ID: v.text,
    STRIPE_API_URL: v.text,
    STRIPE_AUTOMATIC_TAX: v.text,
    BILLING_FREE_MAILBOXES: v.text,
    BILLING_GRACE_DAYS: v.text,
    BILLING_EVENT_SWEEP_SECONDS: v.text,
  })
  .transform((env, ctx): { config: AppConfig; warnings: string[] } | undefined => {
    const problem = (variable: string, message: string) =>
      ctx.addIssue({ code: 'custom', path: [variable], message });
    const warnings: string[] = [];

    let microsoft: AppConfig['microsoft'];
    if (env.MICROSOFT_CLIENT_ID !== undefined) {
      const settings = microsoftSettings.safeParse(env);
      for (const issue of settings.error?.issues ?? [])
        problem(String(issue.path[0]), issue.message);
      microsoft = settings.data;
    }

    let billing: AppConfig['billing'];
    if (env.STRIPE_SECRET_KEY !== undefined) {
      const settings = billingSettings.safeParse(env);
      for (const issue of settings.error?.issues ?? [])
        problem(String(issue.path[0]), issue.message);
      billing = settings.data;
    }

    if (env.ADMIN_ALLOWED_TENANTS.length > 0 && env.ADMIN_MODE === 'saas')
      problem('ADMIN_ALLOWED_TENANTS', 'only applies to ADMIN_MODE=self-hosted');
    if (env.API_TOKEN_DEFAULT_DAYS > env.API_TOKEN_MAX_DAYS)
      problem(
        'API_TOKEN_DEFAULT_DAYS',
        `must not exceed API_TOKEN_MAX_DAYS (${env.API_TOKEN_MAX_DAYS})`,
      );

    const encryption = keyRing(env, problem, warnings);
    if (!env.DATABASE_URL || !encryption) return undefined;
    return {
      warnings,
      config: {
        env: env.NODE_ENV,
        logLevel: env.LOG_LEVEL,
        api: { port: env.API_PORT, host: env.API_HOST },
        worker: {
          healthPort: env.WORKER_HEALTH_PORT,
          host: env.WORKER_HOST,
          queues: env.WORKER_QUEUES,
        },
        database: env.DATABASE_URL,
        migrations: {
          runOnStart: env.MIGRATIONS_RUN_ON_START,
          lockTimeoutMs: env.MIGRATION_LOCK_TIMEOUT_MS,
          lockDir: env.DATA_DIR,
        },
        redis: { url: env.REDIS_URL, keyPrefix: env.REDIS_KEY_PREFIX },
        mongo: { url: env.MONGO_URL },
        logRetentionDays: env.LOG_RETENTION_DAYS,
        encryption,
        shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
        metrics: {
          apiPort: env.METRICS_PORT,
          workerPort: env.WORKER_METRICS_PORT,
          host: env.METRICS_HOST,
        },
        operatorToken: env.OPERATOR_TOKEN,
        dataDir: env.DATA_DIR,
        microsoft,
        sync: {
          workerConcurrency: env.SYNC_WORKER_CONCURRENCY,
          tenantMailboxLimit: env.SYNC_TENANT_MAILBOX_LIMIT,
          appRequestsPer10s: env.GRAPH_APP_REQUESTS_PER_10S,
          runDeadlineMinutes: env.SYNC_RUN_DEADLINE_MINUTES,
          maxInlineRetrySeconds: env.SYNC_MAX_INLINE_RETRY_SECONDS,
          runSweepSeconds: env.SYNC_RUN_SWEEP_SECONDS,
          calendarFeeds: {
            allowedNetworks: env.CALENDAR_FEED_ALLOWED_NETWORKS,
            caFile: env.CALENDAR_FEED_CA_FILE,
            timeoutMs: env.CALENDAR_FEED_TIMEOUT_MS,
            maxBytes: env.CALENDAR_FEED_MAX_BYTES,
          },
        },
        ews: {
          maxConcurrency: env.EWS_MAX_CONCURRENCY,
          allowHttp: env.EWS_ALLOW_HTTP,
          timeoutMs: env.EWS_TIMEOUT_MS,
        },
        demo: { simulatorPort: env.DEMO_SIMULATOR_PORT, loginHint: env.DEMO_LOGIN_HINT },
        dashboard: { distDir: env.DASHBOARD_DIST_DIR },
        ...(billing ? { billing } : {}),
        admin: {
          mode: env.ADMIN_MODE,
          allowedTenants: env.ADMIN_ALLOWED_TENANTS,
          publicUrl: env.ADMIN_PUBLIC_URL && withoutTrailingSlash(env.ADMIN_PUBLIC_URL),
          sessionSecret: env.ADMIN_SESSION_SECRET,
          sessionTtlMinutes: env.ADMIN_SESSION_TTL_MINUTES,
          cookieSecure: env.ADMIN_COOKIE_SECURE ?? env.NODE_ENV === 'production',
          bodyLimitBytes: env.ADMIN_BODY_LIMIT_BYTES,
          scheduleMinIntervalMinutes: env.SCHEDULE_MIN_INTERVAL_MINUTES,
          apiTokenDays: { default: env.API_TOKEN_DEFAULT_DAYS, max: env.API_TOKEN_MAX_DAYS },
          revokedTenantRetentionDays: env.REVOKED_TENANT_RETENTION_DAYS,
          rateLimit: {
            perMinute: env.API_RATE_LIMIT_PER_MINUTE,
            authPerMinute: env.API_AUTH_RATE_LIMIT_PER_MINUTE,
          },
          alerts: {
            smtpUrl: env.SMTP_URL,
            from: env.ALERT_FROM,
            pollSeconds: env.ALERT_POLL_SECONDS,
            deliveryLeaseSeconds: env.ALERT_DELIVERY_LEASE_SECONDS,
            webhookCaFile: env.ALERT_WEBHOOK_CA_FILE,
            webhookAllowHttp: env.ALERT_WEBHOOK_ALLOW_HTTP,
            webhookAllowPrivateNetworks: env.ALERT_WEBHOOK_ALLOW_PRIVATE_NETWORKS,
          },
        },
      },
    };
  });

/**
 * The key ring: ENCRYPTION_KEYS, or outside production on the embedded SQLite default a key
 * file generated on first start; then the active and blind-index keys, which must be listed.
 */
function keyRing(
  env: {
    NODE_ENV: AppConfig['env'];
    DATA_DIR: string;
    DATABASE_URL: AppConfig['database'] | undefined;
    ENCRYPTION_KEYS: EncryptionKeyConfig['keys'] | undefined;
    ENCRYPTION_ACTIVE_KEY: string | undefined;
    ENCRYPTION_BLIND_INDEX_KEY: string | undefined;
    ENCRYPTION_KEY_FILE: string | undefined;
  },
  problem: (variable: string, message: string) => void,
  warnings: string[],
): EncryptionKeyConfig | undefined {
  let ring: Omit<EncryptionKeyConfig, 'blindIndexKeyId'>;
  if (env.ENCRYPTION_KEYS === undefined) {
    if (env.DATABASE_URL?.kind !== 'sqlite' || env.NODE_ENV === 'production') {
      problem(
        'ENCRYPTION_KEYS',
        'required outside the embedded SQLite default; expected "keyId:base64-of-32-bytes[,keyId:...]"',
      );
      return undefined;
    }
    const keyFile = resolve(env.ENCRYPTION_KEY_FILE ?? `${env.DATA_DIR}/encryption-keys.json`);
    const loaded = loadOrCreateKeyFile(keyFile);
    if ('problem' in loaded) {
      problem('ENCRYPTION_KEY_FILE', loaded.problem);
      return undefined;
    }
    if (loaded.warning) warnings.push(loaded.warning);
    ring = loaded.keys;
  } else {
    const keys = env.ENCRYPTION_KEYS;
    if (keys.length === 0) return undefined;
    const activeKeyId = env.ENCRYPTION_ACTIVE_KEY ?? keys[0].id;
    if (!keys.some((k) => k.id === activeKeyId)) {
      problem('ENCRYPTION_ACTIVE_KEY', `"${activeKeyId}" is not one of the ids in ENCRYPTION_KEYS`);
      return undefined;
    }
    ring = { activeKeyId, keys, source: 'env' };
  }
  const blindIndexKeyId = env.ENCRYPTION_BLIND_INDEX_KEY ?? ring.keys[0].id;
  if (!ring.keys.some((k) => k.id === blindIndexKeyId)) {
    problem(
      'ENCRYPTION_BLIND_INDEX_KEY',
      `"${blindIndexKeyId}" is not one of the listed key ids; it must stay listed after rotation`,
    );
    return undefined;
  }
  return { ...ring, blindIndexKeyId };
}
