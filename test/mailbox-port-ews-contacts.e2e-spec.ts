import type { ContactPatch, MailboxContactValues } from '@app/domain';
import { createEwsService, EwsContactsStore, type EwsConnection } from '@app/microsoft';
import { Contact, FolderId } from 'ews-javascript-api';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from 'undici';
import { startSimulator, type RunningSimulator } from '../apps/m365-sim/src';
import { graphAsApp } from './support/graph-as-app';
import { describeMailboxItemStoreContract } from './support/mailbox-item-store.contract';

// The mailbox port's contract against the EWS contacts adapter: ews-javascript-api over HTTPS
// to the simulator's EWS endpoint (Basic sign-in, impersonation).
let sim: RunningSimulator;
let dispatcher: Agent;

afterAll(async () => {
  await sim?.close();
  await dispatcher?.close();
});

describeMailboxItemStoreContract<ContactPatch, MailboxContactValues>('EWS contacts', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'port-ews-'));
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
  const users = (await simFetch(`/_sim/tenants/${tid}/users`)) as Array<{
    id: string;
    mailbox: string;
    purpose?: string;
    mail?: string;
    userPrincipalName?: string;
  }>;
  // A cloud mailbox: the simulator's EWS reaches it too, and Graph can then delete a folder as
  // the user's Outlook would (Graph cannot reach an on-premises one).
  const user = users.find((u) => u.mailbox === 'cloud' && (u.purpose ?? 'user') === 'user');
  if (!user) throw new Error('no cloud user mailbox in the simulated tenant');
  const address = (user.mail ?? user.userPrincipalName)!;
  const account = sim.info.ewsAccounts[0];
  const connection: EwsConnection = {
    serverUrl: sim.info.ewsUrl,
    username: account.userName,
    password: account.password,
    authMode: 'ntlm', // the product's default; the simulator binds NTLM to the connection
    caPem: sim.caPem,
  };
  const store = new EwsContactsStore(
    { forTenant: async () => connection },
    { addressOf: async () => address },
  );
  const asUser = createEwsService(connection, address);
  const graphFolderId = async (ewsFolderId: string) => {
    // The simulator shares the mailbox with Graph: find the folder there by its name.
    const name = (
      await store
        .open({ tenant: { id: 't', azureTenantId: tid }, mailboxId: user.id })
        .inspectContainer(ewsFolderId)
    )?.name;
    const res = await graphAsApp<{ value: Array<{ id: string; displayName: string }> }>(
      sim,
      dispatcher,
      tid,
      'GET',
      `/users/${user.id}/contactFolders?$top=100`,
    );
    const found = res.body.value.find((f) => f.displayName === name);
    if (!found) throw new Error(`folder ${name} not found through Graph`);
    return found.id;
  };
  return {
    store,
    mailbox: { tenant: { id: randomUUID(), azureTenantId: tid }, mailboxId: user.id },
    patch: (name) => ({ displayName: name, givenName: name }),
    nameOf: (values) => values?.displayName,
    createUserItem: async (containerId, name) => {
      const c = new Contact(asUser.service);
      c.DisplayName = name;
      c.GivenName = name;
      await c.Save(new FolderId(containerId));
      return c.Id.UniqueId;
    },
    loseNextWriteResponse: async () => {
      await simFetch('/_sim/faults', 'PUT', {
        dropAfterWrite: { count: 1, pathPrefix: '/EWS/Exchange.asmx' },
      });
    },
    deleteContainerAsUser: async (containerId, how) => {
      const id = await graphFolderId(containerId);
      const res = await graphAsApp(
        sim,
        dispatcher,
        tid,
        how === 'trash' ? 'DELETE' : 'POST',
        `/users/${user.id}/contactFolders/${id}${how === 'trash' ? '' : '/permanentDelete'}`,
      );
      if (res.status !== 204) throw new Error(`delete folder (${how}): ${res.status}`);
    },
    // A sync state Exchange rejects (ErrorInvalidSyncStateData).
    expiredToken: async () => `ews-sync:${Buffer.from(randomUUID()).toString('base64')}`,
  };
});
