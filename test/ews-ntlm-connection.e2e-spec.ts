import { createEwsService, type EwsConnection, type EwsServiceHandle } from '@app/microsoft';
import {
  BasePropertySet,
  Folder,
  FolderId,
  PropertySet,
  WellKnownFolderName,
} from 'ews-javascript-api';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from 'undici';
import { startSimulator, type RunningSimulator } from '../apps/m365-sim/src';

interface EwsCounters {
  requests: number;
  connections: number;
  operations: number;
  handshakeRequests: number;
  ntlmSignIns: number;
  connectionAuthenticated: number;
  unauthorized: number;
}

/**
 * Our NTLM provider (ADR 0044, 0049) through ews-javascript-api against the simulator, which
 * binds NTLM to the TCP connection as IIS does: one handshake signs the kept-alive connection
 * in, later operations go without one, and a connection the server closed is signed in again
 * transparently (the 401 request is resent once signed in).
 */
describe('EWS NTLM sign-in kept per connection', () => {
  let sim: RunningSimulator;
  let dispatcher: Agent;
  let connection: EwsConnection;
  let address: string;

  const counters = async (): Promise<EwsCounters> => {
    const res = await fetch(`${sim.baseUrl}/_sim/stats`, { dispatcher } as RequestInit);
    return ((await res.json()) as { ews: EwsCounters }).ews;
  };
  const reset = () =>
    fetch(`${sim.baseUrl}/_sim/stats`, { method: 'DELETE', dispatcher } as RequestInit);
  const bind = (h: EwsServiceHandle) =>
    Folder.Bind(
      h.service,
      new FolderId(WellKnownFolderName.Contacts),
      new PropertySet(BasePropertySet.IdOnly),
    );

  beforeAll(async () => {
    sim = await startSimulator({
      port: 0,
      tenants: 1,
      usersPerTenant: 12,
      seed: 5,
      quiet: true,
      dataDir: join(mkdtempSync(join(tmpdir(), 'ews-ntlm-')), 'sim'),
    });
    dispatcher = new Agent({ connect: { ca: sim.caPem } });
    const users = (await (
      await fetch(`${sim.baseUrl}/_sim/tenants/${sim.info.tenants[0].id}/users`, {
        dispatcher,
      } as RequestInit)
    ).json()) as Array<{ mailbox: string; mail?: string; purpose?: string }>;
    address = users.find(
      (u) => u.mailbox !== 'none' && (u.purpose ?? 'user') === 'user' && u.mail,
    )!.mail!;
    const account = sim.info.ewsAccounts[0];
    connection = {
      serverUrl: sim.info.ewsUrl,
      username: account.userName,
      password: account.password,
      authMode: 'ntlm',
      caPem: sim.caPem,
    };
  });
  afterAll(async () => {
    await sim?.close();
    await dispatcher?.close();
  });

  it('one handshake for many operations on the kept-alive connection', async () => {
    const h = createEwsService(connection, address);
    await reset();
    for (let i = 0; i < 5; i++) await bind(h);
    expect(await counters()).toMatchObject({
      operations: 5,
      handshakeRequests: 1,
      ntlmSignIns: 1,
      connectionAuthenticated: 4,
      connections: 1,
      requests: 6,
      unauthorized: 0,
    });
    expect(h.handshakes()).toBe(1);
    h.close();
  });

  it('a connection closed in between is signed in again and the operation still succeeds', async () => {
    const h = createEwsService(connection, address);
    await reset();
    await bind(h);
    h.close(); // the agent's sockets are gone, as when the server closes an idle connection
    await bind(h);
    await bind(h);
    const c = await counters();
    expect(c).toMatchObject({
      operations: 3,
      handshakeRequests: 2,
      ntlmSignIns: 2,
      connections: 2,
    });
    // The one request sent on the new, not yet signed-in connection was answered 401 and resent.
    expect(c.unauthorized).toBe(1);
    expect(h.handshakes()).toBe(2);
    h.close();
  });

  it('a wrong password is a 401 after one handshake, never retried in a loop', async () => {
    const h = createEwsService({ ...connection, password: 'Wrong-Passw0rd' }, address);
    await reset();
    await expect(bind(h)).rejects.toBeDefined();
    const c = await counters();
    expect(c).toMatchObject({ operations: 0, handshakeRequests: 1, unauthorized: 1 });
    h.close();
  });
});
