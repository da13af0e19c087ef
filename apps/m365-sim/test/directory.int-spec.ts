import type { Agent } from 'undici';
import type * as MG from '@microsoft/microsoft-graph-types';
import {
  PageIterator,
  type Client,
  type GraphError,
  type PageCollection,
} from '@microsoft/microsoft-graph-client';
import type { RunningSimulator } from '../src';
import { consent, credential, graphClient, simDispatcher, simFetch, startTestSim } from './helpers';

describe('m365-sim Graph directory and awkward cases', () => {
  let sim: RunningSimulator;
  let d: Agent;
  let client: Client;
  let tid: string;
  let users: {
    id: string;
    userPrincipalName: string;
    mailbox: string;
    purpose: string;
    accountEnabled: boolean;
    mail: string | null;
  }[];
  beforeAll(async () => {
    sim = await startTestSim({ usersPerTenant: 5000, deltaTokenTtlSeconds: 2 });
    d = simDispatcher(sim);
    tid = sim.info.tenants[0].id;
    await consent(sim, d, tid);
    client = graphClient(sim, credential(sim, tid), d);
    users = (await simFetch(sim, d, `/_sim/tenants/${tid}/users`)).json;
  });
  afterAll(async () => {
    await d.close();
    await sim.close();
  });

  it('pages 5,000 users with the PageIterator at $top=999', async () => {
    const first: PageCollection = await client
      .api('/users')
      .select('id,displayName,department,mobilePhone,businessPhones')
      .top(999)
      .get();
    expect(first.value).toHaveLength(999);
    expect(first['@odata.nextLink']).toContain('$skiptoken=');
    const seen: MG.User[] = [];
    const it = new PageIterator(client, first, (u: MG.User) => {
      seen.push(u);
      return true;
    });
    await it.iterate();
    expect(seen).toHaveLength(5000);
    expect(new Set(seen.map((u) => u.id)).size).toBe(5000);
    expect(Object.keys(seen[10]).sort()).toEqual([
      'businessPhones',
      'department',
      'displayName',
      'id',
      'mobilePhone',
    ]);
    // phone numbers come in many styles
    const phones = seen.flatMap((u) => u.businessPhones ?? []);
    expect(phones.some((p) => p.startsWith('+'))).toBe(true);
    expect(phones.some((p) => p.startsWith('0'))).toBe(true);
    expect(phones.some((p) => p.startsWith('('))).toBe(true);
  });

  it('seeding is deterministic and includes the awkward kinds of users', async () => {
    const again = await startTestSim({ usersPerTenant: 50 });
    const d2 = simDispatcher(again);
    try {
      const a = (await simFetch(again, d2, `/_sim/tenants/${again.info.tenants[0].id}/users`)).json;
      expect(again.info.tenants[0].id).toBe(tid);
      expect(a.slice(0, 50).map((u: { userPrincipalName: string }) => u.userPrincipalName)).toEqual(
        users.slice(0, 50).map((u) => u.userPrincipalName),
      );
    } finally {
      await d2.close();
      await again.close();
    }
    const kinds = new Set(users.map((u) => `${u.mailbox}/${u.purpose}`));
    expect(kinds).toEqual(
      new Set(['cloud/user', 'cloud/shared', 'cloud/room', 'onprem/user', 'none/user']),
    );
    expect(users.some((u) => !u.accountEnabled && u.purpose === 'user')).toBe(true);
    expect(users.some((u) => u.mail === null)).toBe(true);
  });

  it('$top=1000 answers 400; $count=true without ConsistencyLevel: eventual is ignored, with it counts', async () => {
    const e: GraphError = await client
      .api('/users')
      .top(1000)
      .get()
      .catch((x: GraphError) => x);
    expect(e.statusCode).toBe(400);
    expect(e.code).toBe('Request_UnsupportedQuery');
    // "silently ignores the $count query parameter" without the header (advanced queries page)
    const ignored = await client.api('/users').query({ $count: 'true' }).top(5).get();
    expect(ignored['@odata.count']).toBeUndefined();
    expect(ignored.value).toHaveLength(5);
    const ok = await client
      .api('/users')
      .header('ConsistencyLevel', 'eventual')
      .query({ $count: 'true' })
      .filter("endswith(mail,'onmicrosoft.com')")
      .top(5)
      .get();
    expect(ok['@odata.count']).toBeGreaterThan(4000);
    const byDept = await client
      .api('/users')
      .filter("department eq 'Sales' and accountEnabled eq true")
      .select('id,department')
      .top(999)
      .get();
    expect(byDept.value.length).toBeGreaterThan(10);
    expect(byDept.value.every((u: MG.User) => u.department === 'Sales')).toBe(true);
  });

  it('unknown user → 404 Request_ResourceNotFound; malformed item id → 400 ErrorInvalidIdMalformed', async () => {
    const e: GraphError = await client
      .api('/users/00000000-0000-4000-8000-000000000000')
      .get()
      .catch((x: GraphError) => x);
    expect(e.statusCode).toBe(404);
    expect(e.code).toBe('Request_ResourceNotFound');
    const admin = sim.info.tenants[0].adminId;
    const e2: GraphError = await client
      .api(`/users/${admin}/contacts/not-an-id`)
      .get()
      .catch((x: GraphError) => x);
    expect(e2.statusCode).toBe(400);
    expect(e2.code).toBe('ErrorInvalidIdMalformed');
  });

  it('user without a mailbox, on-premises mailbox (MailboxNotEnabledForRESTAPI), shared mailbox userPurpose', async () => {
    const none = users.find((u) => u.mailbox === 'none')!;
    const onprem = users.find((u) => u.mailbox === 'onprem')!;
    const shared = users.find((u) => u.purpose === 'shared')!;
    const e1: GraphError = await client
      .api(`/users/${none.id}/contactFolders`)
      .get()
      .catch((x: GraphError) => x);
    expect(e1.statusCode).toBe(404);
    expect(e1.code).toBe('MailboxNotEnabledForRESTAPI');
    const e2: GraphError = await client
      .api(`/users/${onprem.userPrincipalName}/contacts`)
      .get()
      .catch((x: GraphError) => x);
    expect(e2.statusCode).toBe(404);
    expect(e2.code).toBe('MailboxNotEnabledForRESTAPI');
    expect(e2.message).toMatch(/REST API is not yet supported/);
    const s: MG.MailboxSettings = await client.api(`/users/${shared.id}/mailboxSettings`).get();
    expect(s.userPurpose).toBe('shared');
    const u: MG.MailboxSettings = await client
      .api(`/users/${users[10].id}/mailboxSettings`)
      .select('userPurpose')
      .get();
    expect(['user', 'shared']).toContain(u.userPurpose);
  });

  it('users delta: full pass, then only changes; expired delta link → 410 syncStateNotFound', async () => {
    let res: PageCollection = await client
      .api('/users/delta')
      .select('id,displayName,department')
      .get();
    let n = res.value.length;
    while (res['@odata.nextLink']) {
      res = await client.api(res['@odata.nextLink']!).get();
      n += res.value.length;
    }
    expect(n).toBe(5000);
    const deltaLink = res['@odata.deltaLink'] as string;
    expect(deltaLink).toContain('$deltatoken=');
    const target = users[20];
    await simFetch(sim, d, `/_sim/tenants/${tid}/users/${target.id}`, {
      method: 'PATCH',
      body: { department: 'Legal' },
    });
    await simFetch(sim, d, `/_sim/tenants/${tid}/users/${users[21].id}`, { method: 'DELETE' });
    const added = (
      await simFetch(sim, d, `/_sim/tenants/${tid}/users`, {
        method: 'POST',
        body: { displayName: 'Newbie Joiner', mailNickname: 'newbie' },
      })
    ).json;
    const changes: PageCollection = await client.api(deltaLink).get();
    const byId = new Map(changes.value.map((x: { id: string }) => [x.id, x]));
    expect(changes.value).toHaveLength(3);
    expect((byId.get(target.id) as MG.User).department).toBe('Legal');
    expect((byId.get(users[21].id) as Record<string, unknown>)['@removed']).toEqual({
      reason: 'changed',
    });
    expect((byId.get(added.id) as MG.User).displayName).toBe('Newbie Joiner');
    const none: PageCollection = await client.api(changes['@odata.deltaLink']!).get();
    expect(none.value).toHaveLength(0);
    // The delta token expires (as after deltaTokenTtlSeconds), through the simulator's control.
    await simFetch(sim, d, `/_sim/tenants/${tid}/expire-delta`, { method: 'POST' });
    const e: GraphError = await client
      .api(none['@odata.deltaLink']!)
      .get()
      .catch((x: GraphError) => x);
    expect(e.statusCode).toBe(410);
    expect(e.code).toBe('syncStateNotFound');
  });

  it('/_sim lists groups with the direct members Graph reports', async () => {
    const groups: Array<{
      id: string;
      displayName: string;
      memberUserIds: string[];
      memberGroupIds: string[];
    }> = (await simFetch(sim, d, `/_sim/tenants/${tid}/groups`)).json;
    const sales = groups.find((g) => g.displayName === 'Sales')!;
    expect(sales.memberUserIds.length).toBeGreaterThan(0);
    const direct: MG.DirectoryObject[] = [];
    let page: PageCollection = await client.api(`/groups/${sales.id}/members`).top(999).get();
    direct.push(...page.value);
    while (page['@odata.nextLink']) {
      page = await client.api(page['@odata.nextLink']!).get();
      direct.push(...page.value);
    }
    const ofType = (t: string) =>
      direct
        .filter((m) => (m as Record<string, string>)['@odata.type'] === t)
        .map((m) => m.id)
        .sort();
    expect(ofType('#microsoft.graph.user')).toEqual([...sales.memberUserIds].sort());
    expect(ofType('#microsoft.graph.group')).toEqual([...sales.memberGroupIds].sort());
  });

  it('nested groups: transitiveMembers flattens, members does not; org contacts and photos', async () => {
    const groups = await client.api('/groups').filter("displayName eq 'All Company'").get();
    const all = groups.value[0];
    const direct = await client.api(`/groups/${all.id}/members`).top(999).get();
    expect(
      direct.value.every(
        (m: Record<string, string>) => m['@odata.type'] !== '#microsoft.graph.user',
      ),
    ).toBe(true);
    const trans: MG.DirectoryObject[] = [];
    let page: PageCollection = await client
      .api(`/groups/${all.id}/transitiveMembers`)
      .top(999)
      .get();
    trans.push(...page.value);
    while (page['@odata.nextLink']) {
      page = await client.api(page['@odata.nextLink']!).get();
      trans.push(...page.value);
    }
    const types = new Set(trans.map((m) => (m as Record<string, string>)['@odata.type']));
    expect(types).toEqual(
      new Set(['#microsoft.graph.user', '#microsoft.graph.group', '#microsoft.graph.orgContact']),
    );
    const oc = await client.api('/contacts').get();
    expect(oc.value.length).toBeGreaterThan(3);
    expect((oc.value[0] as MG.OrgContact).phones?.length).toBeGreaterThan(0);
    const admin = sim.info.tenants[0].adminId;
    const photo: ArrayBuffer = await client
      .api(`/users/${admin}/photo/$value`)
      .responseType('arraybuffer' as never)
      .get();
    expect(Buffer.from(photo).subarray(1, 4).toString()).toBe('PNG');
    const nophoto = users.find((u) => u.mailbox === 'none')!;
    const e: GraphError = await client
      .api(`/users/${nophoto.id}/photo/$value`)
      .get()
      .catch((x: GraphError) => x);
    expect(e.statusCode).toBe(404);
  });
});
