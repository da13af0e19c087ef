import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from './config-error';
import { loadConfig } from './load-config';

const key = (byte: number, length = 32) => Buffer.alloc(length, byte).toString('base64');
const tmp = () => mkdtempSync(join(tmpdir(), 'config-spec-'));

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig({ DATA_DIR: tmp(), ...env });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems as string[];
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('gives the embedded defaults and generates a private key file on first start', () => {
    const dir = tmp();
    const { config, warnings } = loadConfig({ DATA_DIR: dir });
    expect(config.database.kind).toBe('sqlite');
    expect(config.redis.url).toBe('redis://127.0.0.1:6379');
    expect(config.api.port).toBe(3000);
    expect(config.logRetentionDays).toBe(30);
    expect(config.mongo.url).toBeUndefined();
    expect(config.encryption.source).toBe('generated-file');
    expect(config.encryption.keys[0].material).toHaveLength(32);
    const file = join(dir, 'encryption-keys.json');
    expect(existsSync(file)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(warnings.join('\n')).toMatch(/ENCRYPTION_KEYS is not set: generated a key file/);

    // The second start reads the same key rather than making a new one.
    const again = loadConfig({ DATA_DIR: dir });
    expect(again.config.encryption.source).toBe('file');
    expect(
      again.config.encryption.keys[0].material.equals(config.encryption.keys[0].material),
    ).toBe(true);
    expect(again.warnings).toEqual([]);
    expect(JSON.parse(readFileSync(file, 'utf8')).activeKeyId).toBe(config.encryption.activeKeyId);
  });

  it('parses ENCRYPTION_KEYS and picks the active key', () => {
    const { config } = loadConfig({
      DATA_DIR: tmp(),
      ENCRYPTION_KEYS: `old:${key(1)},new:${key(2)}`,
      ENCRYPTION_ACTIVE_KEY: 'new',
    });
    expect(config.encryption.activeKeyId).toBe('new');
    expect(config.encryption.keys.map((k) => k.id)).toEqual(['old', 'new']);
    expect(config.encryption.source).toBe('env');
  });

  it('keeps blind indexes on the first key unless ENCRYPTION_BLIND_INDEX_KEY says otherwise', () => {
    const env = {
      DATA_DIR: tmp(),
      ENCRYPTION_KEYS: `a:${key(1)},b:${key(2)}`,
      ENCRYPTION_ACTIVE_KEY: 'b',
    };
    expect(loadConfig(env).config.encryption.blindIndexKeyId).toBe('a');
    expect(
      loadConfig({ ...env, ENCRYPTION_BLIND_INDEX_KEY: 'b' }).config.encryption.blindIndexKeyId,
    ).toBe('b');
    expect(problemsOf({ ...env, ENCRYPTION_BLIND_INDEX_KEY: 'c' })[0]).toMatch(
      /^ENCRYPTION_BLIND_INDEX_KEY: "c" is not one/,
    );
  });

  it('defaults the active key to the first one listed', () => {
    const { config } = loadConfig({ DATA_DIR: tmp(), ENCRYPTION_KEYS: `a:${key(1)},b:${key(2)}` });
    expect(config.encryption.activeKeyId).toBe('a');
  });

  it.each([
    [
      'a key of the wrong length',
      `k1:${key(1, 16)}`,
      /ENCRYPTION_KEYS: key "k1" must be 32 bytes in base64; it decodes to 16/,
    ],
    ['an entry without an id', key(1), /ENCRYPTION_KEYS: entry 1 needs a key id/],
    ['a duplicate id', `k1:${key(1)},k1:${key(2)}`, /ENCRYPTION_KEYS: key id "k1" appears twice/],
  ])('rejects ENCRYPTION_KEYS with %s, without echoing key material', (_name, value, message) => {
    const problems = problemsOf({ ENCRYPTION_KEYS: value });
    expect(problems.join('\n')).toMatch(message);
    expect(problems.join('\n')).not.toContain(key(1));
  });

  it('rejects an active key that is not in the ring', () => {
    expect(problemsOf({ ENCRYPTION_KEYS: `a:${key(1)}`, ENCRYPTION_ACTIVE_KEY: 'b' })).toEqual([
      'ENCRYPTION_ACTIVE_KEY: "b" is not one of the ids in ENCRYPTION_KEYS',
    ]);
  });

  it('requires ENCRYPTION_KEYS outside the embedded default', () => {
    expect(problemsOf({ DATABASE_URL: 'postgres://u@db/app' })[0]).toMatch(
      /^ENCRYPTION_KEYS: required outside/,
    );
    expect(problemsOf({ NODE_ENV: 'production' })[0]).toMatch(/^ENCRYPTION_KEYS: required outside/);
  });

  it.each([
    ['mysql://u:secret@h/db', /^DATABASE_URL: expected sqlite:/],
    ['sqlite:', /^DATABASE_URL: .*the sqlite file path is empty/],
    ['postgres://u:secret@h', /^DATABASE_URL: .*needs a host and a database name/],
    ['mssql://h/db', /^DATABASE_URL: .*needs a user name/],
    ['mssql://u:p@h/db?encrypt=maybe', /^DATABASE_URL: .*encrypt=true\|false/],
    ['not a url', /^DATABASE_URL: expected/],
  ])('rejects DATABASE_URL %s naming the variable and never the password', (url, message) => {
    const problems = problemsOf({ DATABASE_URL: url, ENCRYPTION_KEYS: `k:${key(1)}` });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
    expect(problems[0]).not.toContain('secret');
  });

  it('builds SQL Server settings from an mssql:// URL', () => {
    const { config } = loadConfig({
      DATA_DIR: tmp(),
      DATABASE_URL:
        'mssql://sa:p%40ss@sql.example.com:14330/contacts?encrypt=false&trustServerCertificate=true',
      ENCRYPTION_KEYS: `k:${key(1)}`,
    });
    expect(config.database).toEqual({
      kind: 'mssql',
      url: expect.any(String),
      host: 'sql.example.com',
      port: 14330,
      database: 'contacts',
      username: 'sa',
      password: 'p@ss',
      encrypt: false,
      trustServerCertificate: true,
    });
  });

  it('defaults SQL Server to an encrypted, verified connection on port 1433', () => {
    const { config } = loadConfig({
      DATA_DIR: tmp(),
      DATABASE_URL: 'mssql://sa:x@h/db',
      ENCRYPTION_KEYS: `k:${key(1)}`,
    });
    expect(config.database).toMatchObject({
      port: 1433,
      encrypt: true,
      trustServerCertificate: false,
    });
  });

  it.each(['http://localhost:6379', 'localhost:6379', 'redis://'])(
    'rejects REDIS_URL %s',
    (url) => {
      expect(problemsOf({ REDIS_URL: url })).toEqual([
        expect.stringMatching(/^REDIS_URL: expected redis:\/\//),
      ]);
    },
  );

  it('hides the Redis password in the message', () => {
    const [problem] = problemsOf({ REDIS_URL: 'http://user:hunter2@h:6379' });
    expect(problem).not.toContain('hunter2');
  });

  it.each([
    [
      'LOG_RETENTION_DAYS',
      '0',
      /^LOG_RETENTION_DAYS: expected a whole number from 1 to 30; got "0"/,
    ],
    ['LOG_RETENTION_DAYS', '31', /^LOG_RETENTION_DAYS: expected a whole number from 1 to 30/],
    ['API_PORT', '70000', /^API_PORT: expected a TCP port number/],
    ['API_PORT', 'abc', /^API_PORT: expected a TCP port number/],
    ['LOG_LEVEL', 'loud', /^LOG_LEVEL: expected one of/],
    ['MONGO_URL', 'mysql://x', /^MONGO_URL: expected mongodb:\/\//],
    ['MIGRATIONS_RUN_ON_START', 'perhaps', /^MIGRATIONS_RUN_ON_START: expected true or false/],
    ['WORKER_QUEUES', 'Plan Run', /^WORKER_QUEUES: expected \* or a comma-separated list/],
  ])('rejects %s=%s', (name, value, message) => {
    expect(problemsOf({ [name]: value })).toEqual([expect.stringMatching(message)]);
  });

  it('has no Microsoft settings until a client id is configured', () => {
    expect(loadConfig({ DATA_DIR: tmp() }).config.microsoft).toBeUndefined();
  });

  it('reads the app registration and Microsoft endpoints', () => {
    const { config } = loadConfig({
      DATA_DIR: tmp(),
      MICROSOFT_CLIENT_ID: 'app-id',
      MICROSOFT_CLIENT_SECRET: 's3cret',
      MICROSOFT_AUTHORITY_HOST: 'https://127.0.0.1:8443/',
      MICROSOFT_GRAPH_URL: 'https://127.0.0.1:8443',
    });
    expect(config.microsoft).toEqual({
      clientId: 'app-id',
      clientSecret: 's3cret',
      certificateFile: undefined,
      authorityHost: 'https://127.0.0.1:8443',
      graphBaseUrl: 'https://127.0.0.1:8443',
      caFile: undefined,
    });
  });

  it('needs a secret or certificate with a client id, https endpoints and existing files', () => {
    const problems = problemsOf({
      MICROSOFT_CLIENT_ID: 'app-id',
      MICROSOFT_AUTHORITY_HOST: 'http://login.example',
      MICROSOFT_CA_FILE: '/nonexistent/ca.pem',
    });
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual([
      'MICROSOFT_AUTHORITY_HOST',
      'MICROSOFT_CA_FILE',
      'MICROSOFT_CLIENT_SECRET',
    ]);
  });

  it('bounds the sync settings', () => {
    expect(problemsOf({ SYNC_WORKER_CONCURRENCY: '0' })[0]).toMatch(
      /^SYNC_WORKER_CONCURRENCY: expected a whole number from 1/,
    );
    expect(problemsOf({ CALENDAR_FEED_ALLOWED_NETWORKS: '10.1.0.0/16, 10.0.0.0/99' })[0]).toMatch(
      /^CALENDAR_FEED_ALLOWED_NETWORKS: expected comma-separated CIDRs such as 10\.1\.0\.0\/16; got "10\.0\.0\.0\/99"/,
    );
    expect(loadConfig({ DATA_DIR: tmp() }).config.sync).toEqual({
      workerConcurrency: 16,
      tenantMailboxLimit: 20,
      appRequestsPer10s: 130_000,
      runDeadlineMinutes: 360,
      runSweepSeconds: 60,
      maxInlineRetrySeconds: 30,
      calendarFeeds: {
        allowedNetworks: [],
        caFile: undefined,
        timeoutMs: 15_000,
        maxBytes: 10_000_000,
      },
    });
  });

  it('bounds the EWS settings: concurrency per service account below EWSMaxConcurrency, https unless a lab allows http', () => {
    expect(loadConfig({ DATA_DIR: tmp() }).config.ews).toEqual({
      maxConcurrency: 10,
      allowHttp: false,
      timeoutMs: 100_000,
    });
    expect(
      loadConfig({
        DATA_DIR: tmp(),
        EWS_MAX_CONCURRENCY: '4',
        EWS_ALLOW_HTTP: 'true',
        EWS_TIMEOUT_MS: '500',
      }).config.ews,
    ).toEqual({ maxConcurrency: 4, allowHttp: true, timeoutMs: 500 });
    expect(problemsOf({ EWS_TIMEOUT_MS: '0' })[0]).toMatch(
      /^EWS_TIMEOUT_MS: expected a whole number from 100/,
    );
    expect(problemsOf({ EWS_MAX_CONCURRENCY: '0' })[0]).toMatch(
      /^EWS_MAX_CONCURRENCY: expected a whole number from 1/,
    );
    expect(problemsOf({ EWS_ALLOW_HTTP: 'maybe' })[0]).toMatch(/^EWS_ALLOW_HTTP: /);
  });

  it('has billing off unless STRIPE_SECRET_KEY is set (an empty one too)', () => {
    expect(loadConfig({ DATA_DIR: tmp() }).config.billing).toBeUndefined();
    expect(loadConfig({ DATA_DIR: tmp(), STRIPE_SECRET_KEY: '' }).config.billing).toBeUndefined();
  });

  it('reads the Stripe settings with their defaults, two endpoint secrets while rotating', () => {
    const stripe = {
      STRIPE_SECRET_KEY: 'sk_test_51Abc',
      STRIPE_WEBHOOK_SECRETS: 'whsec_old1, whsec_new2',
      STRIPE_SEAT_PRICE_ID: 'price_1Seat',
    };
    expect(loadConfig({ DATA_DIR: tmp(), ...stripe }).config.billing).toEqual({
      secretKey: 'sk_test_51Abc',
      webhookSecrets: ['whsec_old1', 'whsec_new2'],
      seatPriceId: 'price_1Seat',
      freeMailboxes: 10,
      graceDays: 7,
      automaticTax: false,
      api: {},
      eventSweepSeconds: 60,
    });
    const set = loadConfig({
      DATA_DIR: tmp(),
      ...stripe,
      STRIPE_SECRET_KEY: 'rk_live_51Restricted',
      STRIPE_API_URL: 'http://127.0.0.1:12111',
      STRIPE_AUTOMATIC_TAX: 'true',
      BILLING_FREE_MAILBOXES: '5',
      BILLING_GRACE_DAYS: '14',
      BILLING_EVENT_SWEEP_SECONDS: '30',
    }).config.billing;
    expect(set).toMatchObject({
      secretKey: 'rk_live_51Restricted',
      freeMailboxes: 5,
      graceDays: 14,
      automaticTax: true,
      api: { host: '127.0.0.1', port: 12111, protocol: 'http' },
      eventSweepSeconds: 30,
    });
  });

  it('names each bad Stripe setting without echoing a secret', () => {
    const problems = problemsOf({
      STRIPE_SECRET_KEY: 'pk_test_publishableKey',
      STRIPE_WEBHOOK_SECRETS: 'whsec_a,whsec_b,whsec_c',
      STRIPE_SEAT_PRICE_ID: 'prod_NotAPrice',
      STRIPE_API_URL: 'ftp://stripe.example',
      BILLING_GRACE_DAYS: '61',
    });
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual([
      'BILLING_GRACE_DAYS',
      'STRIPE_API_URL',
      'STRIPE_SEAT_PRICE_ID',
      'STRIPE_SECRET_KEY',
      'STRIPE_WEBHOOK_SECRETS',
    ]);
    const text = problems.join('\n');
    expect(text).not.toContain('pk_test_publishableKey');
    expect(text).not.toContain('whsec_a');
    expect(
      problemsOf({ STRIPE_SECRET_KEY: 'sk_test_1', STRIPE_WEBHOOK_SECRETS: 'secret' }),
    ).toEqual([
      expect.stringMatching(/^STRIPE_WEBHOOK_SECRETS: expected whsec_/),
      expect.stringMatching(/^STRIPE_SEAT_PRICE_ID: required with STRIPE_SECRET_KEY/),
    ]);
  });

  it('reports every problem at once, one line each', () => {
    const problems = problemsOf({
      DATABASE_URL: 'nope',
      REDIS_URL: 'nope',
      API_PORT: '-1',
      ENCRYPTION_KEYS: 'x',
    });
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual([
      'API_PORT',
      'DATABASE_URL',
      'ENCRYPTION_KEYS',
      'REDIS_URL',
    ]);
    for (const p of problems) expect(p).not.toContain('\n');
  });
});
