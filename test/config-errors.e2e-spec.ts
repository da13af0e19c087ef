import { startService } from './support/service-process';
import { serviceEnv } from './support/test-env';

describe.each(['apps/admin-api/src/main.ts', 'apps/worker/src/main.ts'])(
  '%s with bad settings',
  (entry) => {
    it.each([
      ['DATABASE_URL', 'mysql://root:topsecret@localhost/app', 'topsecret'],
      ['REDIS_URL', 'http://:topsecret@localhost:6379', 'topsecret'],
      ['ENCRYPTION_KEYS', 'k1:dG9vLXNob3J0', 'dG9vLXNob3J0'],
    ['LOG_RETENTION_DAYS', '45', 'no secret here'],
    ])(
      '%s: exits 1 with one line naming the variable, and no secret',
      async (variable, value, secret) => {
        const service = startService(entry, serviceEnv({ [variable]: value }));
        expect(await service.exited()).toBe(1);
        const lines = service.output().trim().split('\n');
        expect(lines).toEqual([expect.stringMatching(new RegExp(`^config error: ${variable}: `))]);
        expect(service.output()).not.toContain(secret);
      },
    );
  },
);

describe('the admin API in production', () => {
  it('refuses to start without ADMIN_PUBLIC_URL (redirect URIs would follow the Host header)', async () => {
    const service = startService(
      'apps/admin-api/src/main.ts',
      serviceEnv({ NODE_ENV: 'production', ADMIN_PUBLIC_URL: '' }),
    );
    expect(await service.exited()).toBe(1);
    expect(service.output().trim().split('\n')).toEqual([
      expect.stringMatching(/^config error: ADMIN_PUBLIC_URL: required in production/),
    ]);
  });
});
