import { parseArgs, resolveOptions, DEFAULT_APP } from './sim-options';

describe('sim-options', () => {
  it('parses flags with values, = syntax and booleans', () => {
    const o = parseArgs(
      [
        '--port',
        '0',
        '--tenants=3',
        '--users',
        '1000',
        '--seed',
        '9',
        '--latency-ms',
        '25',
        '--latency-jitter-ms',
        '0',
        '--window-budget',
        '50',
        '--batch-mode',
        'strict',
        '--pre-consent',
      ],
      {},
    );
    expect(o).toMatchObject({
      port: 0,
      tenants: 3,
      usersPerTenant: 1000,
      seed: 9,
      serviceTimeMs: { '*': 25 },
      serviceTimeJitterMs: 0,
      throttle: { mailboxWindowRequests: 50 },
      batchMode: 'strict',
      preConsent: true,
    });
  });
  it('falls back to env, flags win', () => {
    expect(
      parseArgs(['--port', '9000'], { M365_SIM_PORT: '8000', M365_SIM_TENANTS: '4' }),
    ).toMatchObject({ port: 9000, tenants: 4 });
  });
  it('rejects non-numbers and unknown batch modes', () => {
    expect(() => parseArgs(['--port', 'abc'], {})).toThrow(/number/);
    expect(() => parseArgs(['--batch-mode', 'lax'], {})).toThrow(/outlook4/);
  });
  it('configures the demo app from flags', () => {
    const o = resolveOptions(
      parseArgs(
        ['--client-id', 'abc', '--client-secret', 's3', '--redirect-uri', 'https://x/cb'],
        {},
      ),
    );
    expect(o.apps[0]).toMatchObject({
      clientId: 'abc',
      secrets: ['s3'],
      redirectUris: ['https://x/cb'],
      requiredRoles: DEFAULT_APP.requiredRoles,
    });
  });
  it('merges throttle options over the documented defaults', () => {
    const o = resolveOptions({ throttle: { mailboxConcurrency: 2 } });
    expect(o.throttle).toMatchObject({
      mailboxConcurrency: 2,
      mailboxWindowRequests: 10000,
      mailboxWindowSeconds: 600,
      appWindowRequests: 130000,
      appWindowSeconds: 10,
    });
  });
});
