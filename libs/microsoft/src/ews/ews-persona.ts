import { createHash } from 'node:crypto';
import type { DirectoryRecord } from '../directory/directory-reader';

const T = 'http://schemas.microsoft.com/exchange/services/2006/types';

/**
 * The Persona fields FindPeople returns on top of its default shape (types.xsd
 * PathToUnindexedFieldType, `persona:` URIs): what our directory record can be filled from.
 */
export const PERSONA_FIELDS = [
  'persona:GivenName',
  'persona:Surname',
  'persona:Title',
  'persona:CompanyName',
  'persona:BusinessPhoneNumbers',
  'persona:MobilePhones',
  'persona:OfficeLocations',
  'persona:BusinessAddresses',
  'persona:Departments',
] as const;

/** What one GAL entry (a Persona) says, in plain values. */
export interface PersonaFields {
  displayName: string | null;
  givenName: string | null;
  surname: string | null;
  mail: string | null;
  /** EmailAddressType.MailboxType: `Mailbox` (a user, shared or resource mailbox), `Contact`, `PublicDL`, ... */
  mailboxType: string | null;
  title: string | null;
  companyName: string | null;
  department: string | null;
  officeLocation: string | null;
  businessPhones: string[];
  mobilePhone: string | null;
  address: {
    street: string | null;
    city: string | null;
    state: string | null;
    postalCode: string | null;
    country: string | null;
  } | null;
}

type El = Element;

function child(el: El | null | undefined, name: string): El | undefined {
  if (!el) return undefined;
  for (let n = el.firstChild; n; n = n.nextSibling)
    if (n.nodeType === 1 && (n as El).localName === name) return n as El;
  return undefined;
}

function text(el: El | null | undefined): string | null {
  const v = el?.textContent?.trim();
  return v ? v : null;
}

/** The `Value`s of an attributed array (ArrayOfStringAttributedValuesType and the like). */
function attributed(persona: El, name: string): El[] {
  const array = child(persona, name);
  return array
    ? nodes(array)
        .map((v) => child(v, 'Value'))
        .filter((v): v is El => !!v)
    : [];
}

function nodes(el: El): El[] {
  const out: El[] = [];
  for (let n = el.firstChild; n; n = n.nextSibling) if (n.nodeType === 1) out.push(n as El);
  return out;
}

/** Reads a `t:Persona` element. */
export function readPersona(persona: El): PersonaFields {
  const email = child(persona, 'EmailAddress');
  const address = attributed(persona, 'BusinessAddresses')[0];
  return {
    displayName: text(child(persona, 'DisplayName')),
    givenName: text(child(persona, 'GivenName')),
    surname: text(child(persona, 'Surname')),
    mail: text(child(email, 'EmailAddress'))?.toLowerCase() ?? null,
    mailboxType: text(child(email, 'MailboxType')),
    title: text(child(persona, 'Title')),
    companyName: text(child(persona, 'CompanyName')),
    department: text(attributed(persona, 'Departments')[0]),
    officeLocation: text(attributed(persona, 'OfficeLocations')[0]),
    businessPhones: attributed(persona, 'BusinessPhoneNumbers')
      .map((v) => text(child(v, 'Number')))
      .filter((n): n is string => !!n),
    mobilePhone: text(child(attributed(persona, 'MobilePhones')[0], 'Number')),
    address: address
      ? {
          street: text(child(address, 'Street')),
          city: text(child(address, 'City')),
          state: text(child(address, 'State')),
          postalCode: text(child(address, 'PostalCode')),
          country: text(child(address, 'Country')),
        }
      : null,
  };
}

/** Every `t:Persona` of a FindPeople response's `m:People`. */
export function personasOf(people: El | undefined): El[] {
  return people
    ? nodes(people).filter((n) => n.namespaceURI === T && n.localName === 'Persona')
    : [];
}

/**
 * Our id of a GAL entry: a UUID (name-based, from SHA-1 as RFC 4122 version 5 does) of its
 * primary SMTP address, lower-cased. The GAL offers no stable directory object id through
 * FindPeople (PersonaId is the store's, not the directory's), and mailbox ids are UUIDs
 * everywhere else; the address is the key Exchange itself resolves mailboxes by.
 */
export function ewsDirectoryId(mail: string): string {
  const h = createHash('sha1').update(`ews-gal:${mail.toLowerCase()}`).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

/**
 * A mailbox of the GAL as a directory record in the shape Graph gives users (the field
 * mappings and filters read those names). `hasMailbox` stands for what Graph's licences and
 * account state say there; the GAL has no licences, account state, employee id, user type or
 * extension attributes, and no user principal name.
 */
export function personaUser(p: PersonaFields): DirectoryRecord | undefined {
  if (!p.mail || p.mailboxType !== 'Mailbox') return undefined;
  return {
    id: ewsDirectoryId(p.mail),
    displayName: p.displayName,
    givenName: p.givenName,
    surname: p.surname,
    mail: p.mail,
    jobTitle: p.title,
    department: p.department,
    companyName: p.companyName,
    officeLocation: p.officeLocation,
    businessPhones: p.businessPhones,
    mobilePhone: p.mobilePhone,
    streetAddress: p.address?.street ?? null,
    city: p.address?.city ?? null,
    state: p.address?.state ?? null,
    postalCode: p.address?.postalCode ?? null,
    country: p.address?.country ?? null,
    hasMailbox: true,
  };
}

/** A mail contact of the GAL in the shape Graph gives organisational contacts. */
export function personaOrgContact(p: PersonaFields): DirectoryRecord | undefined {
  if (!p.mail || p.mailboxType !== 'Contact') return undefined;
  return {
    id: ewsDirectoryId(p.mail),
    displayName: p.displayName,
    givenName: p.givenName,
    surname: p.surname,
    mail: p.mail,
    companyName: p.companyName,
    department: p.department,
    jobTitle: p.title,
    phones: [
      ...p.businessPhones.map((number) => ({ type: 'business', number })),
      ...(p.mobilePhone ? [{ type: 'mobile', number: p.mobilePhone }] : []),
    ],
    addresses: p.address
      ? [
          {
            street: p.address.street,
            city: p.address.city,
            state: p.address.state,
            postalCode: p.address.postalCode,
            countryOrRegion: p.address.country,
          },
        ]
      : [],
  };
}
