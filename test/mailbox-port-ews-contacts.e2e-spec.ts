import type { ContactPatch, MailboxContactValues } from '@app/domain';
import { createEwsService, EwsContactsStore, type EwsConnection } from '@app/microsoft';
import { Contact, FolderId } from 'ews-javascript-api';
import { randomUUID } from 'node:crypto';
import { graphAsApp } from './support/graph-as-app';
import { describeMailboxItemStoreContract } from './support/mailbox-item-store.contract';
import { startPortSimulator, type PortSimulator } from './support/port-simulator';

// The mailbox port's contract against the EWS contacts adapter: ews-javascript-api over HTTPS
// to the simulator's EWS endpoint (Basic sign-in, impersonation).
let port: PortSimulator;

afterAll(async () => {
  await port?.close();
});

describeMailboxItemStoreContract<ContactPatch, MailboxContactValues>('EWS contacts', async () => {
  port = await startPortSimulator('port-ews-', {});
  const { sim, dispatcher, tid, simFetch } = port;
  const user = port.user;
  const address = user.address;
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
    expiredToken: async () => `ews-fp:${randomUUID()}`,
  };
});
