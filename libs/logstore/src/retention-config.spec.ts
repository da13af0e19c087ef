import { ConfigError, loadConfig } from '@app/config';
import { randomBytes } from 'node:crypto';

// Issue 5, acceptance 3: LOG_RETENTION_DAYS defaults to 30, is bounded 1-30, and an invalid
// value stops start-up (loadConfig throws; the entry points exit on ConfigError).
const base = {
  NODE_ENV: 'test',
  DATABASE_URL: 'postgres://u:p@localhost:5432/db',
  ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
};

describe('LOG_RETENTION_DAYS', () => {
  it('defaults to 30 days', () => {
    expect(loadConfig(base).config.logRetentionDays).toBe(30);
  });

  it.each(['1', '7', '30'])('accepts %s', (value) => {
    expect(loadConfig({ ...base, LOG_RETENTION_DAYS: value }).config.logRetentionDays).toBe(
      Number(value),
    );
  });

  it.each(['0', '31', '-1', '7.5', 'thirty', '1e1'])(
    'rejects %s as a start-up error naming the variable',
    (value) => {
      let thrown: unknown;
      try {
        loadConfig({ ...base, LOG_RETENTION_DAYS: value });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(ConfigError);
      expect((thrown as ConfigError).problems).toEqual([
        expect.stringMatching(/^LOG_RETENTION_DAYS: .*1 to 30/),
      ]);
    },
  );
});
