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
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { Agent } from 'undici';
import { startSimulator, type RunningSimulator } from '../apps/m365-sim/src';
import { graphAsApp } from './support/graph-as-app';
import { describeMailboxItemStoreContract } from './support/mailbox-item-store.contract';
import { productEnvFor, REDIS_URL } from './support/test-env';

// The mailbox port's contract against the Graph contacts adapter, through the real gateway
// (tokens, $batch, mailbox gate) on the simulator over HTTPS.
let sim: RunningSimulator;
let redis: Redis;
let dispatcher: Agent;

afterAll(async () => {
  redis?.disconnect();
  await sim?.close();
  await dispatcher?.close();
});

describeMailboxItemStoreContract<ContactPatch, MailboxContactValues>('Graph contacts', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'port-'));
  sim = await startSimulator({
    port: 0,
    tenants: 1,
    usersPerTenant: 12,
    seed: 5,
    quiet: true,
    dataDir: join(dir, 'sim'),
  });
  dispatcher = new Agent({ connect: { ca: sim.caPem } });
  const tid = sim.info.tenants[0].id;
  const simFetch = async (path: string, method = 'GET', body?: unknown) => {
    const res = await fetch(`${sim.baseUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      dispatcher,
    } as RequestInit);
    if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status}`);
    return res.json() as Promise<unknown>;
  };
  await simFetch(`/_sim/tenants/${tid}/consent`, 'POST', {});
  const users = (await simFetch(`/_sim/tenants/${tid}/users`)) as
    | Array<{ id: string; mailbox: string; purpose?: string }>
    | { users: Array<{ id: string; mailbox: string; purpose?: string }> };
  const list = Array.isArray(users) ? users : users.users;
  const user = list.find((u) => u.mailbox === 'cloud' && (u.purpose ?? 'user') === 'user');
  if (!user) throw new Error('no cloud user mailbox in the simulated tenant');

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
