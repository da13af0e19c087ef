import { readFileSync } from 'node:fs';
import { TenantDirectoryReader } from '../directory/tenant-directory-reader';
import type { GraphGateway } from '../graph/graph-gateway';
import type { TenantRef } from '../graph/graph-types';
import { SimulatorProcess } from '../testing/simulator-process';
import type { EwsConnection } from './ews-connection';
import { EwsDirectoryReader } from './ews-directory-reader';
import { ewsDirectoryId } from './ews-persona';

// An EWS-only organisation's directory read from the simulator's EWS endpoint (NTLM, over
// HTTPS with the simulator's CA): FindPeople on the Global Address List, page by page.
let sim: SimulatorProcess;
let connection: EwsConnection;
let users: Array<{
  id: string;
  mail: string | null;
  mailbox: string;
}>;
const tenant: TenantRef = { id: 'org-row-1', azureTenantId: null };

interface Info {
  ewsUrl: string;
  caPath: string;
  tenants: Array<{ id: string; galId: string; adminUpn: string; ewsOnly: boolean }>;
  ewsAccounts: Array<{ userName: string; password: string }>;
}

const readerWith = (c: Partial<EwsConnection>, pageSize = 7) =>
  new EwsDirectoryReader({ forTenant: async () => ({ ...connection, ...c }) }, { pageSize });

beforeAll(async () => {
  sim = await SimulatorProcess.start([
    '--tenants',
    '1',
    '--users',
    '40',
    '--seed',
    '21',
    '--ews-only-tenants',
    '1',
  ]);
  const info = sim.info as unknown as Info;
  expect(info.tenants[0].ewsOnly).toBe(true);
  connection = {
    serverUrl: info.ewsUrl,
    username: info.ewsAccounts[0].userName,
    password: info.ewsAccounts[0].password,
    authMode: 'ntlm',
    caPem: readFileSync(info.caPath, 'utf8'),
    addressListId: info.tenants[0].galId,
    directoryMailbox: info.tenants[0].adminUpn,
  };
  // One user with known fields, added as an on-premises mailbox would be.
  await sim.control(`/tenants/${info.tenants[0].id}/users`, 'POST', {
    displayName: 'Ada Onprem',
    givenName: 'Ada',
    surname: 'Onprem',
    mail: 'ada.onprem@contoso.example',
    jobTitle: 'Engineer',
    department: 'Plant',
    companyName: 'Contoso',
    officeLocation: 'Hall 3',
    businessPhones: ['+1 425 555 0100'],
    mobilePhone: '+1 425 555 0101',
    city: 'Redmond',
  });
  users = await sim.control(`/tenants/${info.tenants[0].id}/users`);
}, 60_000);

afterAll(async () => {
  await sim?.stop();
});

it('reads every mailbox of the GAL as a user record, page by page, fields mapped; no delta (a link is expired)', async () => {
  const reader = readerWith({});
  const read = await reader.readUsers(tenant, undefined);
  if (read === 'expired') throw new Error('a full read cannot expire');
  const mailboxes = users.filter((u) => u.mailbox !== 'none' && u.mail);
  expect(read.changed).toHaveLength(mailboxes.length);
  // The GAL holds the mailboxes, the distribution groups and the mail contacts, 7 a page.
  const contacts = (await reader.orgContacts(tenant)).length;
  const groups = (await reader.groups(tenant)).length;
  const pages = Math.ceil((mailboxes.length + contacts + groups) / 7);
  expect(reader.stats.findPeople).toBe(3 * pages);
  expect(mailboxes.find((u) => u.mail === 'ada.onprem@contoso.example')?.mailbox).toBe('onprem');
  const record = read.changed.find((r) => r.mail === 'ada.onprem@contoso.example')!;
  expect(record).toEqual({
    id: ewsDirectoryId('Ada.Onprem@contoso.example'),
    displayName: 'Ada Onprem',
    givenName: 'Ada',
    surname: 'Onprem',
    mail: 'ada.onprem@contoso.example',
    jobTitle: 'Engineer',
    department: 'Plant',
    companyName: 'Contoso',
    officeLocation: 'Hall 3',
    businessPhones: ['+1 425 555 0100'],
    mobilePhone: '+1 425 555 0101',
    streetAddress: null,
    city: 'Redmond',
    state: null,
    postalCode: null,
    country: null,
    hasMailbox: true,
  });
  expect(new Set(read.changed.map((r) => r.id)).size).toBe(read.changed.length);
  expect(await reader.readUsers(tenant, read.deltaLink)).toBe('expired');
});

it("groups are the GAL's distribution groups; their mailboxes, nested groups included, come through ExpandDL", async () => {
  const reader = readerWith({}, 500);
  const info = sim.info as unknown as Info;
  const simGroups = await sim.control<
    Array<{ id: string; displayName: string; memberUserIds: string[]; memberGroupIds: string[] }>
  >(`/tenants/${info.tenants[0].id}/groups`);
  const groups = await reader.groups(tenant);
  expect(groups.map((g) => g.displayName).sort()).toEqual(
    simGroups.map((g) => g.displayName).sort(),
  );
  const nested = simGroups.find((g) => g.memberGroupIds.length > 0)!;
  const byId = new Map(simGroups.map((g) => [g.id, g]));
  const mailOf = new Map(users.map((u) => [u.id, u]));
  const expected = new Set<string>();
  const walk = (g: (typeof simGroups)[number], seen: Set<string>) => {
    for (const id of g.memberUserIds) {
      const u = mailOf.get(id);
      if (u?.mail && u.mailbox !== 'none') expected.add(ewsDirectoryId(u.mail));
    }
    for (const id of g.memberGroupIds) if (!seen.has(id)) walk(byId.get(id)!, seen.add(id));
  };
  walk(nested, new Set([nested.id]));
  const id = groups.find((g) => g.displayName === nested.displayName)!.id;
  const before = reader.stats.findPeople;
  const members = await reader.groupMemberIds(tenant, id);
  expect([...members].sort()).toEqual([...expected].sort());
  expect(reader.stats.findPeople).toBe(before); // the groups of the last read serve the look-up
  expect(reader.stats.expandDl).toBeGreaterThan(1);
  await expect(reader.groupMemberIds(tenant, 'not-a-group')).rejects.toMatchObject({
    code: 'EWS_DIRECTORY_UNSUPPORTED',
    message: expect.stringMatching(/mail-enabled/),
  });
});

it('a source mailbox folder is unsupported with a sentence; names by id come from the GAL', async () => {
  const reader = readerWith({}, 500);
  await expect(reader.mailboxFolderContacts(tenant, 'm1', undefined)).rejects.toMatchObject({
    code: 'EWS_DIRECTORY_UNSUPPORTED',
  });
  const someone = users.find((u) => u.mailbox !== 'none' && u.mail)!;
  expect(await reader.usersByIds(tenant, [ewsDirectoryId(someone.mail!), 'nobody'])).toEqual([
    {
      id: ewsDirectoryId(someone.mail!),
      displayName: (someone as unknown as { displayName: string }).displayName,
      userPrincipalName: someone.mail!.toLowerCase(),
    },
  ]);
  expect(reader.stats.findPeople).toBe(1);
});

it('a wrong password, a missing GAL id and a GAL of another organisation each give their own code', async () => {
  await expect(
    readerWith({ password: 'Wrong-Passw0rd' }).readUsers(tenant, undefined),
  ).rejects.toMatchObject({ code: 'EWS_SIGN_IN_FAILED' });
  await expect(
    readerWith({ addressListId: null }).readUsers(tenant, undefined),
  ).rejects.toMatchObject({
    code: 'EWS_DIRECTORY_NOT_CONFIGURED',
    message: expect.stringMatching(/Get-GlobalAddressList/),
  });
  await expect(
    readerWith({ addressListId: '00000000-0000-4000-8000-000000000000' }).readUsers(
      tenant,
      undefined,
    ),
  ).rejects.toMatchObject({
    code: 'EWS_REQUEST_REJECTED',
    details: { ewsCode: 'ErrorInvalidArgument' },
  });
  await expect(
    new EwsDirectoryReader({ forTenant: async () => null }).readUsers(tenant, undefined),
  ).rejects.toMatchObject({ code: 'EWS_DIRECTORY_NOT_CONFIGURED' });
});

it('the tenant directory routes an organisation without an Entra tenant id to the GAL, never to Graph', async () => {
  const graph = {
    request: () => {
      throw new Error('Graph must not be asked for an EWS-only organisation');
    },
  } as unknown as GraphGateway;
  const reader = new TenantDirectoryReader(graph, readerWith({}, 500));
  const read = await reader.readUsers(tenant, undefined);
  expect(read !== 'expired' && read.changed.length).toBeGreaterThan(20);
  expect(await reader.userPhoto(tenant, 'x')).toBeUndefined();
  expect((await reader.groups(tenant)).length).toBeGreaterThan(0);
  await expect(reader.readUsers({ id: 'm365', azureTenantId: 'tid' }, undefined)).rejects.toThrow(
    /Graph must not be asked/,
  );
});

it('searches the GAL with a query string: mailboxes only, paged on past groups and contacts until the limit', async () => {
  const info = sim.info as unknown as Info;
  const group = (
    await sim.control<Array<{ displayName: string; mail: string | null }>>(
      `/tenants/${info.tenants[0].id}/groups`,
    )
  ).find((g) => g.mail && g.displayName.includes(' '))!;
  // A mailbox whose display name starts with the group's: the group sorts first.
  const [first, ...rest] = group.displayName.split(' ');
  await sim.control(`/tenants/${info.tenants[0].id}/users`, 'POST', {
    displayName: `${group.displayName}man`,
    givenName: first,
    surname: `${rest.join(' ')}man`,
    mail: 'groupish@contoso.example',
  });
  const reader = new EwsDirectoryReader(
    { forTenant: async () => connection },
    { searchPageSize: 1 },
  );
  const graph = {
    request: () => {
      throw new Error('Graph must not be asked for an EWS-only organisation');
    },
  } as unknown as GraphGateway;
  const found = await new TenantDirectoryReader(graph, reader).searchUsers(
    tenant,
    group.displayName,
    1,
  );
  expect(found).toEqual([
    {
      id: ewsDirectoryId('groupish@contoso.example'),
      displayName: `${group.displayName}man`,
      userPrincipalName: 'groupish@contoso.example',
      mail: 'groupish@contoso.example',
    },
  ]);
  // One page held the group (passed over), the next the mailbox.
  expect(reader.stats.findPeople).toBe(2);
  const ada = await reader.searchUsers(tenant, 'onprem', 5);
  expect(ada.map((u) => u.displayName)).toEqual(['Ada Onprem']);
  // First and last name together, the other way round.
  expect((await reader.searchUsers(tenant, 'Onprem Ad', 5)).map((u) => u.displayName)).toEqual([
    'Ada Onprem',
  ]);
  expect(await reader.searchUsers(tenant, 'zzqx', 5)).toEqual([]);
});

it('names by id: one GAL read serves a minute of look-ups (views at once share it), then the GAL is read again (review N6)', async () => {
  const info = sim.info as unknown as Info;
  let now = Date.now();
  const reader = new EwsDirectoryReader(
    { forTenant: async () => connection },
    { pageSize: 500, now: () => now },
  );
  const operations = async () =>
    (await sim.control<{ ews: { operations: number } }>('/stats')).ews.operations;
  const before = await operations();
  const someone = users.find((u) => u.mailbox !== 'none' && u.mail)!;
  const named = [
    {
      id: ewsDirectoryId(someone.mail!),
      displayName: (someone as unknown as { displayName: string }).displayName,
      userPrincipalName: someone.mail!.toLowerCase(),
    },
  ];
  const ids = [ewsDirectoryId(someone.mail!)];
  expect(
    await Promise.all([reader.usersByIds(tenant, ids), reader.usersByIds(tenant, ids)]),
  ).toEqual([named, named]);
  now += 30_000;
  expect(await reader.usersByIds(tenant, ids)).toEqual(named);
  // One FindPeople (the GAL is one page of 500), as the simulator counts it too.
  expect(reader.stats.findPeople).toBe(1);
  expect((await operations()) - before).toBe(1);

  // A mailbox added to the GAL meanwhile is named once the minute is over.
  await sim.control(`/tenants/${info.tenants[0].id}/users`, 'POST', {
    displayName: 'Bea Later',
    givenName: 'Bea',
    surname: 'Later',
    mail: 'bea.later@contoso.example',
  });
  const bea = [ewsDirectoryId('bea.later@contoso.example')];
  expect(await reader.usersByIds(tenant, bea)).toEqual([]);
  now += 30_001;
  expect(await reader.usersByIds(tenant, bea)).toEqual([
    { id: bea[0], displayName: 'Bea Later', userPrincipalName: 'bea.later@contoso.example' },
  ]);
  expect(reader.stats.findPeople).toBe(2);
  expect((await operations()) - before).toBe(2);
});

it('names by id: a failed GAL read is not kept, the next look-up reads again', async () => {
  let password = 'Wrong-Passw0rd';
  const reader = new EwsDirectoryReader(
    { forTenant: async () => ({ ...connection, password }) },
    { pageSize: 500 },
  );
  const ids = [ewsDirectoryId('ada.onprem@contoso.example')];
  await expect(reader.usersByIds(tenant, ids)).rejects.toMatchObject({
    code: 'EWS_SIGN_IN_FAILED',
  });
  password = connection.password;
  expect((await reader.usersByIds(tenant, ids)).map((u) => u.displayName)).toEqual(['Ada Onprem']);
});
