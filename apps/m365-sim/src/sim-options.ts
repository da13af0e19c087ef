/**
 * Options of the simulator. This is the only file of apps/m365-sim that reads
 * process.env (as a fallback for the CLI flags).
 */
import * as path from 'node:path';

export interface AppRegistration {
  clientId: string;
  /** client secrets accepted for this app */
  secrets: string[];
  /** PEM certificates (or public keys) whose private key may sign client assertions */
  certificates?: string[];
  displayName: string;
  /** application permissions (Graph app roles) the admin consent grants */
  requiredRoles: string[];
  /** delegated scopes the app asks for at sign-in */
  delegatedScopes?: string[];
  /**
   * Registered redirect URIs; a request's must match one exactly, as in Entra (AADSTS50011),
   * except that for http loopback hosts (localhost, 127.0.0.1) the port is ignored.
   * https://learn.microsoft.com/entra/identity-platform/reply-url#localhost-exceptions
   */
  redirectUris?: string[];
  /**
   * The manifest's `groupMembershipClaims`: `DirectoryRole` or `All` put the user's directory
   * roles in the `wids` claim; `None` (Entra's default for a new registration) leaves it out.
   */
  groupMembershipClaims?: 'None' | 'SecurityGroup' | 'DirectoryRole' | 'ApplicationGroup' | 'All';
  /** app roles of the registration itself (e.g. Sync.Admin), assignable to users */
  appRoles?: string[];
}

export interface SimOptions {
  host: string;
  port: number;
  tenants: number;
  usersPerTenant: number;
  /**
   * Regular users (after the fixed first ones) whose mailbox is on-premises, on top of the
   * seeded share (one fixed, about 5 % of the rest): a hybrid tenant with many EWS mailboxes.
   */
  onPremisesUsersPerTenant: number;
  seed: number;
  /** directory where ca.pem / ca-key.pem are kept (reused across restarts) */
  dataDir: string;
  apps: AppRegistration[];
  /** consent the default app in every tenant at start (demo convenience) */
  preConsent: boolean;
  tokenLifetimeSeconds: number;
  throttle: ThrottleOptions;
  /**
   * Service time per operation name, ms; key "*" is the default. Spent while holding the
   * mailbox's concurrency slot. Default: a small realistic latency (see README, "Service time").
   */
  serviceTimeMs: Record<string, number>;
  /**
   * Up to this many ms are added to every non-zero service time, drawn from a PRNG seeded with
   * `seed` (so a run's sequence of jitters is reproducible). A service time of 0 stays 0: tests
   * that need raw speed set `serviceTimeMs: {'*': 0}`.
   */
  serviceTimeJitterMs: number;
  /** delta tokens older than this answer 410 syncStateNotFound */
  deltaTokenTtlSeconds: number;
  /** default $batch dispatch: 'outlook4' = at most 4 sub-requests of one mailbox at a time; 'strict' = all at once */
  batchMode: 'outlook4' | 'strict';
  /** EWS throttle: concurrent requests per service account before ErrorServerBusy */
  ewsMaxConcurrency: number;
  ewsBackOffMs: number;
  /**
   * EWS service accounts. NTLM (Windows authentication) is always on, as on Exchange Server;
   * Basic is off unless `basicAuth` is true for the account (on-premises Exchange often has
   * Basic disabled on the EWS virtual directory).
   */
  ewsAccounts: EwsAccountOption[];
  /** keep every EWS response body (status, operation, body) for a schema check: GET /_sim/ews/responses */
  ewsRecordResponses: boolean;
  /**
   * validate each request against the EWS schema as Exchange does (ErrorSchemaValidation fault,
   * HTTP 500, for elements out of order, unknown elements or attributes); default on
   */
  ewsValidateRequests: boolean;
  /**
   * The last N seeded tenants are organisations with Exchange Server only, no Microsoft 365:
   * every mailbox is on-premises (reachable through EWS only), and Entra ID does not know the
   * tenant (token requests answer AADSTS90002). Default 0.
   */
  ewsOnlyTenants: number;
  quiet: boolean;
  /**
   * How long the server keeps an idle keep-alive connection open, ms (default 5000, Node's).
   * IIS, which serves EWS, keeps one 120 s (connectionTimeout): a test that needs to see a client
   * leave its connections open sets it that long.
   */
  keepAliveTimeoutMs: number;
  /** written (JSON of /_sim/info) once the server listens: lets a launcher that spawns the simulator wait for it */
  infoFile?: string;
}

export interface EwsAccountOption {
  userName: string;
  password: string;
  /** holds the ApplicationImpersonation role */
  impersonation: boolean;
  /** Basic authentication allowed for this account (default off) */
  basicAuth?: boolean;
}

export interface ThrottleOptions {
  mailboxConcurrency: number;
  mailboxWindowRequests: number;
  mailboxWindowSeconds: number;
  /** Retry-After (s) answered when the concurrency limit is hit */
  concurrencyRetryAfterSeconds: number;
  /** upper bound of Retry-After for window exhaustion (0 = exact time until a slot frees) */
  maxRetryAfterSeconds: number;
  directoryWindowRequests: number;
  directoryWindowSeconds: number;
  appWindowRequests: number;
  appWindowSeconds: number;
}

export const DEFAULT_APP: AppRegistration = {
  clientId: '7b0c3f0e-5d2a-4c1b-9a6e-2f4d8e1c0a11',
  secrets: ['sim-demo-secret-change-me'],
  displayName: 'Contact Sync Fleet (demo)',
  requiredRoles: [
    'User.Read.All',
    'GroupMember.Read.All',
    'OrgContact.Read.All',
    'Contacts.ReadWrite',
    'Calendars.ReadWrite',
    'MailboxSettings.Read',
  ],
  delegatedScopes: ['openid', 'profile', 'offline_access', 'User.Read'],
  // The product's two callbacks on a loopback host (any port): what docs/entra-app.md registers.
  redirectUris: [
    'http://localhost/api/auth/callback',
    'http://localhost/api/onboarding/callback',
    'http://127.0.0.1/api/auth/callback',
    'http://127.0.0.1/api/onboarding/callback',
  ],
  groupMembershipClaims: 'DirectoryRole',
  appRoles: ['Sync.Admin', 'Sync.Viewer'],
};

/**
 * Default service time of every Graph and EWS operation: 3 ms plus 0-5 ms of seeded jitter
 * (3-8 ms). Small enough to keep the test suite fast, large enough that requests to one mailbox
 * overlap, so the 4-concurrent-requests limit bites in ordinary tests, not only throttling ones.
 */
export const DEFAULT_SERVICE_TIME_MS = 3;
export const DEFAULT_SERVICE_TIME_JITTER_MS = 5;

export function defaultOptions(): SimOptions {
  return {
    host: '127.0.0.1',
    port: 8443,
    tenants: 2,
    usersPerTenant: 50,
    onPremisesUsersPerTenant: 0,
    seed: 42,
    dataDir: path.resolve('data/m365-sim'),
    apps: [structuredClone(DEFAULT_APP)],
    preConsent: false,
    tokenLifetimeSeconds: 3599,
    throttle: {
      mailboxConcurrency: 4,
      mailboxWindowRequests: 10000,
      mailboxWindowSeconds: 600,
      concurrencyRetryAfterSeconds: 1,
      maxRetryAfterSeconds: 0,
      directoryWindowRequests: 20000,
      directoryWindowSeconds: 10,
      appWindowRequests: 130000,
      appWindowSeconds: 10,
    },
    serviceTimeMs: { '*': DEFAULT_SERVICE_TIME_MS },
    serviceTimeJitterMs: DEFAULT_SERVICE_TIME_JITTER_MS,
    deltaTokenTtlSeconds: 7 * 24 * 3600,
    batchMode: 'outlook4',
    ewsMaxConcurrency: 27,
    ewsBackOffMs: 1000,
    ewsAccounts: [{ userName: 'svc-sync', password: 'Sim-Ews-Passw0rd', impersonation: true }],
    ewsRecordResponses: false,
    ewsValidateRequests: true,
    ewsOnlyTenants: 0,
    quiet: false,
    keepAliveTimeoutMs: 5000,
  };
}

export type SimOptionsInput = Partial<Omit<SimOptions, 'throttle'>> & {
  throttle?: Partial<ThrottleOptions>;
};

export function resolveOptions(input: SimOptionsInput = {}): SimOptions {
  const d = defaultOptions();
  return {
    ...d,
    ...input,
    throttle: { ...d.throttle, ...(input.throttle ?? {}) },
    serviceTimeMs: { ...d.serviceTimeMs, ...(input.serviceTimeMs ?? {}) },
    apps: input.apps ?? d.apps,
  };
}

const HELP = `m365-sim: simulated Microsoft 365 (identity, Graph v1.0 subset, EWS subset)
  --host H                 bind address (default 127.0.0.1)          env M365_SIM_HOST
  --port N                 port, 0 = ephemeral (default 8443)         env M365_SIM_PORT
  --tenants N              tenants to seed (default 2)                env M365_SIM_TENANTS
  --users N                users per tenant (default 50)              env M365_SIM_USERS
  --seed N                 PRNG seed (default 42)                     env M365_SIM_SEED
  --data-dir DIR           CA files (default data/m365-sim)           env M365_SIM_DATA_DIR
  --client-id ID           demo app client id                         env M365_SIM_CLIENT_ID
  --client-secret S        demo app client secret                     env M365_SIM_CLIENT_SECRET
  --redirect-uri URI       allowed redirect URI (repeatable)          env M365_SIM_REDIRECT_URIS (comma list)
  --pre-consent            grant admin consent for the demo app in every tenant
  --token-lifetime S       access token lifetime seconds (default 3599)
  --latency-ms N           service time of every Graph/EWS operation (default 3)   env M365_SIM_LATENCY_MS
  --latency-jitter-ms N    up to N ms more per operation, seeded (default 5; 0 = none)
  --window-budget N        requests per mailbox per window (default 10000)
  --window-seconds N       window length (default 600)
  --concurrency N          concurrent requests per app+mailbox (default 4)
  --retry-after S          Retry-After for concurrency 429s (default 1)
  --batch-mode M           outlook4 | strict (default outlook4)
  --delta-ttl S            delta token lifetime seconds (default 604800)
  --info-file PATH         write /_sim/info as JSON there once listening   env M365_SIM_INFO_FILE
  --ews-basic              allow Basic authentication for the EWS service accounts (default: NTLM only)
  --ews-only-tenants N     the last N tenants are Exchange Server organisations without Microsoft 365 (default 0)
  --quiet                  no banner
`;

/** Parses CLI flags, with env fallbacks. */
// The simulator is not the product: it reads its own env fallbacks here and nowhere else.
export function parseArgs(
  argv: string[],
  // eslint-disable-next-line no-restricted-properties
  env: NodeJS.ProcessEnv = process.env,
): SimOptionsInput & { help?: boolean } {
  const flags = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) continue;
    const eq = a.indexOf('=');
    let key: string;
    let value: string;
    if (eq > 0) {
      key = a.slice(2, eq);
      value = a.slice(eq + 1);
    } else {
      key = a.slice(2);
      const next = argv[i + 1];
      if (next !== undefined && !next.startsWith('--')) {
        value = next;
        i++;
      } else value = 'true';
    }
    flags.set(key, [...(flags.get(key) ?? []), value]);
  }
  const str = (flag: string, envName?: string): string | undefined =>
    flags.get(flag)?.at(-1) ?? (envName ? env[envName] : undefined);
  const num = (flag: string, envName?: string): number | undefined => {
    const v = str(flag, envName);
    if (v === undefined || v === '') return undefined;
    const n = Number(v);
    if (!Number.isFinite(n)) throw new Error(`--${flag} expects a number, got '${v}'`);
    return n;
  };
  const out: SimOptionsInput & { help?: boolean } = {};
  if (flags.has('help')) out.help = true;
  const host = str('host', 'M365_SIM_HOST');
  if (host) out.host = host;
  const set = <K extends keyof SimOptions>(k: K, v: SimOptions[K] | undefined) => {
    if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  };
  set('port', num('port', 'M365_SIM_PORT'));
  set('tenants', num('tenants', 'M365_SIM_TENANTS'));
  set('usersPerTenant', num('users', 'M365_SIM_USERS'));
  set('seed', num('seed', 'M365_SIM_SEED'));
  const dataDir = str('data-dir', 'M365_SIM_DATA_DIR');
  if (dataDir) out.dataDir = path.resolve(dataDir);
  set('tokenLifetimeSeconds', num('token-lifetime'));
  set('deltaTokenTtlSeconds', num('delta-ttl'));
  set('ewsOnlyTenants', num('ews-only-tenants'));
  if (flags.has('pre-consent') || env.M365_SIM_PRE_CONSENT === 'true') out.preConsent = true;
  if (flags.has('quiet')) out.quiet = true;
  if (flags.has('ews-basic'))
    out.ewsAccounts = defaultOptions().ewsAccounts.map((a) => ({ ...a, basicAuth: true }));
  const infoFile = str('info-file', 'M365_SIM_INFO_FILE');
  if (infoFile) out.infoFile = path.resolve(infoFile);
  const bm = str('batch-mode');
  if (bm) {
    if (bm !== 'outlook4' && bm !== 'strict')
      throw new Error(`--batch-mode expects outlook4|strict`);
    out.batchMode = bm;
  }
  const lat = num('latency-ms', 'M365_SIM_LATENCY_MS');
  if (lat !== undefined) out.serviceTimeMs = { '*': lat };
  set('serviceTimeJitterMs', num('latency-jitter-ms'));
  const throttle: Partial<ThrottleOptions> = {};
  const wb = num('window-budget');
  if (wb !== undefined) throttle.mailboxWindowRequests = wb;
  const ws = num('window-seconds');
  if (ws !== undefined) throttle.mailboxWindowSeconds = ws;
  const cc = num('concurrency');
  if (cc !== undefined) throttle.mailboxConcurrency = cc;
  const ra = num('retry-after');
  if (ra !== undefined) throttle.concurrencyRetryAfterSeconds = ra;
  if (Object.keys(throttle).length) out.throttle = throttle;
  const clientId = str('client-id', 'M365_SIM_CLIENT_ID');
  const secret = str('client-secret', 'M365_SIM_CLIENT_SECRET');
  const redirects =
    flags.get('redirect-uri') ?? env.M365_SIM_REDIRECT_URIS?.split(',').filter(Boolean);
  if (clientId || secret || redirects) {
    const app = structuredClone(DEFAULT_APP);
    if (clientId) app.clientId = clientId;
    if (secret) app.secrets = [secret];
    if (redirects) app.redirectUris = redirects;
    out.apps = [app];
  }
  return out;
}

export const helpText = HELP;

/** The environment for a child process of the simulator's tests, with overrides. */
export function childEnv(overrides: Record<string, string>): NodeJS.ProcessEnv {
  // eslint-disable-next-line no-restricted-properties -- the simulator's one reader of the environment
  return { ...process.env, ...overrides };
}
