import { TEST_SERVERS } from '@app/config';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const POSTGRES_SERVER_URL = TEST_SERVERS.postgresUrl;
export const REDIS_URL = TEST_SERVERS.redisUrl;

export const testKey = (): string => `test:${randomBytes(32).toString('base64')}`;

/** Environment for a service on its own data folder and ephemeral ports. */
export function serviceEnv(overrides: Record<string, string> = {}): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'svc-'));
  return {
    NODE_ENV: 'test',
    DATA_DIR: dir,
    DATABASE_URL: `sqlite:${join(dir, 'app.db')}`,
    REDIS_URL,
    API_PORT: '0',
    WORKER_HEALTH_PORT: '0',
    ENCRYPTION_KEYS: testKey(),
    ...overrides,
  };
}
