import type { ContactPatch, MailboxContactValues } from '@app/domain';
import { EwsContactsStore } from '@app/microsoft';
import { Contact, FolderId } from 'ews-javascript-api';
import { randomUUID } from 'node:crypto';
import { graphAsApp } from './support/graph-as-app';
import { describeMailboxItemStoreContract } from './support/mailbox-item-store.contract';
import { ewsPortParts, startPortSimulator, type PortSimulator } from './support/port-simulator';

// The mailbox port's contract against the EWS contacts adapter: ews-javascript-api over HTTPS
// to the simulator's EWS endpoint (Basic sign-in, impersonation).
let port: PortSimulator;

afterAll(async () => {
  await port?.close();
});

describeMailboxItemStoreContract<ContactPatch, MailboxContactValues>('EWS contacts', async () => {
  port = await startPortSimulator('port-ews-', {});
  const { sim, dispatcher, tid } = port;
  const { user } = port;
  const { store, asUser, graphIdOf } = ewsPortParts(
    port,
    'contactFolders',
    (connections, addresses) => new EwsContactsStore(connections, addresses),
  );
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
    loseNextWriteResponse: port.loseNextEwsWriteResponse,
    deleteContainerAsUser: async (containerId, how) => {
      const id = await graphIdOf(containerId);
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
