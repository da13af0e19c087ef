import { ConfigError } from './config-error';
import { loadConfig } from './load-config';

const base = {
  NODE_ENV: 'test',
  DATABASE_URL: 'sqlite::memory:',
  ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 1).toString('base64')}`,
};

describe('admin API settings', () => {
  it('defaults to self-hosted, any tenant, 8 h sessions, cookies Secure only in production', () => {
    const { admin } = loadConfig(base).config;
    expect(admin).toMatchObject({
      mode: 'self-hosted',
      allowedTenants: [],
      sessionTtlMinutes: 480,
      cookieSecure: false,
    });
    expect(loadConfig({ ...base, NODE_ENV: 'production' }).config.admin.cookieSecure).toBe(true);
  });

  it('gives API tokens a default and a maximum lifetime, and revoked tenants 30 days', () => {
    const { admin } = loadConfig(base).config;
    expect(admin.apiTokenDays).toEqual({ default: 90, max: 365 });
    expect(admin.revokedTenantRetentionDays).toBe(30);
    const custom = loadConfig({
      ...base,
      API_TOKEN_DEFAULT_DAYS: '7',
      API_TOKEN_MAX_DAYS: '30',
      REVOKED_TENANT_RETENTION_DAYS: '90',
    }).config.admin;
    expect(custom.apiTokenDays).toEqual({ default: 7, max: 30 });
    expect(custom.revokedTenantRetentionDays).toBe(90);
    expect(() =>
      loadConfig({ ...base, API_TOKEN_DEFAULT_DAYS: '60', API_TOKEN_MAX_DAYS: '30' }),
    ).toThrow(/API_TOKEN_DEFAULT_DAYS: must not exceed API_TOKEN_MAX_DAYS \(30\)/);
  });

  it('reads the allowed tenants lower-cased and the public URL without a trailing slash', () => {
    const { admin } = loadConfig({
      ...base,
      ADMIN_ALLOWED_TENANTS:
        '11111111-2222-4333-8444-55555555555A, 99999999-2222-4333-8444-555555555555',
      ADMIN_PUBLIC_URL: 'https://sync.example.com/',
    }).config;
    expect(admin.allowedTenants).toEqual([
      '11111111-2222-4333-8444-55555555555a',
      '99999999-2222-4333-8444-555555555555',
    ]);
    expect(admin.publicUrl).toBe('https://sync.example.com');
  });

  it('lists every bad admin setting', () => {
    let error: unknown;
    try {
      loadConfig({
        ...base,
        ADMIN_MODE: 'cloud',
        ADMIN_ALLOWED_TENANTS: 'contoso',
        ADMIN_PUBLIC_URL: 'ftp://x',
        ADMIN_SESSION_SECRET: 'short',
        ADMIN_SESSION_TTL_MINUTES: '1',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const text = (error as Error).message;
    for (const name of [
      'ADMIN_MODE',
      'ADMIN_ALLOWED_TENANTS',
      'ADMIN_PUBLIC_URL',
      'ADMIN_SESSION_SECRET',
      'ADMIN_SESSION_TTL_MINUTES',
    ])
      expect(text).toContain(name);
  });

  it('reads the alert settings and refuses a bad SMTP URL, sender, poll interval or lease', () => {
    expect(loadConfig(base).config.admin.alerts).toEqual({
      smtpUrl: undefined,
      from: 'contact-sync-alerts@localhost',
      pollSeconds: 30,
      deliveryLeaseSeconds: 120,
      webhookCaFile: undefined,
      webhookAllowHttp: false,
      webhookAllowPrivateNetworks: false,
    });
    expect(
      loadConfig({
        ...base,
        ALERT_WEBHOOK_ALLOW_HTTP: 'true',
        ALERT_WEBHOOK_ALLOW_PRIVATE_NETWORKS: '1',
      }).config.admin.alerts,
    ).toMatchObject({ webhookAllowHttp: true, webhookAllowPrivateNetworks: true });
    expect(
      loadConfig({
        ...base,
        SMTP_URL: 'smtps://u:p@mail.example.com:465',
        ALERT_FROM: 'alerts@example.com',
        ALERT_POLL_SECONDS: '5',
      }).config.admin.alerts,
    ).toMatchObject({ smtpUrl: 'smtps://u:p@mail.example.com:465', pollSeconds: 5 });
    let error: unknown;
    try {
      loadConfig({
        ...base,
        SMTP_URL: 'https://u:hunter2@mail.example.com',
        ALERT_FROM: 'nobody',
        ALERT_POLL_SECONDS: '0',
        ALERT_DELIVERY_LEASE_SECONDS: '0',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toMatch(/SMTP_URL/);
    expect(message).toMatch(/ALERT_FROM/);
    expect(message).toMatch(/ALERT_POLL_SECONDS/);
    expect(message).toMatch(/ALERT_DELIVERY_LEASE_SECONDS/);
    expect(message).not.toContain('hunter2');
  });

  it('rate limits default to 600 a minute per caller and 30 on sign-in; bad values are named', () => {
    expect(loadConfig(base).config.admin.rateLimit).toEqual({ perMinute: 600, authPerMinute: 30 });
    expect(
      loadConfig({
        ...base,
        API_RATE_LIMIT_PER_MINUTE: '5',
        API_AUTH_RATE_LIMIT_PER_MINUTE: '2',
      }).config.admin.rateLimit,
    ).toEqual({ perMinute: 5, authPerMinute: 2 });
    let error: unknown;
    try {
      loadConfig({
        ...base,
        API_RATE_LIMIT_PER_MINUTE: '0',
        API_AUTH_RATE_LIMIT_PER_MINUTE: 'lots',
        ALERT_WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'maybe',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toMatch(/API_RATE_LIMIT_PER_MINUTE: expected a whole number from 1/);
    expect(message).toMatch(/API_AUTH_RATE_LIMIT_PER_MINUTE: expected a whole number/);
    expect(message).toMatch(/ALERT_WEBHOOK_ALLOW_PRIVATE_NETWORKS: expected true or false/);
  });
});
