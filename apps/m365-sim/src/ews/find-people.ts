/**
 * FindPeople over the organisation's Global Address List, as Exchange Server 2013+ answers it
 * (messages.xsd FindPeopleType / FindPeopleResponseMessageType, types.xsd PersonaType).
 * - The GAL is named by its AddressListId (the address list's GUID, `Get-GlobalAddressList`);
 *   the tenant's GAL id is in /_sim/info (`galId`). Browsing it page by page with an
 *   IndexedPageItemView, without a QueryString, is what Outlook on the web does for its
 *   directory view. With a QueryString it is the address book search (Outlook's "search the
 *   directory"): entries matched by ambiguous name resolution (anrMatches), paged the same way.
 * - The distinguished folder `directory` without a QueryString is refused: Microsoft documents
 *   that the GAL as the primary search folder needs a query string ("this operation does not
 *   allow for browsing of the GAL").
 *   https://learn.microsoft.com/exchange/client-developer/web-service-reference/findpeople-operation
 * - Entries: mailboxes (MailboxType Mailbox) and mail contacts (Contact), sorted by display
 *   name; the default shape carries id, type, display name and address, AdditionalProperties
 *   add the fields asked for (attributed arrays carry their Attributions, as the schema needs).
 */
import { createHash } from 'node:crypto';
import type { Tenant } from '../store/model';
import { attr, esc, kid, kids, NS, tag, text, type El } from './xml';

/** The tenant's Global Address List id (a GUID, stable per tenant). */
export function galIdOf(tenant: Tenant): string {
  const h = createHash('sha1').update(`gal:${tenant.id}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

interface GalEntry {
  id: string;
  kind: 'Mailbox' | 'Contact' | 'PublicDL';
  displayName: string;
  givenName?: string | null;
  surname?: string | null;
  mail: string;
  title?: string | null;
  department?: string | null;
  companyName?: string | null;
  officeLocation?: string | null;
  businessPhones: string[];
  mobilePhone?: string | null;
  address?: {
    street?: string | null;
    city?: string | null;
    state?: string | null;
    postalCode?: string | null;
    country?: string | null;
  };
}

function galEntries(tenant: Tenant): GalEntry[] {
  const out: GalEntry[] = [];
  for (const u of tenant.users.values()) {
    const m = u.user;
    if (u.deleted || u.mailbox === 'none' || !m.mail) continue;
    out.push({
      id: m.id!,
      kind: 'Mailbox',
      displayName: m.displayName ?? m.mail,
      givenName: m.givenName,
      surname: m.surname,
      mail: m.mail,
      title: m.jobTitle,
      department: m.department,
      companyName: m.companyName,
      officeLocation: m.officeLocation,
      businessPhones: m.businessPhones ?? [],
      mobilePhone: m.mobilePhone,
      address: {
        street: m.streetAddress,
        city: m.city,
        state: m.state,
        postalCode: m.postalCode,
        country: m.country,
      },
    });
  }
  for (const c of tenant.orgContacts.values()) {
    if (!c.mail) continue;
    const phones = c.phones ?? [];
    const office = c.addresses?.[0];
    out.push({
      id: c.id,
      kind: 'Contact',
      displayName: c.displayName ?? c.mail,
      givenName: c.givenName,
      surname: c.surname,
      mail: c.mail,
      title: c.jobTitle,
      department: c.department,
      companyName: c.companyName,
      businessPhones: phones.filter((p) => p.type === 'business').map((p) => p.number ?? ''),
      mobilePhone: phones.find((p) => p.type === 'mobile')?.number,
      address: office
        ? {
            street: office.street,
            city: office.city,
            state: office.state,
            postalCode: office.postalCode,
            country: office.countryOrRegion,
          }
        : undefined,
    });
  }
  for (const g of tenant.groups.values()) {
    if (!g.group.mail || !g.group.mailEnabled) continue;
    out.push({
      id: g.group.id,
      kind: 'PublicDL',
      displayName: g.group.displayName ?? g.group.mail,
      mail: g.group.mail,
      businessPhones: [],
    });
  }
  return out.sort(
    (a, b) => a.displayName.localeCompare(b.displayName) || a.mail.localeCompare(b.mail),
  );
}

/**
 * Whether a GAL entry answers a search string as Active Directory's ambiguous name resolution
 * does, which Exchange's address book searches rest on (Microsoft KB 243299, "Ambiguous Name
 * Resolution for LDAP in Windows"; MS-ADTS 3.1.1.3.1.3.4): the string matches the start of any
 * ANR attribute (display name, first name, last name, alias, office, the `SMTP:` proxy
 * address), case-insensitively; a display name is matched from its start, not word by word.
 * With a space, the part before the first space and the rest also match first name and last
 * name together, either way round ("Bill Whi" finds Bill Whitehead, "Whi Bill" too). The alias
 * (mailNickname) is modelled as the address's local part, as Exchange sets it by default.
 */
function anrMatches(e: GalEntry, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return false;
  const starts = (v: string | null | undefined, p: string) => !!v && v.toLowerCase().startsWith(p);
  const alias = e.mail.split('@')[0];
  if (
    [e.displayName, e.givenName, e.surname, alias, e.officeLocation, `smtp:${e.mail}`].some((v) =>
      starts(v, q),
    )
  )
    return true;
  const space = q.indexOf(' ');
  if (space < 0) return false;
  const first = q.slice(0, space);
  const rest = q.slice(space + 1).trim();
  if (!rest) return false;
  return (
    (starts(e.givenName, first) && starts(e.surname, rest)) ||
    (starts(e.givenName, rest) && starts(e.surname, first))
  );
}

const ATTRIBUTED = '<t:Attributions><t:Attribution>0</t:Attribution></t:Attributions>';

function attributedStrings(name: string, values: Array<string | null | undefined>): string {
  const vs = values.filter((v): v is string => !!v);
  if (!vs.length) return '';
  return `<t:${name}>${vs.map((v) => `<t:StringAttributedValue><t:Value>${esc(v)}</t:Value>${ATTRIBUTED}</t:StringAttributedValue>`).join('')}</t:${name}>`;
}

function attributedPhones(name: string, type: string, numbers: Array<string | null | undefined>) {
  const vs = numbers.filter((v): v is string => !!v);
  if (!vs.length) return '';
  return `<t:${name}>${vs.map((n) => `<t:PhoneNumberAttributedValue><t:Value><t:Number>${esc(n)}</t:Number><t:Type>${type}</t:Type></t:Value>${ATTRIBUTED}</t:PhoneNumberAttributedValue>`).join('')}</t:${name}>`;
}

/** One Persona, its elements in PersonaType's order. */
function personaXml(e: GalEntry, extra: ReadonlySet<string>): string {
  const want = (f: string) => extra.has(f);
  const a = e.address;
  const address =
    a && (a.street || a.city || a.state || a.postalCode || a.country)
      ? `<t:BusinessAddresses><t:PostalAddressAttributedValue><t:Value>${tag('t:Street', a.street)}${tag('t:City', a.city)}${tag('t:State', a.state)}${tag('t:Country', a.country)}${tag('t:PostalCode', a.postalCode)}<t:Type>Business</t:Type></t:Value>${ATTRIBUTED}</t:PostalAddressAttributedValue></t:BusinessAddresses>`
      : '';
  return (
    '<t:Persona>' +
    `<t:PersonaId Id="${esc(Buffer.from(`persona:${e.id}`).toString('base64'))}"/>` +
    `<t:PersonaType>${e.kind === 'PublicDL' ? 'DistributionList' : 'Person'}</t:PersonaType>` +
    tag('t:DisplayName', e.displayName) +
    (want('persona:GivenName') ? tag('t:GivenName', e.givenName) : '') +
    (want('persona:Surname') ? tag('t:Surname', e.surname) : '') +
    (want('persona:Title') ? tag('t:Title', e.title) : '') +
    (want('persona:CompanyName') ? tag('t:CompanyName', e.companyName) : '') +
    `<t:EmailAddress><t:Name>${esc(e.displayName)}</t:Name><t:EmailAddress>${esc(e.mail)}</t:EmailAddress><t:RoutingType>SMTP</t:RoutingType><t:MailboxType>${e.kind}</t:MailboxType></t:EmailAddress>` +
    (want('persona:BusinessPhoneNumbers')
      ? attributedPhones('BusinessPhoneNumbers', 'Business', e.businessPhones)
      : '') +
    (want('persona:MobilePhones')
      ? attributedPhones('MobilePhones', 'Mobile', [e.mobilePhone])
      : '') +
    (want('persona:OfficeLocations')
      ? attributedStrings('OfficeLocations', [e.officeLocation])
      : '') +
    (want('persona:BusinessAddresses') ? address : '') +
    (want('persona:Departments') ? attributedStrings('Departments', [e.department]) : '') +
    '</t:Persona>'
  );
}

export type FindPeopleAnswer =
  { ok: true; body: string } | { ok: false; code: string; message: string };

/** The FindPeople response body (the child of soap:Body) for the tenant of the calling mailbox. */
export function findPeople(tenant: Tenant, op: El): FindPeopleAnswer {
  const parent = kids(kid(op, 'ParentFolderId'))[0];
  const query = text(kid(op, 'QueryString'));
  if (!parent || parent.localName === 'DistinguishedFolderId') {
    if (!parent || attr(parent, 'Id') === 'directory') {
      if (!query)
        return {
          ok: false,
          code: 'ErrorInvalidArgument',
          message:
            'A QueryString is required when the directory is the primary search folder: FindPeople does not browse the GAL.',
        };
    } else
      return {
        ok: false,
        code: 'ErrorInvalidArgument',
        message: 'The simulator answers FindPeople on the Global Address List only.',
      };
  } else if (parent.localName === 'AddressListId') {
    if ((attr(parent, 'Id') ?? '').toLowerCase() !== galIdOf(tenant))
      return {
        ok: false,
        code: 'ErrorInvalidArgument',
        message: 'The address list id does not name an address list of this organization.',
      };
  } else
    return {
      ok: false,
      code: 'ErrorInvalidArgument',
      message: 'The simulator answers FindPeople on the Global Address List only.',
    };
  const view = kid(op, 'IndexedPageItemView');
  const offset = Number(attr(view, 'Offset') ?? '0');
  const max = Number(attr(view, 'MaxEntriesReturned') ?? '100');
  if (attr(view, 'BasePoint') !== 'Beginning' || !(offset >= 0) || !(max > 0))
    return {
      ok: false,
      code: 'ErrorInvalidArgument',
      message: 'The simulator pages FindPeople from the beginning (BasePoint="Beginning").',
    };
  const extra = new Set(
    kids(kid(kid(op, 'PersonaShape'), 'AdditionalProperties'))
      .map((f) => attr(f, 'FieldURI'))
      .filter((f): f is string => !!f),
  );
  let all = galEntries(tenant);
  if (query) all = all.filter((e) => anrMatches(e, query));
  const page = all.slice(offset, offset + max);
  return {
    ok: true,
    body:
      `<m:FindPeopleResponse ResponseClass="Success" xmlns:m="${NS.m}" xmlns:t="${NS.t}">` +
      '<m:ResponseCode>NoError</m:ResponseCode>' +
      `<m:People>${page.map((e) => personaXml(e, extra)).join('')}</m:People>` +
      `<m:TotalNumberOfPeopleInView>${all.length}</m:TotalNumberOfPeopleInView>` +
      `<m:FirstMatchingRowIndex>0</m:FirstMatchingRowIndex>` +
      `<m:FirstLoadedRowIndex>${offset}</m:FirstLoadedRowIndex>` +
      '</m:FindPeopleResponse>',
  };
}

/** The error form: a FindPeopleResponse with ResponseClass Error (not a ResponseMessages list). */
export function findPeopleError(code: string, message: string): string {
  return `<m:FindPeopleResponse ResponseClass="Error" xmlns:m="${NS.m}" xmlns:t="${NS.t}"><m:MessageText>${esc(message)}</m:MessageText><m:ResponseCode>${esc(code)}</m:ResponseCode><m:DescriptiveLinkKey>0</m:DescriptiveLinkKey></m:FindPeopleResponse>`;
}

function mailboxXml(name: string, address: string, type: string): string {
  return `<t:Mailbox><t:Name>${esc(name)}</t:Name><t:EmailAddress>${esc(address)}</t:EmailAddress><t:RoutingType>SMTP</t:RoutingType><t:MailboxType>${type}</t:MailboxType></t:Mailbox>`;
}

/**
 * ExpandDL of a distribution group of the GAL: its direct members (mailboxes, mail contacts,
 * and nested groups as PublicDL, which the client expands in turn), as Exchange answers it
 * (ArrayOfDLExpansionType). A group not in the GAL: ErrorNameResolutionNoResults.
 * https://learn.microsoft.com/exchange/client-developer/web-service-reference/expanddl-operation
 */
export function expandDl(tenant: Tenant, op: El): FindPeopleAnswer {
  const address = (text(kid(kid(op, 'Mailbox'), 'EmailAddress')) ?? '').toLowerCase();
  const group = [...tenant.groups.values()].find(
    (g) => g.group.mailEnabled && g.group.mail?.toLowerCase() === address,
  );
  if (!group)
    return {
      ok: false,
      code: 'ErrorNameResolutionNoResults',
      message: 'No results were found.',
    };
  const members: string[] = [];
  for (const id of group.memberUserIds) {
    const u = tenant.users.get(id);
    if (!u || u.deleted || u.mailbox === 'none' || !u.user.mail) continue;
    members.push(mailboxXml(u.user.displayName ?? u.user.mail, u.user.mail, 'Mailbox'));
  }
  for (const id of group.memberContactIds) {
    const c = tenant.orgContacts.get(id);
    if (c?.mail) members.push(mailboxXml(c.displayName ?? c.mail, c.mail, 'Contact'));
  }
  for (const id of group.memberGroupIds) {
    const g = tenant.groups.get(id)?.group;
    if (g?.mailEnabled && g.mail)
      members.push(mailboxXml(g.displayName ?? g.mail, g.mail, 'PublicDL'));
  }
  return {
    ok: true,
    body: `<m:DLExpansion TotalItemsInView="${members.length}" IncludesLastItemInRange="true">${members.join('')}</m:DLExpansion>`,
  };
}
