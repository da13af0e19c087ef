import type { MailboxItemStore } from '@app/domain';
import {
  createEwsService,
  type EwsConnection,
  type EwsConnectionSource,
  type EwsMailboxAddresses,
  type EwsServiceHandle,
} from '@app/microsoft';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from 'undici';
import { graphAsApp } from './graph-as-app';
import {
  startSimulator,
  type RunningSimulator,
  type SimOptionsInput,
} from '../../apps/m365-sim/src';

export interface PortSimulator {
  sim: RunningSimulator;
  dispatcher: Agent;
  dir: string;
  /** The simulated tenant's id. */
  tid: string;
  /** A licensed user's cloud mailbox (reached by Graph and by the simulator's EWS alike). */
  user: { id: string; address: string };
  /** The simulator's own API (consent, users, faults) over its HTTPS. */
  simFetch(path: string, method?: string, body?: unknown): Promise<unknown>;
  /** The simulator's EWS service account, signed in with NTLM (the product's default). */
  ewsConnection: EwsConnection;
  /** Makes the simulator apply the next EWS write but lose its response. */
  loseNextEwsWriteResponse(): Promise<void>;
  /**
   * The Graph id of the user's container (`contactFolders`, `calendars`) named `name`: the
   * simulator shares the mailbox between Graph and EWS.
   */
  graphIdByName(
    collection: 'contactFolders' | 'calendars',
    name: string | undefined,
  ): Promise<string>;
  close(): Promise<void>;
}

/**
 * A simulator for one mailbox-port contract run: one consented tenant and one user mailbox of
 * it, as every adapter's contract spec needs.
 */
export async function startPortSimulator(
  prefix: string,
  options: SimOptionsInput = {},
): Promise<PortSimulator> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const sim = await startSimulator({
    port: 0,
    tenants: 1,
    usersPerTenant: 12,
    seed: 5,
    quiet: true,
    dataDir: join(dir, 'sim'),
    ...options,
  });
  const dispatcher = new Agent({ connect: { ca: sim.caPem } });
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
  const answer = (await simFetch(`/_sim/tenants/${tid}/users`)) as
    SimListedUser[] | { users: SimListedUser[] };
  const users = Array.isArray(answer) ? answer : answer.users;
  const user = users.find((u) => u.mailbox === 'cloud' && (u.purpose ?? 'user') === 'user');
  if (!user) throw new Error('no cloud user mailbox in the simulated tenant');
  return {
    sim,
    dispatcher,
    dir,
    tid,
    user: { id: user.id, address: (user.mail ?? user.userPrincipalName)! },
    simFetch,
    ewsConnection: {
      serverUrl: sim.info.ewsUrl,
      username: sim.info.ewsAccounts[0].userName,
      password: sim.info.ewsAccounts[0].password,
      authMode: 'ntlm',
      caPem: sim.caPem,
    },
    loseNextEwsWriteResponse: async () => {
      await simFetch('/_sim/faults', 'PUT', {
        dropAfterWrite: { count: 1, pathPrefix: '/EWS/Exchange.asmx' },
      });
    },
    graphIdByName: async (collection, name) => {
      const res = await graphAsApp<{
        value: Array<{ id: string; name?: string; displayName?: string }>;
      }>(sim, dispatcher, tid, 'GET', `/users/${user.id}/${collection}?$top=100`);
      const found = res.body.value.find((f) => (f.name ?? f.displayName) === name);
      if (!found) throw new Error(`${collection}: ${name} not found through Graph`);
      return found.id;
    },
    close: async () => {
      await sim.close();
      await dispatcher.close();
    },
  };
}

interface SimListedUser {
  id: string;
  mailbox: string;
  purpose?: string;
  mail?: string;
  userPrincipalName?: string;
}

/**
 * An EWS store of the port's user mailbox over the simulator's NTLM connection, the user's own
 * ExchangeService (to make items as their Outlook would), and a container's Graph id.
 */
export function ewsPortParts<S extends MailboxItemStore<unknown, unknown>>(
  port: PortSimulator,
  collection: 'contactFolders' | 'calendars',
  makeStore: (connections: EwsConnectionSource, addresses: EwsMailboxAddresses) => S,
): { store: S; asUser: EwsServiceHandle; graphIdOf(ewsContainerId: string): Promise<string> } {
  const { user, ewsConnection, tid } = port;
  const store = makeStore(
    { forTenant: async () => ewsConnection },
    { addressOf: async () => user.address },
  );
  return {
    store,
    asUser: createEwsService(ewsConnection, user.address),
    graphIdOf: async (ewsContainerId) => {
      const session = store.open({ tenant: { id: 't', azureTenantId: tid }, mailboxId: user.id });
      return port.graphIdByName(collection, (await session.inspectContainer(ewsContainerId))?.name);
    },
  };
}
