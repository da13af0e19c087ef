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
    METRICS_PORT: '0',
    WORKER_METRICS_PORT: '0',
    ENCRYPTION_KEYS: testKey(),
    ...overrides,
  };
}

/** The product's settings pointing at a running simulator, on a scratch folder and Redis namespace. */
export function productEnvFor(
  sim: {
    baseUrl: string;
    caPath: string;
    info: { apps: Array<{ clientId: string; clientSecret: string }> };
  },
  dir: string,
): Record<string, string> {
  const app = sim.info.apps[0];
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: dir,
    DATABASE_URL: `sqlite:${join(dir, 'app.db')}`,
    REDIS_URL,
    REDIS_KEY_PREFIX: `e2e-${randomBytes(4).toString('hex')}`,
    ENCRYPTION_KEYS: testKey(),
    MICROSOFT_CLIENT_ID: app.clientId,
    MICROSOFT_CLIENT_SECRET: app.clientSecret,
    MICROSOFT_AUTHORITY_HOST: sim.baseUrl,
    MICROSOFT_GRAPH_URL: sim.baseUrl,
    MICROSOFT_CA_FILE: sim.caPath,
    API_PORT: '0',
    WORKER_HEALTH_PORT: '0',
    METRICS_PORT: '0',
    WORKER_METRICS_PORT: '0',
  };
}
