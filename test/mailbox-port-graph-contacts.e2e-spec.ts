import { loadConfig } from '@app/config';
import { FieldCipher, KeyRing } from '@app/crypto';
import type { ContactPatch, MailboxContactValues } from '@app/domain';
import {
  AppRequestBudget,
  GraphContactsStore,
  GraphGateway,
  TenantTokenProvider,
  TokenCredentialFactory,
} from '@app/microsoft';
import { createRedisClient } from '@app/queue';
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { graphAsApp } from './support/graph-as-app';
import { describeMailboxItemStoreContract } from './support/mailbox-item-store.contract';
import { startPortSimulator, type PortSimulator } from './support/port-simulator';
import { productEnvFor, REDIS_URL } from './support/test-env';

// The mailbox port's contract against the Graph contacts adapter, through the real gateway
// (tokens, $batch, mailbox gate) on the simulator over HTTPS.
let port: PortSimulator;
let redis: Redis;

afterAll(async () => {
  redis?.disconnect();
  await port?.close();
});

describeMailboxItemStoreContract<ContactPatch, MailboxContactValues>('Graph contacts', async () => {
  port = await startPortSimulator('port-');
  const { sim, dispatcher, dir, tid, user, simFetch } = port;
  const { config } = loadConfig(productEnvFor(sim, dir));
  redis = createRedisClient(REDIS_URL, { maxRetriesPerRequest: null, enableOfflineQueue: true });
  const tokens = new TenantTokenProvider(
    new TokenCredentialFactory(config.microsoft),
    redis,
    new FieldCipher(new KeyRing(config.encryption)),
    config.redis.keyPrefix,
  );
  const graph = new GraphGateway(
    config.microsoft,
    tokens,
    new AppRequestBudget(redis, config.sync.appRequestsPer10s, config.redis.keyPrefix),
    { maxInlineRetryMs: 5_000, maxAttempts: 6 },
  );
  return {
    store: new GraphContactsStore(graph),
    mailbox: { tenant: { id: randomUUID(), azureTenantId: tid }, mailboxId: user.id },
    patch: (name) => ({ displayName: name, givenName: name }),
    nameOf: (values) => values?.displayName,
    createUserItem: async (containerId, name) => {
      const res = await graphAsApp<{ id: string }>(
        sim,
        dispatcher,
        tid,
        'POST',
        `/users/${user.id}/contactFolders/${containerId}/contacts`,
        { displayName: name },
      );
      if (res.status !== 201) throw new Error(`user contact: ${res.status}`);
      return res.body.id;
    },
    loseNextWriteResponse: async () => {
      await simFetch('/_sim/faults', 'PUT', {
        dropAfterWrite: { count: 1, pathPrefix: '/v1.0/$batch' },
      });
    },
    deleteContainerAsUser: async (containerId, how) => {
      const res = await graphAsApp(
        sim,
        dispatcher,
        tid,
        how === 'trash' ? 'DELETE' : 'POST',
        `/users/${user.id}/contactFolders/${containerId}${how === 'trash' ? '' : '/permanentDelete'}`,
      );
      if (res.status !== 204) throw new Error(`delete folder (${how}): ${res.status}`);
    },
    expiredToken: async (containerId) => {
      // A delta link of this folder whose state token the service never issued.
      return `${sim.baseUrl}/v1.0/users/${user.id}/contactFolders/${containerId}/contacts/delta?$deltatoken=${randomUUID()}`;
    },
  };
});
