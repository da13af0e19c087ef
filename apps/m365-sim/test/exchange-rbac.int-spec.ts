import type { Agent } from 'undici';
import type { RunningSimulator } from '../src';
import { consent, credential, GRAPH_SCOPE, simDispatcher, simFetch, startTestSim } from './helpers';

/**
 * Exchange Online RBAC for Applications (https://learn.microsoft.com/en-us/exchange/permissions-exo/application-rbac):
 * a role assignment with a management scope gives the app mailbox access outside its token;
 * with the Entra grant removed, mailboxes outside the scope answer 403 ErrorAccessDenied.
 */
describe('m365-sim: Exchange RBAC for Applications', () => {
  let sim: RunningSimulator;
  let d: Agent;
  let tid: string;
  let inside: string;
  let outside: string;

  const graph = async (path: string, init: { method?: string; body?: unknown } = {}) => {
    const token = (await credential(sim, tid).getToken(GRAPH_SCOPE))!.token;
    return simFetch(sim, d, `/v1.0${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}` },
    });
  };
  const expireTokens = () =>
    simFetch(sim, d, `/_sim/tenants/${tid}/expire-tokens`, { method: 'POST' });

  beforeAll(async () => {
    sim = await startTestSim();
    d = simDispatcher(sim);
    tid = sim.info.tenants[0].id;
    await consent(sim, d, tid);
    const users = (await simFetch(sim, d, `/_sim/tenants/${tid}/users`)).json as Array<{
      id: string;
      mailbox: string;
      purpose: string;
    }>;
    const cloud = users.filter((u) => u.mailbox === 'cloud' && u.purpose === 'user');
    inside = cloud[0].id;
    outside = cloud[1].id;
  });
  afterAll(async () => {
    await d.close();
    await sim.close();
  });

  it('scopes mailbox access to the assignment and takes the permission off the Entra grant', async () => {
    expect((await graph(`/users/${outside}/contactFolders`)).status).toBe(200);

    const put = await simFetch(sim, d, `/_sim/tenants/${tid}/exchange-rbac`, {
      method: 'PUT',
      body: { roles: ['Application Contacts.ReadWrite'], mailboxes: [inside] },
    });
    expect(put.status).toBe(200);
    expect(put.json).toEqual({ permissions: ['Contacts.ReadWrite'], mailboxes: [inside] });
    const sp = (await simFetch(sim, d, `/_sim/tenants/${tid}/consent`)).json as { roles: string[] };
    expect(sp.roles).not.toContain('Contacts.ReadWrite');
    expect(sp.roles).toContain('User.Read.All');
    await expireTokens();

    // A new token does not list the permission: Exchange decides per mailbox.
    const token = (await credential(sim, tid).getToken(GRAPH_SCOPE))!.token;
    const roles = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).roles;
    expect(roles).not.toContain('Contacts.ReadWrite');
    expect((await graph(`/users/${inside}/contactFolders`)).status).toBe(200);
    const denied = await graph(`/users/${outside}/contactFolders`);
    expect(denied.status).toBe(403);
    expect((denied.json as { error: { code: string } }).error.code).toBe('ErrorAccessDenied');
    // $batch sub-requests are checked one by one.
    const batch = await graph('/$batch', {
      method: 'POST',
      body: {
        requests: [
          { id: '1', method: 'GET', url: `/users/${inside}/contacts` },
          { id: '2', method: 'GET', url: `/users/${outside}/contacts` },
        ],
      },
    });
    const status = Object.fromEntries(
      (batch.json as { responses: Array<{ id: string; status: number }> }).responses.map((r) => [
        r.id,
        r.status,
      ]),
    );
    expect(status).toEqual({ '1': 200, '2': 403 });
    // Directory reads keep their Entra grant.
    expect((await graph('/users?$top=1')).status).toBe(200);

    // Removing the assignment leaves no mailbox access at all.
    await simFetch(sim, d, `/_sim/tenants/${tid}/exchange-rbac`, { method: 'DELETE' });
    expect((await graph(`/users/${inside}/contactFolders`)).status).toBe(403);
  });

  it('refuses roles that are not Exchange application roles, and unknown mailboxes', async () => {
    const bad = await simFetch(sim, d, `/_sim/tenants/${tid}/exchange-rbac`, {
      method: 'PUT',
      body: { roles: ['Contacts.ReadWrite'], mailboxes: [inside] },
    });
    expect(bad.status).toBe(400);
    const unknown = await simFetch(sim, d, `/_sim/tenants/${tid}/exchange-rbac`, {
      method: 'PUT',
      body: { roles: ['Application Contacts.ReadWrite'], mailboxes: ['nobody@nowhere.example'] },
    });
    expect(unknown.status).toBe(400);
  });
});
