import { loadConfig, TEST_SERVERS } from '@app/config';
import { FieldCipher, KeyRing } from '@app/crypto';
import { createRedisClient } from '@app/queue';
import type { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { AppRequestBudget } from '../graph/app-request-budget';
import { GraphGateway } from '../graph/graph-gateway';
import { TenantTokenProvider } from '../identity/tenant-token-provider';
import { TokenCredentialFactory } from '../identity/token-credential-factory';
import type { SimulatorProcess } from './simulator-process';

/**
 * The real Graph gateway (tokens cached in Redis under a prefix of its own, the app budget)
 * pointed at a simulator process, as the worker builds it. The caller disconnects `redis`.
 */
export function gatewayOnSimulator(sim: SimulatorProcess): { gateway: GraphGateway; redis: Redis } {
  const app = sim.info.apps[0];
  const { config } = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: sim.dataDir,
    DATABASE_URL: `sqlite:${join(sim.dataDir, 'app.db')}`,
    REDIS_URL: TEST_SERVERS.redisUrl,
    REDIS_KEY_PREFIX: `int-${randomBytes(4).toString('hex')}`,
    ENCRYPTION_KEYS: `test:${randomBytes(32).toString('base64')}`,
    MICROSOFT_CLIENT_ID: app.clientId,
    MICROSOFT_CLIENT_SECRET: app.clientSecret,
    MICROSOFT_AUTHORITY_HOST: sim.info.baseUrl,
    MICROSOFT_GRAPH_URL: sim.info.baseUrl,
    MICROSOFT_CA_FILE: sim.info.caPath,
  });
  const redis = createRedisClient(TEST_SERVERS.redisUrl, {
    maxRetriesPerRequest: null,
    enableOfflineQueue: true,
  });
  const tokens = new TenantTokenProvider(
    new TokenCredentialFactory(config.microsoft),
    redis,
    new FieldCipher(new KeyRing(config.encryption)),
    config.redis.keyPrefix,
  );
  const gateway = new GraphGateway(
    config.microsoft,
    tokens,
    new AppRequestBudget(redis, config.sync.appRequestsPer10s, config.redis.keyPrefix),
    { maxInlineRetryMs: 5_000, maxAttempts: 6 },
  );
  return { gateway, redis };
}
