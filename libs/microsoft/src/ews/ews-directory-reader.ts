import { DOMParser } from '@xmldom/xmldom';
import type { DirectoryRecord, UserChanges } from '../directory/directory-reader';
import type { DirectoryUserMatch } from '../directory/directory-user-match';
import type { DirectoryUserName } from '../directory/directory-user-name';
import type { TenantRef } from '../graph/graph-types';
import { MicrosoftError } from '../microsoft-error';
import type { EwsConnection, EwsConnectionSource } from './ews-connection';
import { ewsFailureOf } from './ews-failure';
import { ExpiringMap } from './expiring-map';
import { ewsMailboxError } from './ews-mailbox-error';
import { MailboxType } from 'ews-javascript-api';
import {
  ewsDirectoryId,
  PERSONA_FIELDS,
  personaOrgContact,
  personasOf,
  personaUser,
  readPersona,
  type PersonaFields,
} from './ews-persona';
import {
  createEwsService,
  type EwsServiceHandle,
  type EwsServiceOptions,
} from './ews-service-factory';

const M = 'http://schemas.microsoft.com/exchange/services/2006/messages';
const T = 'http://schemas.microsoft.com/exchange/services/2006/types';
/** Personas asked per FindPeople; a server that answers fewer is paged on from what it gave. */
const PAGE = 500;
/** Personas asked per search page: a picker wants a few, but contacts and groups also match. */
const SEARCH_PAGE = 50;
/**
 * GAL entries read at most before the reader gives up with EWS_DIRECTORY_PAGING_FAILED: a
 * million, far above any Exchange Server organisation's address list, and what bounds a read
 * whose server sends no usable TotalNumberOfPeopleInView (2,000 pages of 500).
 */
export const EWS_MAX_GAL_ENTRIES = 1_000_000;
/** The link readUsers hands out: the GAL has no change feed, so any link means "read it all". */
const FULL_READ_LINK = 'ews-gal:full';

/** FindPeople calls made, for tests and the bench (the plan's directory cost). */
export interface EwsDirectoryStats {
  findPeople: number;
  expandDl: number;
}

/** How long the groups of a GAL read serve group look-ups (a plan's targets follow its read). */
const GROUPS_TTL_MS = 5 * 60_000;
/** How long the users of a GAL read answer names by id (a run's detail asks on every view). */
const USERS_TTL_MS = 60_000;
/** Tenants whose last read is kept (the oldest read goes first): groups, and the larger users. */
const GROUPS_TENANTS = 1_000;
const USERS_TENANTS = 50;

/**
 * An EWS-only organisation's directory (Exchange Server on-premises, no Entra ID): the Global
 * Address List read through FindPeople with its AddressListId, page by page with an
 * IndexedPageItemView, as the connection's impersonation mailbox (ADR 0047). Mailboxes become
 * users, mail contacts organisational contacts, distribution groups groups (members through
 * ExpandDL). It has no change feed (every read is a full one) and no photos; ews-javascript-api has no FindPeople, so the request is built
 * here and sent through the connection's own XHR (its sign-in, its agent, its CA).
 */
export class EwsDirectoryReader {
  readonly stats: EwsDirectoryStats = { findPeople: 0, expandDl: 0 };
  /** The groups of each tenant's last GAL read, for GROUPS_TTL_MS. */
  private readonly groupsByTenant: ExpiringMap<string, Map<string, { mail: string; name: string }>>;
  /** The users of the GAL read by usersByIds, for USERS_TTL_MS (a plan always reads anew). */
  private readonly usersByTenant: ExpiringMap<string, Promise<DirectoryRecord[]>>;

  constructor(
    private readonly connections: EwsConnectionSource,
    private readonly options: {
      sleep?: (ms: number) => Promise<void>;
      maxBackOffMs?: number;
      /** Personas asked per FindPeople (default 500). */
      pageSize?: number;
      /** Personas asked per search page at least (default 50; the limit if that is more). */
      searchPageSize?: number;
      /** Entries read at most before the read fails (default EWS_MAX_GAL_ENTRIES). */
      maxEntries?: number;
      /** The process's per-account gate, sign-in guard, http rule and request timeout (as the mailbox stores). */
      service?: Pick<EwsServiceOptions, 'gate' | 'signIns' | 'allowHttp' | 'timeoutMs'>;
      /** The clock of the caches (default Date.now). */
      now?: () => number;
    } = {},
  ) {
    this.groupsByTenant = new ExpiringMap(GROUPS_TTL_MS, GROUPS_TENANTS, options.now);
    this.usersByTenant = new ExpiringMap(USERS_TTL_MS, USERS_TENANTS, options.now);
  }

  /** Every mailbox of the GAL; a link (from an earlier read) is 'expired': the GAL has no delta. */
  async readUsers(
    tenant: TenantRef,
    deltaLink: string | undefined,
  ): Promise<UserChanges | 'expired'> {
    if (deltaLink !== undefined) return 'expired';
    const { users } = await this.gal(tenant);
    return { changed: users, removedIds: [], deltaLink: FULL_READ_LINK };
  }

  /** The GAL carries no photos through FindPeople: contacts of an EWS-only organisation have none. */
  async userPhoto(_tenant: TenantRef, _userId: string): Promise<Buffer | undefined> {
    return undefined;
  }

  /**
   * The mailboxes in a distribution group of the GAL, nested groups included: ExpandDL gives a
   * group's direct members (nested groups as PublicDL), expanded in turn, each group once.
   * Security groups that are not mail-enabled are not in the GAL and cannot be targeted.
   */
  async groupMemberIds(tenant: TenantRef, groupId: string): Promise<Set<string>> {
    let address = this.fresh(tenant)?.get(groupId)?.mail;
    if (!address) {
      await this.gal(tenant);
      address = this.fresh(tenant)?.get(groupId)?.mail;
    }
    if (!address)
      throw new MicrosoftError(
        'EWS_DIRECTORY_UNSUPPORTED',
        `group ${groupId} is not a distribution group of the Global Address List (deleted, hidden from address lists, or a security group that is not mail-enabled): target a mail-enabled group, users, or a filter (department, company, office, job title)`,
      );
    const { connection, directoryMailbox } = await this.directoryConnection(tenant);
    const handle = createEwsService(connection, directoryMailbox, this.options.service);
    try {
      const ids = new Set<string>();
      const seen = new Set<string>([address.toLowerCase()]);
      for (const queue = [address]; queue.length;) {
        const group = queue.shift()!;
        this.stats.expandDl++;
        let members: Array<{ Address?: string; MailboxType?: MailboxType }>;
        try {
          members = (await handle.service.ExpandGroup(group)).Members;
        } catch (error) {
          throw this.failure(error, directoryMailbox);
        }
        for (const m of members) {
          const mail = m.Address?.toLowerCase();
          if (!mail) continue;
          if (m.MailboxType === MailboxType.Mailbox) ids.add(ewsDirectoryId(mail));
          else if (m.MailboxType === MailboxType.PublicGroup && !seen.has(mail)) {
            seen.add(mail);
            queue.push(mail);
          }
        }
      }
      return ids;
    } finally {
      handle.close();
    }
  }

  /**
   * Names by id, from the last GAL read of the tenant if it is less than a minute old (a run's
   * detail asks on every view; the GAL is read whole, there is no read by id), else a new read.
   */
  async usersByIds(tenant: TenantRef, ids: readonly string[]): Promise<DirectoryUserName[]> {
    const wanted = new Set(ids);
    let users = this.usersByTenant.get(tenant.id);
    if (!users) {
      // Kept while it runs too (views asking at once share one read); the minute counts from
      // its answer; a failed read is not kept.
      const read = this.gal(tenant).then((r) => r.users);
      const current = () => this.usersByTenant.get(tenant.id) === read;
      this.usersByTenant.set(tenant.id, read);
      read.then(
        () => current() && this.usersByTenant.set(tenant.id, read),
        () => current() && this.usersByTenant.delete(tenant.id),
      );
      users = read;
    }
    return (await users)
      .filter((u) => wanted.has(u.id))
      .map((u) => ({
        id: u.id,
        displayName: (u.displayName as string | null) ?? null,
        // The GAL has no user principal name: the primary address stands for it.
        userPrincipalName: (u.mail as string | null) ?? null,
      }));
  }

  /**
   * Mailboxes of the GAL that match `text` as Exchange's address book search does (FindPeople
   * with a QueryString on the same address list the plan reads, as Outlook on the web searches
   * the directory): at most `top`, in the GAL's order (by display name). One FindPeople per page
   * of matches; mail contacts and distribution groups match too and are passed over, so a page
   * is read on only while fewer than `top` mailboxes were found (ADR 0053).
   */
  async searchUsers(tenant: TenantRef, text: string, top: number): Promise<DirectoryUserMatch[]> {
    const { connection, addressListId, directoryMailbox } = await this.directoryConnection(tenant);
    const handle = createEwsService(connection, undefined, this.options.service);
    try {
      const out: DirectoryUserMatch[] = [];
      const pages = this.pages(handle, connection, addressListId, directoryMailbox, {
        query: text,
        pageSize: Math.max(top, this.options.searchPageSize ?? SEARCH_PAGE),
      });
      for await (const personas of pages) {
        for (const user of personas.map(personaUser))
          if (user && out.length < top)
            out.push({
              id: user.id,
              displayName: (user.displayName as string | null) ?? null,
              // The GAL has no user principal name: the primary address stands for it (as usersByIds).
              userPrincipalName: (user.mail as string | null) ?? null,
              mail: (user.mail as string | null) ?? null,
            });
        if (out.length >= top) break;
      }
      return out;
    } finally {
      handle.close();
    }
  }

  /** The GAL's distribution groups (id from the group's address), sorted by name. */
  async groups(tenant: TenantRef): Promise<Array<{ id: string; displayName: string }>> {
    await this.gal(tenant);
    return [...(this.fresh(tenant) ?? new Map()).entries()]
      .map(([id, g]) => ({ id, displayName: g.name }))
      .sort((a, b) => a.displayName.localeCompare(b.displayName));
  }

  /** The groups the last GAL read of the tenant found, if it is recent (a plan reads users first). */
  private fresh(tenant: TenantRef): Map<string, { mail: string; name: string }> | undefined {
    return this.groupsByTenant.get(tenant.id);
  }

  /** The GAL's mail contacts, in the shape Graph gives organisational contacts. */
  async orgContacts(tenant: TenantRef): Promise<DirectoryRecord[]> {
    return (await this.gal(tenant)).personas
      .map(personaOrgContact)
      .filter((c): c is DirectoryRecord => !!c);
  }

  async mailboxFolderContacts(
    _tenant: TenantRef,
    mailboxId: string,
    _folderName: string | undefined,
  ): Promise<DirectoryRecord[]> {
    throw new MicrosoftError(
      'EWS_DIRECTORY_UNSUPPORTED',
      `source mailbox ${mailboxId}: a source mailbox's contact folder is read through Graph; an EWS-only organisation cannot use it yet (use manual or CSV entries)`,
    );
  }

  /** Every entry of the Global Address List, page by page, and its mailboxes as users. */
  private async gal(
    tenant: TenantRef,
  ): Promise<{ personas: PersonaFields[]; users: DirectoryRecord[] }> {
    const { connection, addressListId, directoryMailbox } = await this.directoryConnection(tenant);
    const handle = createEwsService(connection, undefined, this.options.service);
    try {
      const out: PersonaFields[] = [];
      for await (const personas of this.pages(handle, connection, addressListId, directoryMailbox))
        out.push(...personas);
      const groups = new Map<string, { mail: string; name: string }>();
      for (const p of out)
        if (p.mail && p.mailboxType === 'PublicDL')
          groups.set(ewsDirectoryId(p.mail), { mail: p.mail, name: p.displayName ?? p.mail });
      const users = out.map(personaUser).filter((u): u is DirectoryRecord => !!u);
      this.groupsByTenant.set(tenant.id, groups);
      return { personas: out, users };
    } finally {
      handle.close();
    }
  }

  private async directoryConnection(
    tenant: TenantRef,
  ): Promise<{ connection: EwsConnection; addressListId: string; directoryMailbox: string }> {
    const connection = await this.connections.forTenant(tenant.id);
    if (!connection)
      throw new MicrosoftError(
        'EWS_DIRECTORY_NOT_CONFIGURED',
        'this organisation has no Microsoft 365 tenant and no EWS connection: set the EWS connection (PUT /api/ews) to read its directory',
      );
    const { addressListId, directoryMailbox } = connection;
    if (!addressListId || !directoryMailbox)
      throw new MicrosoftError(
        'EWS_DIRECTORY_NOT_CONFIGURED',
        `the EWS connection lacks ${!addressListId ? 'the Global Address List id (addressListId: Get-GlobalAddressList | Format-List Name,Guid)' : 'the mailbox to read the directory as (impersonationAddress)'}: set it with PUT /api/ews`,
      );
    return { connection, addressListId, directoryMailbox };
  }

  /**
   * FindPeople pages from offset 0, each from where the last one ended, until an empty page or
   * TotalNumberOfPeopleInView (absent or not a number: until an empty page). A server that
   * answers a page starting with the entry the previous one started with ignores the Offset, and
   * a read past `maxEntries` would not end: both fail with EWS_DIRECTORY_PAGING_FAILED rather
   * than loop (or read the same entries again).
   */
  private async *pages(
    handle: EwsServiceHandle,
    connection: EwsConnection,
    addressListId: string,
    mailbox: string,
    search?: { query: string; pageSize: number },
  ): AsyncGenerator<PersonaFields[]> {
    const maxEntries = this.options.maxEntries ?? EWS_MAX_GAL_ENTRIES;
    let previousFirst: string | undefined;
    for (let offset = 0; ;) {
      const page = await this.page(handle, connection, addressListId, mailbox, offset, search);
      if (page.personas.length === 0) return;
      if (offset > 0 && page.first === previousFirst)
        throw pagingFailed(
          `the page at offset ${offset} starts with the entry the previous page started with (${page.first}): the server ignores the IndexedPageItemView's Offset`,
        );
      previousFirst = page.first;
      yield page.personas;
      offset += page.personas.length;
      if (page.total !== undefined && offset >= page.total) return;
      if (offset >= maxEntries)
        throw pagingFailed(
          `${offset} entries read and the server has not said the list ended (TotalNumberOfPeopleInView ${page.total ?? 'absent'}): the reader stops at ${maxEntries}`,
        );
    }
  }

  private async page(
    handle: EwsServiceHandle,
    connection: EwsConnection,
    addressListId: string,
    mailbox: string,
    offset: number,
    search?: { query: string; pageSize: number },
  ): Promise<Page> {
    const body = findPeopleRequest(
      addressListId,
      mailbox,
      offset,
      search?.pageSize ?? this.options.pageSize ?? PAGE,
      search?.query,
    );
    for (let attempt = 1; ; attempt++) {
      this.stats.findPeople++;
      let status: number;
      let text: string;
      try {
        const res = await handle.service.XHRApi.xhr({
          type: 'POST',
          url: connection.serverUrl,
          data: body,
          headers: { 'Content-Type': 'text/xml; charset=utf-8', Accept: 'text/xml' },
        });
        status = res.status;
        text = res.responseText ?? '';
      } catch (error) {
        const r = error as { status?: number; responseText?: string; response?: string };
        if (typeof r?.status !== 'number' || r.status === 0) throw this.failure(error, mailbox);
        status = r.status;
        text = r.responseText ?? r.response ?? '';
      }
      const answer = readAnswer(status, text);
      if ('personas' in answer) return answer;
      if (answer.responseCode === 'ErrorServerBusy' && attempt < 5) {
        const wait = Math.min(answer.backOffMs ?? 1000, this.options.maxBackOffMs ?? 30_000);
        await (this.options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))))(wait);
        continue;
      }
      throw this.failure(answer, mailbox);
    }
  }

  private failure(error: unknown, mailbox: string): MicrosoftError {
    const f = ewsFailureOf(error);
    return (
      ewsMailboxError(f, mailbox) ??
      new MicrosoftError(
        'EWS_REQUEST_REJECTED',
        `FindPeople on the Global Address List failed: ${f.responseCode ?? ''} ${f.message}`.trim(),
        {
          ...(f.responseCode ? { ewsCode: f.responseCode } : {}),
          ...(f.httpStatus ? { status: f.httpStatus } : {}),
        },
      )
    );
  }
}

/**
 * FindPeopleType's elements in schema order; the mailbox is impersonated (FindPeople needs one).
 * A query string makes it Exchange's address book search; without one it browses the list.
 */
function findPeopleRequest(
  addressListId: string,
  mailbox: string,
  offset: number,
  pageSize: number,
  query?: string,
): string {
  const fields = PERSONA_FIELDS.map((f) => `<t:FieldURI FieldURI="${f}"/>`).join('');
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:m="${M}" xmlns:t="${T}">` +
    '<soap:Header><t:RequestServerVersion Version="Exchange2013_SP1"/>' +
    `<t:ExchangeImpersonation><t:ConnectingSID><t:SmtpAddress>${xml(mailbox)}</t:SmtpAddress></t:ConnectingSID></t:ExchangeImpersonation></soap:Header>` +
    '<soap:Body><m:FindPeople>' +
    `<m:PersonaShape><t:BaseShape>Default</t:BaseShape><t:AdditionalProperties>${fields}</t:AdditionalProperties></m:PersonaShape>` +
    `<m:IndexedPageItemView MaxEntriesReturned="${pageSize}" Offset="${offset}" BasePoint="Beginning"/>` +
    `<m:ParentFolderId><t:AddressListId Id="${xml(addressListId)}"/></m:ParentFolderId>` +
    (query !== undefined ? `<m:QueryString>${xml(query)}</m:QueryString>` : '') +
    '</m:FindPeople></soap:Body></soap:Envelope>'
  );
}

/** One FindPeople page: its personas, the total the server announced (if a number), and its first entry's key. */
interface Page {
  personas: PersonaFields[];
  total?: number;
  first?: string;
}

/** The run fails with the sentence rather than loop over a GAL that does not page. */
function pagingFailed(why: string): MicrosoftError {
  return new MicrosoftError(
    'EWS_DIRECTORY_PAGING_FAILED',
    `FindPeople on the Global Address List does not page: ${why}. The directory was not read; report it with the Exchange Server version and build`,
  );
}

type Answer =
  | Page
  | {
      status: number;
      ResponseCode?: string;
      responseCode?: string;
      BackOffMilliseconds?: number;
      backOffMs?: number;
      message: string;
    };

/** A FindPeople answer: its personas and total, or the failure (HTTP status, response code, back-off). */
function readAnswer(status: number, text: string): Answer {
  const doc = text
    ? new DOMParser({ errorHandler: () => undefined }).parseFromString(text, 'text/xml')
    : undefined;
  const first = (name: string) => doc?.getElementsByTagNameNS('*', name)[0] as Element | undefined;
  const value = (name: string) => first(name)?.textContent?.trim() || undefined;
  const response = first('FindPeopleResponse');
  if (status === 200 && response?.getAttribute('ResponseClass') === 'Success') {
    const elements = personasOf(first('People'));
    const people = elements.map(readPersona);
    const total = Number(value('TotalNumberOfPeopleInView') ?? NaN);
    return {
      personas: people,
      ...(Number.isFinite(total) ? { total } : {}),
      ...(elements.length ? { first: entryKey(elements[0], people[0]) } : {}),
    };
  }
  let backOff: number | undefined;
  const values = doc?.getElementsByTagNameNS('*', 'Value');
  for (let i = 0; values && i < values.length; i++) {
    const v = values[i] as Element;
    if (v.getAttribute('Name') === 'BackOffMilliseconds') backOff = Number(v.textContent);
  }
  const code = value('ResponseCode');
  return {
    status,
    ...(code ? { ResponseCode: code, responseCode: code } : {}),
    ...(backOff !== undefined ? { BackOffMilliseconds: backOff, backOffMs: backOff } : {}),
    message: value('MessageText') ?? value('faultstring') ?? `HTTP ${status}`,
  };
}

/** What tells a page's first entry from another's: its PersonaId, else its address and name. */
function entryKey(element: Element, persona: PersonaFields): string {
  const id = personaIdOf(element);
  return id ?? `${persona.mail ?? ''}|${persona.displayName ?? ''}`;
}

function personaIdOf(element: Element): string | undefined {
  for (let n = element.firstChild; n; n = n.nextSibling)
    if ((n as Element).localName === 'PersonaId')
      return (n as Element).getAttribute('Id') || undefined;
  return undefined;
}

function xml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
