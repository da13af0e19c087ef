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

/**
 * Directory, second round: advanced queries (OData casts on members, `/$count` filters,
 * `endsWith`), collections that are `[]`, the v1.0 user properties in `$select`, delta from
 * `latest` and on groups, `@odata.context` and `@odata.count`.
 * https://learn.microsoft.com/graph/aad-advanced-queries
 */
describe('m365-sim directory, second round', () => {
  let sim: RunningSimulator;
  let d: Agent;
  let client: Client;
  let tid: string;
  let simUsers: Array<{
    id: string;
    licensed: boolean;
    deleted: boolean;
    mail: string | null;
  }>;
  let groups: Array<{ id: string; displayName: string; memberUserIds: string[] }>;
  const caught = (p: Promise<unknown>) => p.then(() => undefined).catch((e: GraphError) => e);

  beforeAll(async () => {
    sim = await startTestSim({ usersPerTenant: 60 });
    d = simDispatcher(sim);
    tid = sim.info.tenants[0].id;
    await consent(sim, d, tid);
    client = graphClient(sim, credential(sim, tid), d);
    simUsers = (await simFetch(sim, d, `/_sim/tenants/${tid}/users`)).json;
    groups = (await simFetch(sim, d, `/_sim/tenants/${tid}/groups`)).json;
  });
  afterAll(async () => {
    await d.close();
    await sim.close();
  });

  it('an OData cast on members or transitiveMembers needs ConsistencyLevel: eventual and $count=true', async () => {
    const all = groups.find((g) => g.displayName === 'All Company')!;
    for (const rel of ['transitiveMembers', 'members']) {
      const path = `/groups/${all.id}/${rel}/microsoft.graph.user`;
      const bare = await caught(client.api(path).select('id').get());
      expect(bare?.statusCode).toBe(400);
      expect(bare?.code).toBe('Request_UnsupportedQuery');
      expect(bare?.message).toMatch(/\$count=true query parameter and ConsistencyLevel:eventual/);
      const headerOnly = await caught(
        client.api(path).header('ConsistencyLevel', 'eventual').select('id').get(),
      );
      expect(headerOnly?.statusCode).toBe(400);
      const countOnly = await caught(client.api(path).count(true).select('id').get());
      expect(countOnly?.statusCode).toBe(400);
    }
    // with both: users only, counted, and the next pages keep the cast
    const first: PageCollection = await client
      .api(`/groups/${all.id}/transitiveMembers/microsoft.graph.user`)
      .header('ConsistencyLevel', 'eventual')
      .count(true)
      .select('id,displayName')
      .top(7)
      .get();
    expect(first['@odata.context']).toMatch(/\$metadata#users\(id,displayName\)$/);
    expect(first['@odata.nextLink']).toContain('microsoft.graph.user');
    const seen: Array<Record<string, string>> = [];
    await new PageIterator(
      client,
      first,
      (m: Record<string, string>) => {
        seen.push(m);
        return true;
      },
      { headers: { ConsistencyLevel: 'eventual' } },
    ).iterate();
    const live = new Set(simUsers.filter((u) => !u.deleted).map((u) => u.id));
    const expected = new Set<string>();
    const byId = new Map(groups.map((g) => [g.id, g]));
    const raw: Array<{ id: string; memberGroupIds: string[] }> = (
      await simFetch(sim, d, `/_sim/tenants/${tid}/groups`)
    ).json;
    const sub = new Map(raw.map((g) => [g.id, g.memberGroupIds]));
    const walk = (id: string, done = new Set<string>()) => {
      if (done.has(id)) return;
      done.add(id);
      for (const u of byId.get(id)!.memberUserIds) if (live.has(u)) expected.add(u);
      for (const g of sub.get(id) ?? []) walk(g, done);
    };
    walk(all.id);
    expect(first['@odata.count']).toBe(expected.size);
    expect(seen.map((m) => m.id).sort()).toEqual([...expected].sort());
    expect(seen.every((m) => m['@odata.type'] === '#microsoft.graph.user')).toBe(true);
  });

  it('proxyAddresses and otherMails are collections; mail users have one SMTP: primary and smtp: aliases', async () => {
    const page = await client
      .api('/users')
      .select('id,mail,proxyAddresses,otherMails')
      .top(999)
      .get();
    const users = page.value as MG.User[];
    expect(users.length).toBeGreaterThan(50);
    for (const u of users) {
      expect(Array.isArray(u.proxyAddresses)).toBe(true);
      expect(Array.isArray(u.otherMails)).toBe(true);
      if (!u.mail) {
        expect(u.proxyAddresses).toEqual([]);
        continue;
      }
      const primary = u.proxyAddresses!.filter((p) => p.startsWith('SMTP:'));
      expect(primary).toEqual([`SMTP:${u.mail}`]);
      expect(u.proxyAddresses!.some((p) => /^smtp:.+@.+\.mail\.onmicrosoft\.com$/.test(p))).toBe(
        true,
      );
    }
    expect(users.some((u) => !u.mail)).toBe(true);
    // some have a further alias, some a non-mail entry, some an alternate address
    expect(
      users.some((u) => u.proxyAddresses!.filter((p) => p.startsWith('smtp:')).length > 1),
    ).toBe(true);
    expect(users.some((u) => u.proxyAddresses!.some((p) => p.startsWith('SIP:')))).toBe(true);
    expect(users.some((u) => u.otherMails!.length > 0)).toBe(true);
    const oc = (await client.api('/contacts').select('mail,proxyAddresses').get())
      .value as MG.OrgContact[];
    for (const c of oc) expect(c.proxyAddresses).toContain(`SMTP:${c.mail}`);
    expect(oc.some((c) => c.proxyAddresses!.some((p) => p.startsWith('smtp:')))).toBe(true);
  });

  it('assignedLicenses/$count is evaluated, and refused without the advanced query parameters', async () => {
    const unlicensed = simUsers
      .filter((u) => !u.deleted && !u.licensed)
      .map((u) => u.id)
      .sort();
    expect(unlicensed.length).toBeGreaterThan(0);
    const bare = await caught(client.api('/users').filter('assignedLicenses/$count eq 0').get());
    expect(bare?.statusCode).toBe(400);
    expect(bare?.code).toBe('Request_UnsupportedQuery');
    const eventualOnly = await caught(
      client
        .api('/users')
        .header('ConsistencyLevel', 'eventual')
        .filter('assignedLicenses/$count eq 0')
        .get(),
    );
    expect(eventualOnly?.statusCode).toBe(400);
    const none = await client
      .api('/users')
      .header('ConsistencyLevel', 'eventual')
      .count(true)
      .filter('assignedLicenses/$count eq 0')
      .select('id')
      .top(999)
      .get();
    expect(none.value.map((u: MG.User) => u.id).sort()).toEqual(unlicensed);
    expect(none['@odata.count']).toBe(unlicensed.length);
    const some = await client
      .api('/users')
      .header('ConsistencyLevel', 'eventual')
      .count(true)
      .filter('assignedLicenses/$count ne 0')
      .select('id')
      .top(999)
      .get();
    expect(some['@odata.count']).toBe(
      simUsers.filter((u) => !u.deleted).length - unlicensed.length,
    );
  });

  it('endsWith needs both advanced parameters and works only on mail, otherMails, userPrincipalName, proxyAddresses', async () => {
    const eventualOnly = await caught(
      client
        .api('/users')
        .header('ConsistencyLevel', 'eventual')
        .filter("endswith(mail,'.onmicrosoft.com')")
        .get(),
    );
    expect(eventualOnly?.statusCode).toBe(400);
    expect(eventualOnly?.message).toMatch(/Operator 'endsWith' is not supported/);
    const onName = await caught(
      client
        .api('/users')
        .header('ConsistencyLevel', 'eventual')
        .count(true)
        .filter("endswith(displayName,'a')")
        .get(),
    );
    expect(onName?.statusCode).toBe(400);
    expect(onName?.message).toMatch(/property 'displayName' of resource 'User'/);
    const aliases = await client
      .api('/users')
      .header('ConsistencyLevel', 'eventual')
      .count(true)
      .filter("proxyAddresses/any(p:endswith(p,'.mail.onmicrosoft.com'))")
      .select('id')
      .top(999)
      .get();
    expect(aliases['@odata.count']).toBe(simUsers.filter((u) => !u.deleted && u.mail).length);
    // the $count segment without the header is refused, as documented
    const count = await caught(client.api('/users/$count').get());
    expect(count?.statusCode).toBe(400);
    expect(count?.code).toBe('Request_BadRequest');
    expect(count?.message).toBe('$count is not currently supported.');
  });

  it('$select takes any v1.0 user property; unmodelled ones are null or []; single-user-only ones fail on lists', async () => {
    const list = await client
      .api('/users')
      .select('id,imAddresses,showInAddressList,employeeHireDate,ageGroup,identities,faxNumber')
      .top(3)
      .get();
    expect(list.value).toHaveLength(3);
    for (const u of list.value as MG.User[]) {
      expect(u.imAddresses).toEqual([]);
      expect(u.identities).toEqual([]);
      expect(u.showInAddressList).toBeNull();
      expect(u.employeeHireDate).toBeNull();
      expect(u.ageGroup).toBeNull();
      expect(Object.keys(u).sort()).toEqual(
        [
          'ageGroup',
          'employeeHireDate',
          'faxNumber',
          'id',
          'identities',
          'imAddresses',
          'showInAddressList',
        ].sort(),
      );
    }
    const unknown = await caught(client.api('/users').select('id,shoeSize').get());
    expect(unknown?.statusCode).toBe(400);
    expect(unknown?.message).toMatch(/Could not find a property named 'shoeSize'/);
    for (const p of ['aboutMe', 'birthday', 'hireDate', 'skills', 'mailboxSettings']) {
      const e = await caught(client.api('/users').select(`id,${p}`).top(2).get());
      expect(e?.statusCode).toBe(501);
      expect(e?.code).toBe('NotImplemented');
    }
    const delta = await caught(client.api('/users/delta').select('id,skills').get());
    expect(delta?.statusCode).toBe(400);
    expect(delta?.message).toMatch(/not supported for the following properties: skills/);
    const admin = sim.info.tenants[0].adminId;
    const one = await client
      .api(`/users/${admin}`)
      .select('id,aboutMe,skills,interests,mailboxSettings')
      .get();
    expect(one['@odata.context']).toMatch(
      /\$metadata#users\(id,aboutMe,skills,interests,mailboxSettings\)\/\$entity$/,
    );
    expect(one.aboutMe).toBeNull();
    expect(one.skills).toEqual([]);
    expect(one.interests).toEqual([]);
    expect(one.mailboxSettings.timeZone).toBeTruthy();
  });

  it('/users/delta?$deltatoken=latest answers no users and a link that reports only later changes', async () => {
    const latest = await client.api('/users/delta').query({ $deltatoken: 'latest' }).get();
    expect(latest.value).toEqual([]);
    expect(latest['@odata.deltaLink']).toContain('$deltatoken=');
    expect(latest['@odata.nextLink']).toBeUndefined();
    const changed = simUsers.find((u) => !u.deleted)!;
    const patch = await simFetch(sim, d, `/_sim/tenants/${tid}/users/${changed.id}`, {
      method: 'PATCH',
      body: { jobTitle: 'Chief Delta Officer' },
    });
    expect(patch.status).toBe(200);
    const next = await client.api(latest['@odata.deltaLink']).get();
    expect(next.value.map((u: MG.User) => u.id)).toEqual([changed.id]);
  });

  it('a changed primary address keeps the old one as an smtp: alias', async () => {
    const u = simUsers.find((x) => !x.deleted && x.mail)!;
    const newMail = `renamed.${u.id.slice(0, 6)}@${sim.info.tenants[0].domain}`;
    const r = await simFetch(sim, d, `/_sim/tenants/${tid}/users/${u.id}`, {
      method: 'PATCH',
      body: { mail: newMail },
    });
    expect(r.status).toBe(200);
    const got: MG.User = await client.api(`/users/${u.id}`).select('mail,proxyAddresses').get();
    expect(got.mail).toBe(newMail);
    expect(got.proxyAddresses!.filter((p) => p.startsWith('SMTP:'))).toEqual([`SMTP:${newMail}`]);
    expect(got.proxyAddresses).toContain(`smtp:${u.mail}`);
  });

  it('/groups/delta: every group in a full pass, then a deltaLink; latest starts from now', async () => {
    const seen: string[] = [];
    let page: PageCollection = await client.api('/groups/delta').select('id,displayName').get();
    for (;;) {
      seen.push(...page.value.map((g: MG.Group) => g.id!));
      if (!page['@odata.nextLink']) break;
      page = await client.api(page['@odata.nextLink']).get();
    }
    expect(seen.sort()).toEqual(groups.map((g) => g.id).sort());
    expect(page['@odata.context']).toMatch(/\$metadata#groups\(id,displayName\)$/);
    expect(page['@odata.deltaLink']).toContain('$deltatoken=');
    const again = await client.api(page['@odata.deltaLink']!).get();
    expect(again.value).toEqual([]);
    const latest = await client.api('/groups/delta').query({ $deltatoken: 'latest' }).get();
    expect(latest.value).toEqual([]);
    expect(latest['@odata.deltaLink']).toContain('$deltatoken=');
  });

  it('@odata.context names the entity set; @odata.count only with the advanced query header', async () => {
    const g = await client.api('/groups').get();
    expect(g['@odata.context']).toMatch(/\$metadata#groups$/);
    expect(g['@odata.count']).toBeUndefined();
    const counted = await client
      .api('/groups')
      .header('ConsistencyLevel', 'eventual')
      .count(true)
      .get();
    expect(counted['@odata.count']).toBe(groups.length);
    const one = await client.api(`/groups/${groups[0].id}`).get();
    expect(one['@odata.context']).toMatch(/\$metadata#groups\/\$entity$/);
    const users = await client.api('/users').select('id,displayName').top(1).get();
    expect(users['@odata.context']).toMatch(/\$metadata#users\(id,displayName\)$/);
    const user = await client.api(`/users/${sim.info.tenants[0].adminId}`).get();
    expect(user['@odata.context']).toMatch(/\$metadata#users\/\$entity$/);
    const oc = await client.api('/contacts').get();
    expect(oc['@odata.context']).toMatch(/\$metadata#contacts$/);
    const ocOne = await client.api(`/contacts/${oc.value[0].id}`).get();
    expect(ocOne['@odata.context']).toMatch(/\$metadata#contacts\/\$entity$/);
    const members = await client.api(`/groups/${groups[0].id}/members`).get();
    expect(members['@odata.context']).toMatch(/\$metadata#directoryObjects$/);
    const contacts = await client.api(`/users/${sim.info.tenants[0].adminId}/contacts`).get();
    expect(contacts['@odata.context']).toContain(
      `$metadata#users('${sim.info.tenants[0].adminId}')/contacts`,
    );
  });

  it('$orderby: displayName sorts by default, createdDateTime only in advanced queries, $filter with $orderby is advanced', async () => {
    const asc = await client
      .api('/users')
      .orderby('displayName')
      .select('id,displayName')
      .top(999)
      .get();
    const names = asc.value.map((u: MG.User) => u.displayName ?? '');
    expect(names).toEqual(
      [...names].sort((a: string, b: string) => a.localeCompare(b, 'en', { sensitivity: 'base' })),
    );
    const desc = await client.api('/users').orderby('displayName desc').select('id').top(999).get();
    expect(desc.value.map((u: MG.User) => u.id)).toEqual(
      asc.value.map((u: MG.User) => u.id).reverse(),
    );
    const created = await caught(client.api('/users').orderby('createdDateTime').get());
    expect(created?.statusCode).toBe(400);
    expect(created?.code).toBe('Request_UnsupportedQuery');
    const createdOk = await client
      .api('/users')
      .header('ConsistencyLevel', 'eventual')
      .count(true)
      .orderby('createdDateTime')
      .top(2)
      .get();
    expect(createdOk.value).toHaveLength(2);
    const unsortable = await caught(client.api('/users').orderby('department').get());
    expect(unsortable?.statusCode).toBe(400);
    const filtered = await caught(
      client.api('/users').filter('accountEnabled eq true').orderby('displayName').get(),
    );
    expect(filtered?.statusCode).toBe(400);
    expect(filtered?.message).toBe('Sorting not supported for current query.');
    const filteredOk = await client
      .api('/users')
      .header('ConsistencyLevel', 'eventual')
      .count(true)
      .filter('accountEnabled eq true')
      .orderby('displayName')
      .select('displayName,accountEnabled')
      .top(999)
      .get();
    expect(filteredOk.value.every((u: MG.User) => u.accountEnabled)).toBe(true);
    const g = await client.api('/groups').orderby('displayName desc').select('displayName').get();
    const gn = g.value.map((x: MG.Group) => x.displayName ?? '');
    expect(gn).toEqual(
      [...gn].sort((a: string, b: string) => b.localeCompare(a, 'en', { sensitivity: 'base' })),
    );
  });

  it('$search on users: needs ConsistencyLevel: eventual; display names tokenized, mail from its start; clauses quoted', async () => {
    const named = simUsers.find((u) => u.mail && !u.deleted)!;
    const full = (await client
      .api(`/users/${named.id}`)
      .select('displayName,mail')
      .get()) as MG.User;
    const surname = full.displayName!.split(' ').pop()!;
    const bare = (await caught(
      client.api('/users').search(`"displayName:${surname}"`).get(),
    )) as GraphError;
    expect(bare?.statusCode).toBe(400);
    expect(bare?.message).toMatch(/ConsistencyLevel: eventual/);
    const search = (q: string) =>
      client
        .api('/users')
        .header('ConsistencyLevel', 'eventual')
        .search(q)
        .select('id,displayName,mail')
        .count(true)
        .top(999)
        .get() as Promise<{ value: MG.User[]; '@odata.count': number }>;
    // The start of the last word of a name finds its owner; its middle does not.
    const byWord = await search(`"displayName:${surname.slice(0, 3)}"`);
    expect(byWord.value.map((u) => u.id)).toContain(named.id);
    expect(byWord['@odata.count']).toBe(byWord.value.length);
    const middle = surname.slice(1);
    for (const u of (await search(`"displayName:${middle}"`)).value)
      expect(
        u
          .displayName!.toLowerCase()
          .split(/[^a-z0-9]+/)
          .some((w) => w.startsWith(middle.toLowerCase())),
      ).toBe(true);
    // the mail as Graph has it now (an earlier test renames a mail user's primary address)
    const byMail = await search(`"mail:${full.mail!.slice(0, 4)}" OR "displayName:zzzz"`);
    expect(byMail.value.map((u) => u.id)).toContain(named.id);
    const bad = (await caught(
      client
        .api('/users')
        .header('ConsistencyLevel', 'eventual')
        .search(`displayName:${surname}`)
        .get(),
    )) as GraphError;
    expect([bad?.statusCode, bad?.code]).toEqual([400, 'Request_UnsupportedQuery']);
  });
});
