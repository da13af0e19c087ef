/**
 * Deterministic tenant seeding (mulberry32 from --seed): realistic people, departments,
 * phone numbers in many national/international styles, and the awkward cases (no mail,
 * no mailbox, disabled, unlicensed, shared and room mailboxes, on-premises mailboxes of a
 * hybrid tenant), nested groups, org contacts, photos and source contact folders.
 */
import type * as MG from '@microsoft/microsoft-graph-types';
import { Prng } from '../core/prng';
import { newItemId } from '../core/ids';
import type { Mailbox, SimGroup, SimUser, Tenant } from './model';
import { ContactPool, ContactTable } from './contact-store';

const FIRST = [
  'Adele',
  'Alex',
  'Allan',
  'Diego',
  'Grady',
  'Henrietta',
  'Isaiah',
  'Johanna',
  'Joni',
  'Lee',
  'Lidia',
  'Lynne',
  'Megan',
  'Miriam',
  'Nestor',
  'Patti',
  'Pradeep',
  'Christie',
  'Irvin',
  'Debra',
  'Ingrid',
  'Mateo',
  'Sofía',
  'Łukasz',
  'Zoë',
  'François',
  'Björn',
  'Chiara',
  'Hiroshi',
  'Mei',
  'Olamide',
  'Priya',
  'Ravi',
  'Ana',
  'João',
  'Fatima',
  'Yusuf',
  'Emma',
  'Noah',
  'Liam',
  'Olivia',
  'Hannah',
  'Kofi',
  'Aisha',
  'Sven',
  'Ingeborg',
  'Tomás',
  "D'Arcy",
  'Anne-Marie',
  'Jean-Luc',
  'Siobhán',
  'Nguyễn',
  'Wei',
  'Dmitri',
  'Katarzyna',
  'Agnieszka',
  'Rahul',
];
const LAST = [
  'Vance',
  'Wilber',
  'Deyoung',
  'Soto',
  'Archie',
  'Cederberg',
  'Langer',
  'Lauer',
  'Sherman',
  'Gu',
  'Holloway',
  'Robinson',
  'Bowen',
  'Graham',
  'Wilke',
  'Fernandez',
  'Gupta',
  'Cline',
  'Sauer',
  'Berg',
  'Müller',
  'García',
  'Nowak',
  "O'Brien",
  'van der Berg',
  'Dubois',
  'Rossi',
  'Tanaka',
  'Chen',
  'Okafor',
  'Sharma',
  'Patel',
  'Silva',
  'Haddad',
  'Yılmaz',
  'Smith',
  'Johansson',
  'Kowalski',
  'MacDonald',
  'De la Cruz',
  'Nguyen',
  'Kim',
  'Ivanov',
  'Mensah',
  'Andersen',
  'Larsen',
  'Schmidt',
  'López',
  'Fischer',
  'Weber',
  'Hughes',
  'Murphy',
];
const DEPARTMENTS = [
  'Sales',
  'Marketing',
  'Finance',
  'Human Resources',
  'Engineering',
  'Operations',
  'Legal',
  'Support',
  'Executive',
];
const TITLES: Record<string, string[]> = {
  Sales: ['Account Executive', 'Sales Manager', 'Inside Sales Representative'],
  Marketing: ['Marketing Manager', 'Content Strategist', 'Product Marketing Manager'],
  Finance: ['Accountant', 'Controller', 'Financial Analyst'],
  'Human Resources': ['HR Generalist', 'Recruiter', 'HR Manager'],
  Engineering: [
    'Software Engineer',
    'Senior Software Engineer',
    'Engineering Manager',
    'QA Engineer',
  ],
  Operations: ['Operations Manager', 'Logistics Coordinator', 'Facilities Manager'],
  Legal: ['Corporate Counsel', 'Paralegal'],
  Support: ['Support Engineer', 'Customer Success Manager'],
  Executive: ['Chief Executive Officer', 'Chief Financial Officer', 'Chief Operating Officer'],
};
interface Office {
  name: string;
  city: string;
  country: string;
  usage: string;
  cc: string;
}
const OFFICES: Office[] = [
  { name: 'Redmond HQ', city: 'Redmond', country: 'United States', usage: 'US', cc: '1' },
  { name: 'London', city: 'London', country: 'United Kingdom', usage: 'GB', cc: '44' },
  { name: 'Berlin', city: 'Berlin', country: 'Germany', usage: 'DE', cc: '49' },
  { name: 'Paris', city: 'Paris', country: 'France', usage: 'FR', cc: '33' },
  { name: 'Sydney', city: 'Sydney', country: 'Australia', usage: 'AU', cc: '61' },
  { name: 'Home office', city: 'Toronto', country: 'Canada', usage: 'CA', cc: '1' },
];
const TENANT_NAMES = [
  'Contoso',
  'Fabrikam',
  'Northwind Traders',
  'Adatum',
  'Tailspin Toys',
  'Woodgrove Bank',
  'Litware',
  'Proseware',
];

function digits(r: Prng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String(r.int(0, 9));
  return s;
}

/** A phone number of the office's country in one of several styles people actually type. */
export function phone(r: Prng, o: Office, mobile: boolean): string {
  const style = r.int(0, 3);
  switch (o.usage) {
    case 'US':
    case 'CA': {
      const area = mobile ? pickArea(r) : o.usage === 'CA' ? '416' : '425';
      const ex = '555';
      const line = '01' + digits(r, 2);
      return [
        `+1 (${area}) ${ex}-${line}`,
        `${area}-${ex}-${line}`,
        `(${area}) ${ex}-${line} x${digits(r, 3)}`,
        `+1.${area}.${ex}.${line}`,
      ][style];
    }
    case 'GB': {
      if (mobile) {
        const d = '7700 900' + digits(r, 3);
        return [`+44 ${d}`, `0${d}`, `+44 (0)${d}`, `0044 ${d.replace(' ', '')}`][style];
      }
      const d = `20 7946 0${digits(r, 3)}`;
      return [`+44 ${d}`, `0${d}`, `+44 (0)${d}`, `0044${d.replace(/ /g, '')}`][style];
    }
    case 'DE': {
      if (mobile) {
        const d = `151 ${digits(r, 8)}`;
        return [`+49 ${d}`, `0${d}`, `+49 (0)${d}`, `0049-${d.replace(' ', '-')}`][style];
      }
      const d = `30 ${digits(r, 6)}-${digits(r, 2)}`;
      return [`+49 ${d}`, `0${d}`, `+49 (0)${d}`, `0049 ${d}`][style];
    }
    case 'FR': {
      const a = mobile ? '6' : '1';
      const p = [digits(r, 2), digits(r, 2), digits(r, 2), digits(r, 2)];
      return [
        `+33 ${a} ${p.join(' ')}`,
        `0${a} ${p.join(' ')}`,
        `0${a}.${p.join('.')}`,
        `+33 (0)${a}${p.join('')}`,
      ][style];
    }
    default: {
      if (mobile) {
        const d = `4${digits(r, 2)} ${digits(r, 3)} ${digits(r, 3)}`;
        return [
          `+61 ${d}`,
          `0${d}`,
          `+61${d.replace(/ /g, '')}`,
          `(0${d.slice(0, 3)}) ${d.slice(4)}`,
        ][style];
      }
      const d = `2 ${digits(r, 4)} ${digits(r, 4)}`;
      return [`+61 ${d}`, `(02) ${d.slice(2)}`, `+61 (0)${d}`, `0${d.replace(/ /g, '')}`][style];
    }
  }
}
function pickArea(r: Prng): string {
  return r.pick(['206', '425', '312', '646', '415', '512']);
}

function ascii(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ł/g, 'l')
    .replace(/Ł/g, 'L')
    .replace(/ı/g, 'i')
    .replace(/[^A-Za-z0-9]/g, '')
    .toLowerCase();
}

/** A tiny valid PNG (1x1 pixel of a colour derived from the prng). */
export function tinyPng(r: Prng): Buffer {
  // Pre-built 1x1 PNG with a variable colour in the IDAT is overkill: vary a tEXt chunk instead.
  const base = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
    'base64',
  );
  return Buffer.concat([
    base.subarray(0, base.length - 12),
    Buffer.from(r.bytes(0)),
    base.subarray(base.length - 12),
  ]);
}

export interface SeedInput {
  seed: number;
  tenants: number;
  usersPerTenant: number;
  /** Regular users seeded with an on-premises mailbox, after the fixed first ones. */
  onPremisesUsers?: number;
  /** the last N tenants have Exchange Server only: every mailbox on-premises, unknown to Entra ID */
  ewsOnlyTenants?: number;
  appRoleClientIds: { clientId: string; appRoles: string[] }[];
}

export function seedTenants(input: SeedInput): Tenant[] {
  const r = new Prng(input.seed);
  const out: Tenant[] = [];
  for (let t = 0; t < input.tenants; t++) {
    const base = TENANT_NAMES[t % TENANT_NAMES.length];
    const suffix = t >= TENANT_NAMES.length ? String(Math.floor(t / TENANT_NAMES.length) + 1) : '';
    const tenant = seedTenant(r, base + (suffix ? ' ' + suffix : ''), ascii(base) + suffix, input);
    if (t >= input.tenants - (input.ewsOnlyTenants ?? 0)) {
      tenant.ewsOnly = true;
      for (const u of tenant.users.values()) if (u.mailbox === 'cloud') u.mailbox = 'onprem';
      // Groups of an Exchange organisation are mail-enabled distribution groups in its GAL.
      for (const g of tenant.groups.values()) {
        g.group.mailEnabled = true;
        g.group.mail = `${g.group.mailNickname}@${tenant.domain}`;
      }
    }
    out.push(tenant);
  }
  return out;
}

export function emptyMailbox(userId: string, pool: ContactPool): Mailbox {
  const contactsId = newItemId();
  const calendarId = newItemId();
  const mb: Mailbox = {
    userId,
    seq: 0,
    deltaEpoch: 0,
    defaultContactFolderId: contactsId,
    defaultCalendarId: calendarId,
    contactFolders: new Map(),
    calendars: new Map(),
    contacts: new ContactTable(pool),
    events: new Map(),
    tombstones: [],
    categories: new Map(),
    transactionIds: new Map(),
  };
  mb.contactFolders.set(contactsId, {
    id: contactsId,
    displayName: 'Contacts',
    parentFolderId: newItemId(),
  });
  mb.calendars.set(calendarId, {
    id: calendarId,
    name: 'Calendar',
    color: 'auto',
    isDefaultCalendar: true,
    canEdit: true,
    canShare: true,
    canViewPrivateItems: true,
    changeKey: 'AAAA',
  });
  for (const [name, color] of [
    ['Red category', 'preset0'],
    ['Orange category', 'preset1'],
    ['Blue category', 'preset7'],
  ] as const) {
    const id = new Prng(name.length).guid();
    mb.categories.set(id, { id, displayName: name, color });
  }
  return mb;
}

function seedTenant(r: Prng, displayName: string, slug: string, input: SeedInput): Tenant {
  const id = r.guid();
  const domain = `${slug}.onmicrosoft.com`;
  const tenant: Tenant = {
    id,
    domain,
    displayName,
    users: new Map(),
    usersByUpn: new Map(),
    groups: new Map(),
    orgContacts: new Map(),
    servicePrincipals: new Map(),
    exchangeAppAssignments: new Map(),
    mailboxes: new Map(),
    contactPool: new ContactPool(),
    dirSeq: 0,
    deltaEpoch: 0,
    adminUserId: '',
  };
  const n = Math.max(1, input.usersPerTenant);
  const usedUpn = new Set<string>();
  for (let i = 0; i < n; i++) {
    const su = makeUser(r, tenant, i, usedUpn, input);
    addUser(tenant, su);
    if (i === 0) tenant.adminUserId = su.user.id;
  }
  // groups: one per department, nested under "All Company"; a nested "Sales EMEA" inside Sales
  const users = [...tenant.users.values()];
  const all = newGroup(r, 'All Company', 'Everyone in ' + displayName);
  tenant.groups.set(all.group.id, all);
  for (const dep of DEPARTMENTS) {
    const g = newGroup(r, dep, `${dep} department`);
    g.memberUserIds = users
      .filter((u) => u.user.department === dep && !u.user.department?.includes('x'))
      .map((u) => u.user.id);
    tenant.groups.set(g.group.id, g);
    all.memberGroupIds.push(g.group.id);
    if (dep === 'Sales') {
      const emea = newGroup(r, 'Sales EMEA', 'Sales in Europe');
      emea.memberUserIds = users
        .filter(
          (u) => ['GB', 'DE', 'FR'].includes(u.user.usageLocation ?? '') && u.purpose === 'user',
        )
        .slice(0, 8)
        .map((u) => u.user.id);
      tenant.groups.set(emea.group.id, emea);
      g.memberGroupIds.push(emea.group.id);
    }
  }
  // org contacts (mail contacts in the directory)
  const nContacts = 3 + Math.floor(n / 20);
  for (let i = 0; i < nContacts; i++) {
    const o = r.pick(OFFICES);
    const given = r.pick(FIRST);
    const sur = r.pick(LAST);
    const oc: MG.OrgContact & { id: string } = {
      id: r.guid(),
      displayName: `${given} ${sur}`,
      givenName: given,
      surname: sur,
      mail: `${ascii(given)}.${ascii(sur)}@partner${i % 3}.example.com`,
      companyName: r.pick(['Litware Partners', 'Alpine Ski House', 'Coho Winery', 'Trey Research']),
      jobTitle: r.pick(['Partner Manager', 'Consultant', 'Supplier contact']),
      department: null,
      phones: [
        { type: 'business', number: phone(r, o, false) },
        { type: 'mobile', number: r.chance(0.5) ? phone(r, o, true) : null },
      ],
      addresses: [
        {
          city: o.city,
          countryOrRegion: o.country,
          officeLocation: null,
          postalCode: null,
          state: null,
          street: null,
        },
      ],
      // a mail contact's target address is its primary SMTP address; some have an alias
      proxyAddresses: [
        `SMTP:${ascii(given)}.${ascii(sur)}@partner${i % 3}.example.com`,
        ...(i % 2 === 1
          ? [`smtp:${ascii(given).slice(0, 1)}${ascii(sur)}@partner${i % 3}.example.com`]
          : []),
      ],
    };
    tenant.orgContacts.set(oc.id, oc);
    if (i < 2) all.memberContactIds.push(oc.id);
  }
  // source contact folders in a few mailboxes (the admin's and the first regular users')
  const sources = users.filter((u) => u.mailbox === 'cloud' && u.purpose === 'user').slice(0, 3);
  for (const [k, u] of sources.entries()) {
    const mb = emptyMailbox(u.user.id, tenant.contactPool);
    tenant.mailboxes.set(u.user.id, mb);
    const fid = newItemId(r.bytes(16));
    mb.contactFolders.set(fid, {
      id: fid,
      displayName: k === 0 ? 'Company Directory' : 'Suppliers',
      parentFolderId: mb.defaultContactFolderId,
    });
    for (let j = 0; j < 6 + k * 2; j++) {
      const o = r.pick(OFFICES);
      const given = r.pick(FIRST);
      const sur = r.pick(LAST);
      const cid = newItemId(r.bytes(16));
      mb.seq++;
      mb.contacts.create(
        fid,
        {
          id: cid,
          parentFolderId: fid,
          displayName: `${given} ${sur}`,
          givenName: given,
          surname: sur,
          companyName: r.pick([
            'Coho Winery',
            'Alpine Ski House',
            'Trey Research',
            'Wide World Importers',
          ]),
          emailAddresses: [
            { name: `${given} ${sur}`, address: `${ascii(given)}@supplier${j}.example.org` },
          ],
          businessPhones: [phone(r, o, false)],
          mobilePhone: r.chance(0.6) ? phone(r, o, true) : null,
          homePhones: [],
          categories: [],
          createdDateTime: '2024-01-15T09:00:00Z',
          lastModifiedDateTime: '2024-01-15T09:00:00Z',
          changeKey: 'EQAAABYAAAA' + j,
        },
        [],
        mb.seq,
        { id: cid, changeKey: 'EQAAABYAAAA' + j },
      );
    }
  }
  return tenant;
}

function newGroup(r: Prng, name: string, description: string): SimGroup {
  return {
    group: {
      id: r.guid(),
      displayName: name,
      description,
      mailNickname: ascii(name),
      mailEnabled: false,
      securityEnabled: true,
      groupTypes: [],
      createdDateTime: '2023-03-01T08:00:00Z',
    },
    memberUserIds: [],
    memberGroupIds: [],
    memberContactIds: [],
  };
}

export function addUser(tenant: Tenant, su: SimUser): void {
  // An Exchange-only organisation has no cloud mailboxes.
  if (tenant.ewsOnly && su.mailbox === 'cloud') su.mailbox = 'onprem';
  tenant.dirSeq++;
  su.seq = tenant.dirSeq;
  tenant.users.set(su.user.id, su);
  tenant.usersByUpn.set(su.user.userPrincipalName!.toLowerCase(), su);
}

/**
 * A mail-enabled user's proxy addresses as Exchange Online sets them: `SMTP:` the primary address,
 * `smtp:` aliases (the tenant's `mail.onmicrosoft.com` routing address; for some users an older
 * address such as `jdoe@…` kept after a rename); a few carry a non-mail `SIP:` entry.
 * https://learn.microsoft.com/graph/api/resources/user#properties (proxyAddresses)
 */
function proxyAddressesOf(
  tenant: Tenant,
  upn: string,
  local: string,
  i: number,
  given: string,
  sur: string,
): string[] {
  const routing = tenant.domain.replace(/\.onmicrosoft\.com$/, '.mail.onmicrosoft.com');
  const out = [`SMTP:${upn}`, `smtp:${local}@${routing}`];
  if (i % 4 === 3 && given && sur)
    out.push(`smtp:${ascii(given).slice(0, 1)}${ascii(sur)}@${tenant.domain}`);
  if (i % 7 === 2) out.push(`SIP:${upn}`);
  return out;
}

function makeUser(
  r: Prng,
  tenant: Tenant,
  i: number,
  usedUpn: Set<string>,
  input: SeedInput,
): SimUser {
  const o = i === 0 ? OFFICES[0] : r.pick(OFFICES);
  let given = r.pick(FIRST);
  let sur = r.pick(LAST);
  let kind:
    'admin' | 'shared' | 'onprem' | 'unlicensed' | 'disabled' | 'nomail' | 'room' | 'regular' =
    'regular';
  const fixed = ['admin', 'shared', 'onprem', 'unlicensed', 'disabled', 'nomail', 'room'] as const;
  if (i < fixed.length) kind = fixed[i];
  else if (i < fixed.length + (input.onPremisesUsers ?? 0)) kind = 'onprem';
  else {
    const x = r.next();
    if (x < 0.03) kind = 'shared';
    else if (x < 0.08) kind = 'onprem';
    else if (x < 0.11) kind = 'unlicensed';
    else if (x < 0.14) kind = 'disabled';
    else if (x < 0.16) kind = 'nomail';
  }
  if (kind === 'admin') {
    given = 'MOD';
    sur = 'Administrator';
  }
  let displayName = `${given} ${sur}`;
  let nick = `${ascii(given)}.${ascii(sur)}`;
  if (kind === 'admin') nick = 'admin';
  if (kind === 'shared') {
    const box = r.pick([
      'Reception',
      'Info',
      'Helpdesk',
      'Accounts Payable',
      'Press Office',
      'Recruiting',
    ]);
    displayName = box;
    given = '';
    sur = '';
    nick = ascii(box);
  }
  if (kind === 'room') {
    const room = r.pick(['Conf Room Adams', 'Conf Room Baker', 'Conf Room Crystal', 'Board Room']);
    displayName = room;
    given = '';
    sur = '';
    nick = ascii(room);
  }
  let upnLocal = nick;
  for (let k = 2; usedUpn.has(upnLocal); k++) upnLocal = nick + k;
  usedUpn.add(upnLocal);
  const upn = `${upnLocal}@${tenant.domain}`;
  const dep =
    kind === 'admin'
      ? 'Executive'
      : kind === 'shared' || kind === 'room'
        ? null
        : r.pick(DEPARTMENTS);
  const noPhone = kind !== 'admin' && r.chance(0.1);
  const businessPhones = noPhone || kind === 'room' ? [] : [phone(r, o, false)];
  const mobilePhone =
    noPhone || kind === 'shared' || kind === 'room' || r.chance(0.3) ? null : phone(r, o, true);
  const licensed =
    kind !== 'unlicensed' && kind !== 'shared' && kind !== 'room' && kind !== 'nomail';
  const id = r.guid();
  const user: MG.User & { id: string } = {
    id,
    displayName,
    givenName: given || null,
    surname: sur || null,
    userPrincipalName: upn,
    mail: kind === 'nomail' ? null : upn,
    mailNickname: upnLocal,
    proxyAddresses: kind === 'nomail' ? [] : proxyAddressesOf(tenant, upn, upnLocal, i, given, sur),
    // a few users have an alternate (often private) address; no random draw, so the rest of the
    // seeded directory stays as it was
    otherMails: kind === 'regular' && i % 9 === 5 ? [`${upnLocal}.home@example.net`] : [],
    jobTitle: dep ? r.pick(TITLES[dep]) : null,
    department: dep,
    officeLocation: dep ? o.name : null,
    companyName: tenant.displayName,
    city: o.city,
    country: o.country,
    usageLocation: o.usage,
    businessPhones,
    mobilePhone,
    accountEnabled: kind !== 'disabled' && kind !== 'shared' && kind !== 'room',
    userType: 'Member',
    preferredLanguage: o.usage === 'DE' ? 'de-DE' : o.usage === 'FR' ? 'fr-FR' : 'en-US',
    onPremisesSyncEnabled: kind === 'onprem' ? true : null,
    onPremisesImmutableId:
      kind === 'onprem' ? Buffer.from(id).toString('base64').slice(0, 24) : null,
    assignedLicenses: licensed
      ? [{ skuId: 'c7df2760-2c81-4ef7-b578-5b5392b571df', disabledPlans: [] }]
      : [],
    onPremisesExtensionAttributes: {
      extensionAttribute1: dep ? `CC-${r.int(100, 999)}` : null,
      extensionAttribute2: r.chance(0.3) ? r.pick(['Floor 1', 'Floor 2', 'Floor 3']) : null,
      extensionAttribute3: null,
      extensionAttribute4: null,
      extensionAttribute5: null,
      extensionAttribute6: null,
      extensionAttribute7: null,
      extensionAttribute8: null,
      extensionAttribute9: null,
      extensionAttribute10: null,
      extensionAttribute11: null,
      extensionAttribute12: null,
      extensionAttribute13: null,
      extensionAttribute14: null,
      extensionAttribute15: r.chance(0.05) ? 'HideFromSync' : null,
    },
    createdDateTime: '2023-03-01T08:00:00Z',
  };
  const appRoles: Record<string, string[]> = {};
  for (const app of input.appRoleClientIds) {
    if (kind === 'admin' && app.appRoles.includes('Sync.Admin'))
      appRoles[app.clientId] = ['Sync.Admin'];
    else if (i === 7 && app.appRoles.includes('Sync.Viewer'))
      appRoles[app.clientId] = ['Sync.Viewer'];
  }
  return {
    user,
    mailbox:
      kind === 'onprem' ? 'onprem' : kind === 'unlicensed' || kind === 'nomail' ? 'none' : 'cloud',
    purpose: kind === 'shared' ? 'shared' : kind === 'room' ? 'room' : 'user',
    photo: kind === 'admin' || r.chance(0.04) ? tinyPng(r) : undefined,
    seq: 0,
    deleted: false,
    globalAdmin: kind === 'admin',
    appRoles,
  };
}
