import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { AppConfig, DatabaseConfig, EncryptionKeyConfig, LogLevel } from './app-config';
import { ConfigError } from './config-error';

type Env = Readonly<Record<string, string | undefined>>;

const LOG_LEVELS: readonly LogLevel[] = [
  'fatal',
  'error',
  'warn',
  'info',
  'debug',
  'trace',
  'silent',
];
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

export interface LoadedConfig {
  config: AppConfig;
  /** Things worth a warning at start-up (e.g. a generated key file). */
  warnings: string[];
}

/**
 * Builds the one configuration object from the environment. Every problem is collected
 * (not just the first), each as one line naming the variable, so an operator fixes them
 * all in one go. Secrets are never echoed back.
 */
export function loadConfig(env: Env = process.env): LoadedConfig {
  const problems: string[] = [];
  const warnings: string[] = [];
  const read = (name: string): string | undefined => {
    const value = env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  };

  const nodeEnv = oneOf(read('NODE_ENV') ?? 'development', [
    'development',
    'production',
    'test',
  ] as const);
  if (!nodeEnv)
    problems.push(`NODE_ENV: expected development, production or test; got "${read('NODE_ENV')}"`);

  const logLevelRaw = read('LOG_LEVEL') ?? 'info';
  const logLevel = oneOf(logLevelRaw, LOG_LEVELS);
  if (!logLevel)
    problems.push(`LOG_LEVEL: expected one of ${LOG_LEVELS.join(', ')}; got "${logLevelRaw}"`);

  const port = (name: string, fallback: number): number => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || n > 65535) {
      problems.push(`${name}: expected a TCP port number 0-65535; got "${raw}"`);
      return fallback;
    }
    return n;
  };
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!/^-?\d+$/.test(raw) || n < min || n > max) {
      problems.push(`${name}: expected a whole number from ${min} to ${max}; got "${raw}"`);
      return fallback;
    }
    return n;
  };
  const bool = (name: string, fallback: boolean): boolean => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    const parsed = parseBoolean(raw);
    if (parsed === undefined) {
      problems.push(`${name}: expected true or false; got "${raw}"`);
      return fallback;
    }
    return parsed;
  };

  const dataDir = resolve(read('DATA_DIR') ?? './data');
  const database = parseDatabaseUrl(
    read('DATABASE_URL') ?? 'sqlite:./data/contact-sync.db',
    problems,
  );

  const redisUrl = read('REDIS_URL') ?? 'redis://127.0.0.1:6379';
  if (!isUrlWithHost(redisUrl, ['redis:', 'rediss:'])) {
    problems.push(
      `REDIS_URL: expected redis://[user:password@]host[:port][/db] or rediss://...; got "${redact(redisUrl)}"`,
    );
  }

  const redisKeyPrefix = read('REDIS_KEY_PREFIX') ?? 'cs';
  if (!/^[a-z0-9-]{1,32}$/.test(redisKeyPrefix)) {
    problems.push(
      `REDIS_KEY_PREFIX: expected 1-32 lower-case letters, digits or -; got "${redisKeyPrefix}"`,
    );
  }

  const mongoUrl = read('MONGO_URL');
  if (mongoUrl !== undefined && !isUrlWithHost(mongoUrl, ['mongodb:', 'mongodb+srv:'])) {
    problems.push(
      `MONGO_URL: expected mongodb://host[:port]/db or mongodb+srv://...; got "${redact(mongoUrl)}"`,
    );
  }

  const queuesRaw = read('WORKER_QUEUES') ?? '*';
  const queues = queuesRaw
    .split(',')
    .map((q) => q.trim())
    .filter(Boolean);
  if (queues.length === 0 || queues.some((q) => q !== '*' && !/^[a-z][a-z0-9-]*$/.test(q))) {
    problems.push(
      `WORKER_QUEUES: expected * or a comma-separated list of queue names; got "${queuesRaw}"`,
    );
  }

  const httpsUrl = (name: string, fallback: string): string => {
    const raw = read(name) ?? fallback;
    if (!isUrlWithHost(raw, ['https:']))
      problems.push(`${name}: expected an https:// URL; got "${redact(raw)}"`);
    return raw.replace(/\/+$/, '');
  };
  const existingFile = (name: string): string | undefined => {
    const raw = read(name);
    if (raw === undefined) return undefined;
    const path = resolve(raw);
    if (!existsSync(path)) problems.push(`${name}: file ${path} does not exist`);
    return path;
  };

  const clientId = read('MICROSOFT_CLIENT_ID');
  let microsoft: AppConfig['microsoft'];
  if (clientId !== undefined) {
    microsoft = {
      clientId,
      clientSecret: read('MICROSOFT_CLIENT_SECRET'),
      certificateFile: existingFile('MICROSOFT_CLIENT_CERTIFICATE_FILE'),
      authorityHost: httpsUrl('MICROSOFT_AUTHORITY_HOST', 'https://login.microsoftonline.com'),
      graphBaseUrl: httpsUrl('MICROSOFT_GRAPH_URL', 'https://graph.microsoft.com'),
      caFile: existingFile('MICROSOFT_CA_FILE'),
    };
    if (!microsoft.clientSecret && !microsoft.certificateFile) {
      problems.push(
        'MICROSOFT_CLIENT_SECRET: set it or MICROSOFT_CLIENT_CERTIFICATE_FILE (preferred) when MICROSOFT_CLIENT_ID is set',
      );
    }
  }

  const adminModeRaw = read('ADMIN_MODE') ?? 'self-hosted';
  const adminMode = oneOf(adminModeRaw, ['saas', 'self-hosted'] as const);
  if (!adminMode) problems.push(`ADMIN_MODE: expected saas or self-hosted; got "${adminModeRaw}"`);
  const allowedTenants = (read('ADMIN_ALLOWED_TENANTS') ?? '')
    .split(',')
    .map((t) => t.trim().toLowerCase())
    .filter(Boolean);
  const badTenant = allowedTenants.find(
    (t) => !/^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/.test(t),
  );
  if (badTenant)
    problems.push(
      `ADMIN_ALLOWED_TENANTS: expected comma-separated tenant ids (GUIDs); got "${badTenant}"`,
    );
  if (allowedTenants.length > 0 && adminMode === 'saas')
    problems.push('ADMIN_ALLOWED_TENANTS: only applies to ADMIN_MODE=self-hosted');
  const adminPublicUrl = read('ADMIN_PUBLIC_URL');
  if (adminPublicUrl !== undefined && !isUrlWithHost(adminPublicUrl, ['https:', 'http:']))
    problems.push(`ADMIN_PUBLIC_URL: expected an http(s):// URL; got "${redact(adminPublicUrl)}"`);
  const smtpUrl = read('SMTP_URL');
  if (smtpUrl !== undefined && !isUrlWithHost(smtpUrl, ['smtp:', 'smtps:']))
    problems.push(
      `SMTP_URL: expected smtp://host:port or smtps://host:port; got "${redact(smtpUrl)}"`,
    );
  const alertFrom = read('ALERT_FROM') ?? 'contact-sync-alerts@localhost';
  if (!/^[^\s@<>]+@[^\s@<>]+$/.test(alertFrom))
    problems.push(`ALERT_FROM: expected an e-mail address; got "${redact(alertFrom)}"`);
  const sessionSecret = read('ADMIN_SESSION_SECRET');
  if (sessionSecret !== undefined && sessionSecret.length < 32)
    problems.push('ADMIN_SESSION_SECRET: expected at least 32 characters');

  const config = {
    env: nodeEnv ?? 'development',
    logLevel: logLevel ?? 'info',
    api: { port: port('API_PORT', 3000), host: read('API_HOST') ?? '127.0.0.1' },
    worker: {
      healthPort: port('WORKER_HEALTH_PORT', 3001),
      host: read('WORKER_HOST') ?? '127.0.0.1',
      queues,
    },
    database: database as DatabaseConfig,
    migrations: {
      runOnStart: bool('MIGRATIONS_RUN_ON_START', true),
      lockTimeoutMs: integer('MIGRATION_LOCK_TIMEOUT_MS', 120_000, 1_000, 3_600_000),
      lockDir: dataDir,
    },
    redis: { url: redisUrl, keyPrefix: redisKeyPrefix },
    mongo: { url: mongoUrl },
    logRetentionDays: integer('LOG_RETENTION_DAYS', 30, 1, 30),
    encryption: undefined as unknown as EncryptionKeyConfig,
    shutdownTimeoutMs: integer('SHUTDOWN_TIMEOUT_MS', 25_000, 1_000, 600_000),
    dataDir,
    microsoft,
    sync: {
      workerConcurrency: integer('SYNC_WORKER_CONCURRENCY', 16, 1, 500),
      tenantMailboxLimit: integer('SYNC_TENANT_MAILBOX_LIMIT', 20, 1, 10_000),
      appRequestsPer10s: integer('GRAPH_APP_REQUESTS_PER_10S', 130_000, 1, 1_000_000),
      runDeadlineMinutes: integer('SYNC_RUN_DEADLINE_MINUTES', 360, 1, 10_080),
      maxInlineRetrySeconds: integer('SYNC_MAX_INLINE_RETRY_SECONDS', 30, 0, 600),
      runSweepSeconds: integer('SYNC_RUN_SWEEP_SECONDS', 60, 1, 3_600),
    },
    demo: { simulatorPort: port('DEMO_SIMULATOR_PORT', 8443) },
    admin: {
      mode: adminMode ?? 'self-hosted',
      allowedTenants,
      publicUrl: adminPublicUrl?.replace(/\/+$/, ''),
      sessionSecret,
      sessionTtlMinutes: integer('ADMIN_SESSION_TTL_MINUTES', 480, 5, 10_080),
      cookieSecure: bool('ADMIN_COOKIE_SECURE', (nodeEnv ?? 'development') === 'production'),
      bodyLimitBytes: integer('ADMIN_BODY_LIMIT_BYTES', 5_000_000, 10_000, 100_000_000),
      scheduleMinIntervalMinutes: integer('SCHEDULE_MIN_INTERVAL_MINUTES', 5, 1, 1440),
      rateLimit: {
        perMinute: integer('API_RATE_LIMIT_PER_MINUTE', 600, 1, 1_000_000),
        authPerMinute: integer('API_AUTH_RATE_LIMIT_PER_MINUTE', 30, 1, 100_000),
      },
      alerts: {
        smtpUrl,
        from: alertFrom,
        pollSeconds: integer('ALERT_POLL_SECONDS', 30, 1, 3600),
        webhookCaFile: read('ALERT_WEBHOOK_CA_FILE'),
        webhookAllowHttp: bool('ALERT_WEBHOOK_ALLOW_HTTP', false),
        webhookAllowPrivateNetworks: bool('ALERT_WEBHOOK_ALLOW_PRIVATE_NETWORKS', false),
      },
    },
  } satisfies AppConfig;

  const parsedEncryption = parseEncryption(
    read('ENCRYPTION_KEYS'),
    read('ENCRYPTION_ACTIVE_KEY'),
    resolve(read('ENCRYPTION_KEY_FILE') ?? `${dataDir}/encryption-keys.json`),
    { embedded: database?.kind === 'sqlite' && config.env !== 'production' },
    problems,
    warnings,
  );

  let encryption: EncryptionKeyConfig | undefined;
  if (parsedEncryption) {
    const blindIndexKeyId = read('ENCRYPTION_BLIND_INDEX_KEY') ?? parsedEncryption.keys[0].id;
    if (!parsedEncryption.keys.some((k) => k.id === blindIndexKeyId)) {
      problems.push(
        `ENCRYPTION_BLIND_INDEX_KEY: "${blindIndexKeyId}" is not one of the listed key ids; it must stay listed after rotation`,
      );
    }
    encryption = { ...parsedEncryption, blindIndexKeyId };
  }

  if (problems.length > 0 || !database || !encryption) throw new ConfigError(problems);
  return { config: { ...config, database, encryption }, warnings };
}

function oneOf<T extends string>(value: string, allowed: readonly T[]): T | undefined {
  return (allowed as readonly string[]).includes(value) ? (value as T) : undefined;
}

function parseBoolean(raw: string): boolean | undefined {
  const v = raw.toLowerCase();
  if (['true', '1', 'yes'].includes(v)) return true;
  if (['false', '0', 'no'].includes(v)) return false;
  return undefined;
}

function isUrlWithHost(raw: string, protocols: string[]): boolean {
  try {
    const url = new URL(raw);
    return protocols.includes(url.protocol) && url.hostname !== '';
  } catch {
    return false;
  }
}

/** Hides the password of a URL before it goes into an error message. */
function redact(raw: string): string {
  try {
    const url = new URL(raw);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return raw.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
  }
}

const DATABASE_EXPECTED =
  'expected sqlite:<file path>, postgres://user[:password]@host[:port]/database or mssql://user:password@host[:port]/database';

export function parseDatabaseUrl(raw: string, problems: string[]): DatabaseConfig | undefined {
  if (raw.startsWith('sqlite:')) {
    const path = raw.slice('sqlite:'.length).replace(/^\/\/(?=\.|\/)/, '');
    if (!path) {
      problems.push(`DATABASE_URL: ${DATABASE_EXPECTED}; the sqlite file path is empty`);
      return undefined;
    }
    return { kind: 'sqlite', url: raw, path: path === ':memory:' ? path : resolve(path) };
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    problems.push(`DATABASE_URL: ${DATABASE_EXPECTED}; got "${redact(raw)}"`);
    return undefined;
  }
  if (url.protocol === 'postgres:' || url.protocol === 'postgresql:') {
    if (!url.hostname || url.pathname.length <= 1) {
      problems.push(
        `DATABASE_URL: ${DATABASE_EXPECTED}; the postgres URL needs a host and a database name`,
      );
      return undefined;
    }
    return { kind: 'postgres', url: raw };
  }
  if (url.protocol === 'mssql:' || url.protocol === 'sqlserver:') {
    const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
    const portText = url.port || '1433';
    const encrypt = parseBoolean(url.searchParams.get('encrypt') ?? 'true');
    const trust = parseBoolean(url.searchParams.get('trustServerCertificate') ?? 'false');
    const missing = [
      !url.hostname && 'a host',
      !database && 'a database name',
      !url.username && 'a user name',
      encrypt === undefined && 'encrypt=true|false',
      trust === undefined && 'trustServerCertificate=true|false',
    ].filter(Boolean);
    if (missing.length > 0) {
      problems.push(
        `DATABASE_URL: ${DATABASE_EXPECTED}; the mssql URL needs ${missing.join(', ')}`,
      );
      return undefined;
    }
    return {
      kind: 'mssql',
      url: raw,
      host: url.hostname,
      port: Number(portText),
      database,
      username: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password),
      encrypt: encrypt!,
      trustServerCertificate: trust!,
    };
  }
  problems.push(`DATABASE_URL: ${DATABASE_EXPECTED}; got "${redact(raw)}"`);
  return undefined;
}

interface KeyFile {
  activeKeyId: string;
  keys: Record<string, string>;
}

function parseEncryption(
  keysRaw: string | undefined,
  activeRaw: string | undefined,
  keyFile: string,
  mode: { embedded: boolean },
  problems: string[],
  warnings: string[],
): Omit<EncryptionKeyConfig, 'blindIndexKeyId'> | undefined {
  if (keysRaw === undefined) {
    if (!mode.embedded) {
      problems.push(
        'ENCRYPTION_KEYS: required outside the embedded SQLite default; expected "keyId:base64-of-32-bytes[,keyId:...]"',
      );
      return undefined;
    }
    return loadOrCreateKeyFile(keyFile, problems, warnings);
  }
  const keys: { id: string; material: Buffer }[] = [];
  for (const [index, entry] of keysRaw.split(',').entries()) {
    const separator = entry.indexOf(':');
    const id = entry.slice(0, separator).trim();
    const material = Buffer.from(entry.slice(separator + 1).trim(), 'base64');
    if (separator < 1 || !KEY_ID.test(id)) {
      problems.push(
        `ENCRYPTION_KEYS: entry ${index + 1} needs a key id of letters, digits, _ or - (1-32) before ":"`,
      );
    } else if (material.length !== 32) {
      problems.push(
        `ENCRYPTION_KEYS: key "${id}" must be 32 bytes in base64; it decodes to ${material.length}`,
      );
    } else if (keys.some((k) => k.id === id)) {
      problems.push(`ENCRYPTION_KEYS: key id "${id}" appears twice`);
    } else {
      keys.push({ id, material });
    }
  }
  if (keys.length === 0) return undefined;
  const activeKeyId = activeRaw ?? keys[0].id;
  if (!keys.some((k) => k.id === activeKeyId)) {
    problems.push(
      `ENCRYPTION_ACTIVE_KEY: "${activeKeyId}" is not one of the ids in ENCRYPTION_KEYS`,
    );
    return undefined;
  }
  return { activeKeyId, keys, source: 'env' };
}

function loadOrCreateKeyFile(
  keyFile: string,
  problems: string[],
  warnings: string[],
): Omit<EncryptionKeyConfig, 'blindIndexKeyId'> | undefined {
  const generated = !existsSync(keyFile);
  if (generated) {
    const id = `k${new Date().toISOString().slice(0, 10).replace(/-/g, '')}`;
    const content: KeyFile = {
      activeKeyId: id,
      keys: { [id]: randomBytes(32).toString('base64') },
    };
    mkdirSync(dirname(keyFile), { recursive: true });
    writeFileSync(keyFile, JSON.stringify(content, null, 2), { mode: 0o600, flag: 'wx' });
    warnings.push(
      `ENCRYPTION_KEYS is not set: generated a key file at ${keyFile} for the embedded default. Back it up; set ENCRYPTION_KEYS in production.`,
    );
  }
  try {
    chmodSync(keyFile, 0o600);
    const parsed = JSON.parse(readFileSync(keyFile, 'utf8')) as KeyFile;
    const keys = Object.entries(parsed.keys).map(([id, b64]) => ({
      id,
      material: Buffer.from(b64, 'base64'),
    }));
    const bad = keys.find((k) => !KEY_ID.test(k.id) || k.material.length !== 32);
    if (bad || !keys.some((k) => k.id === parsed.activeKeyId)) throw new Error('bad key file');
    return {
      activeKeyId: parsed.activeKeyId,
      keys,
      source: generated ? 'generated-file' : 'file',
      keyFile,
    };
  } catch {
    problems.push(
      `ENCRYPTION_KEY_FILE: ${keyFile} is not a valid key file (expected {"activeKeyId","keys":{id: base64 of 32 bytes}})`,
    );
    return undefined;
  }
}
