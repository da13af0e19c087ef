import {
  DIRECTORY_USER_MAPPING,
  mapSourceRecord,
  normalizeContact,
  ORG_CONTACT_MAPPING,
} from '@app/domain';
import type { Redis } from 'ioredis';
import type { TenantRef } from '../graph/graph-types';
import { gatewayOnSimulator } from '../testing/gateway-on-simulator';
import { SimulatorProcess } from '../testing/simulator-process';
import { DirectoryReader } from './directory-reader';

// The directory reader against the simulator over HTTPS, which answers like Graph: the OData
// cast on a group's members is an advanced query, and proxy addresses are SMTP:/smtp: entries.
let sim: SimulatorProcess;
let redis: Redis;
let reader: DirectoryReader;
let tenant: TenantRef;
let tid: string;

interface SimGroup {
  id: string;
  displayName: string;
  memberUserIds: string[];
  memberGroupIds: string[];
}

beforeAll(async () => {
  sim = await SimulatorProcess.start(['--tenants', '1', '--users', '40', '--seed', '12']);
  tid = sim.info.tenants[0].id;
  await sim.control(`/tenants/${tid}/consent`, 'POST', {});
  const built = gatewayOnSimulator(sim);
  redis = built.redis;
  reader = new DirectoryReader(built.gateway);
  tenant = { id: 'tenant-row-1', azureTenantId: tid };
}, 60_000);

afterAll(async () => {
  await redis?.quit();
  await sim?.stop();
});

it('reads a group’s users, nested groups included, with the advanced query parameters the cast needs', async () => {
  const groups = await sim.control<SimGroup[]>(`/tenants/${tid}/groups`);
  const users = await sim.control<Array<{ id: string; deleted?: boolean }>>(
    `/tenants/${tid}/users`,
  );
  const live = new Set(users.filter((u) => !u.deleted).map((u) => u.id));
  const byId = new Map(groups.map((g) => [g.id, g]));
  const expected = new Set<string>();
  const walk = (id: string, seen = new Set<string>()) => {
    if (seen.has(id)) return;
    seen.add(id);
    const g = byId.get(id)!;
    for (const u of g.memberUserIds) if (live.has(u)) expected.add(u);
    for (const sub of g.memberGroupIds) walk(sub, seen);
  };
  const all = groups.find((g) => g.displayName === 'All Company')!;
  walk(all.id);
  expect(expected.size).toBeGreaterThan(10);
  const ids = await reader.groupMemberIds(tenant, all.id);
  expect([...ids].sort()).toEqual([...expected].sort());
});

it('maps org contacts’ SMTP: primary and smtp: aliases to plain addresses, without duplicates', async () => {
  const contacts = await reader.orgContacts(tenant);
  expect(contacts.length).toBeGreaterThan(2);
  let withAlias = 0;
  for (const record of contacts) {
    const proxies = record.proxyAddresses as string[];
    expect(proxies).toContain(`SMTP:${String(record.mail)}`);
    const draft = mapSourceRecord(record, {
      sourceId: 'org',
      sourceKind: 'org-contact',
      mapping: ORG_CONTACT_MAPPING,
    })!;
    const contact = normalizeContact(draft, { defaultRegion: 'US' });
    const addresses = contact.emailAddresses.map((e) => e.address);
    const expected = [
      ...new Set([
        String(record.mail).toLowerCase(),
        ...proxies.map((p) => p.replace(/^smtp:/i, '').toLowerCase()),
      ]),
    ];
    expect(addresses).toEqual(expected);
    expect(addresses.every((a) => !/^smtp:/i.test(a))).toBe(true);
    if (expected.length > 1) withAlias++;
  }
  expect(withAlias).toBeGreaterThan(0);
});

it('reads users whose collections are arrays (otherMails [] when none), mail mapped, not the aliases', async () => {
  const read = await reader.readUsers(tenant, undefined);
  if (read === 'expired') throw new Error('a first read cannot be expired');
  expect(read.changed.length).toBeGreaterThan(30);
  for (const user of read.changed) {
    expect(Array.isArray(user.otherMails)).toBe(true);
    expect(Array.isArray(user.businessPhones)).toBe(true);
  }
  const withOther = read.changed.find((u) => (u.otherMails as string[]).length > 0)!;
  expect(withOther).toBeDefined();
  const draft = mapSourceRecord(withOther, {
    sourceId: 'dir',
    sourceKind: 'directory',
    mapping: DIRECTORY_USER_MAPPING,
  })!;
  const contact = normalizeContact(draft, { defaultRegion: 'US' });
  // the default mapping takes `mail` only: private alternate addresses stay off colleagues' phones
  expect(contact.emailAddresses.map((e) => e.address)).toEqual([
    String(withOther.mail).toLowerCase(),
  ]);
});

it('lists every group of the tenant by name, for the dashboard’s group picker', async () => {
  const groups = await sim.control<SimGroup[]>(`/tenants/${tid}/groups`);
  expect(groups.length).toBeGreaterThan(2);
  const read = await reader.groups(tenant);
  expect(read).toEqual(
    groups
      .map((g) => ({ id: g.id, displayName: g.displayName }))
      .sort((a, b) => a.displayName.localeCompare(b.displayName)),
  );
});

it('names users by id, 15 ids a request (the limit of `in`), leaving out unknown ids', async () => {
  const users = await sim.control<
    Array<{ id: string; deleted?: boolean; user?: { displayName?: string } }>
  >(`/tenants/${tid}/users`);
  const live = users.filter((u) => !u.deleted).slice(0, 20);
  expect(live.length).toBe(20);
  const unknown = '00000000-0000-4000-8000-000000000000';
  const named = await reader.usersByIds(tenant, [...live.map((u) => u.id), unknown]);
  expect(named.map((u) => u.id).sort()).toEqual(live.map((u) => u.id).sort());
  for (const u of named) {
    expect(u.displayName).toEqual(expect.any(String));
    expect(u.userPrincipalName).toMatch(/@/);
  }
});

it('searches users by the start of a word of their name, or of their mail, at most `top`', async () => {
  const users = await sim.control<
    Array<{ id: string; deleted?: boolean; displayName?: string; mail?: string }>
  >(`/tenants/${tid}/users`);
  const live = users.filter((u) => !u.deleted && u.displayName);
  // The second word of someone's name, cut short: found by its start, as Graph tokenizes.
  const target = live.find((u) => u.displayName!.split(' ').length > 1)!;
  const word = target.displayName!.split(' ')[1];
  const part = word.slice(0, Math.max(2, word.length - 1));
  const found = await reader.searchUsers(tenant, part, 25);
  expect(found.map((u) => u.id)).toContain(target.id);
  const tokensOf = (s: string) => s.toLowerCase().split(/[^a-z0-9]+/);
  for (const u of found)
    expect(
      tokensOf(u.displayName ?? '').some((t) => t.startsWith(part.toLowerCase())) ||
        (u.mail ?? '').toLowerCase().startsWith(part.toLowerCase()) ||
        (u.userPrincipalName ?? '').toLowerCase().startsWith(part.toLowerCase()),
    ).toBe(true);
  const names = found.map((u) => u.displayName ?? '');
  expect(names).toEqual(
    [...names].sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base' })),
  );

  // A term with a space and an apostrophe travels intact; `top` bounds the answer.
  expect(await reader.searchUsers(tenant, "o'nobody here", 5)).toEqual([]);
  const many = await reader.searchUsers(tenant, live[0].mail!.slice(0, 1), 3);
  expect(many.length).toBeLessThanOrEqual(3);
  expect(many.length).toBeGreaterThan(0);
});
