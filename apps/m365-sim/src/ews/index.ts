/**
 * EWS SOAP subset at /EWS/Exchange.asmx (Exchange Server on-premises path): FindFolder,
 * GetFolder, CreateFolder, FindItem (IndexedPageItemView paging, restrictions incl. extended
 * properties, CalendarView), GetItem, CreateItem (contacts, calendar items with
 * SendMeetingInvitations), UpdateItem, DeleteItem, FindPeople on the Global Address List. Basic authentication; ExchangeImpersonation;
 * per-item response codes; ErrorServerBusy with BackOffMilliseconds; SOAP faults.
 * It shares the mailbox store with Graph: an item created here is visible through Graph.
 * Reference: learn.microsoft.com/exchange/client-developer/web-service-reference/
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type * as MG from '@microsoft/microsoft-graph-types';
import type { SimState } from '../sim';
import type { Mailbox, SimUser, StoredContact, StoredEvent, Tenant, ExtProp } from '../store/model';
import { readBody, sleep } from '../core/http';
import {
  fromEwsId,
  newItemId,
  changeKey,
  toEwsId,
  occurrenceId,
  parseOccurrenceId,
} from '../core/ids';

/** The EWS form of a stored (Graph) id; `root` stays `root`. */
function ewsId(id: string | null | undefined): string {
  return (id && toEwsId(id)) ?? id ?? '';
}
import { createContact, deleteContact, touch } from '../graph/contacts';
import { instancesOf, occurrenceData, occurrenceDates } from '../graph/events';
import { normExtId } from '../graph/items';
import { GraphError } from '../graph/errors';
import { ianaOf } from '../graph/timezones';
import { EwsAuth, type EwsAccount } from './auth';
import { expandDl, findPeople, findPeopleError } from './find-people';
import { ewsSchema } from './schema-validator';
import { clearAddressPart, renameContactFolder } from './update-folder';
import { attr, El, envelope, esc, fault, kid, kids, NS, parseXml, path, tag, text } from './xml';

class EwsFault extends Error {
  constructor(
    public code: string,
    message: string,
    public detail = '',
    public httpStatus = 500,
  ) {
    super(message);
  }
}
class ItemError extends Error {
  constructor(
    public code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Operations whose response messages are ItemInfoResponseMessageType: `Items` is required. */
const ITEM_INFO_OPS = new Set(['CreateItem', 'GetItem', 'UpdateItem', 'MoveItem', 'CopyItem']);

/**
 * A ResponseClass="Error" message. The schema's required elements stay: an ItemInfo response
 * message keeps an empty `<m:Items/>` (messages.xsd, ItemInfoResponseMessageType), as Exchange
 * sends it.
 * https://learn.microsoft.com/exchange/client-developer/web-service-reference/getitemresponsemessage
 */
function errorMessage(opName: string, e: { code: string; message: string }): string {
  return `<m:${opName}ResponseMessage ResponseClass="Error"><m:MessageText>${esc(e.message)}</m:MessageText><m:ResponseCode>${esc(e.code)}</m:ResponseCode><m:DescriptiveLinkKey>0</m:DescriptiveLinkKey>${ITEM_INFO_OPS.has(opName) ? '<m:Items/>' : ''}</m:${opName}ResponseMessage>`;
}

/** An occurrence of a series (virtual until it changes). */
interface Occ {
  master: StoredEvent;
  date: string;
}

interface Ctx {
  tenant: Tenant;
  user: SimUser;
  mb: Mailbox;
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

const SHOW_AS: Record<string, MG.FreeBusyStatus> = {
  Free: 'free',
  Tentative: 'tentative',
  Busy: 'busy',
  OOF: 'oof',
  WorkingElsewhere: 'workingElsewhere',
};

const PHONE_KEYS = ['BusinessPhone', 'BusinessPhone2', 'HomePhone', 'HomePhone2', 'MobilePhone'];

export class Ews {
  private active = new Map<string, number>();
  private auth: EwsAuth;
  constructor(private sim: SimState) {
    this.auth = new EwsAuth(() => this.sim.opts.ewsAccounts, this.sim.ewsStats);
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const stats = this.sim.ewsStats;
    let operation: string | undefined;
    const reply = (
      status: number,
      text: string,
      contentType = 'text/xml; charset=utf-8',
      headers: Record<string, string | string[]> = {},
    ) => {
      if (this.sim.opts.ewsRecordResponses)
        stats.recorded.push({ status, operation, contentType, body: text });
      if (res.headersSent || res.destroyed) return;
      res.writeHead(status, {
        'content-type': contentType,
        'content-length': Buffer.byteLength(text),
        ...headers,
      });
      res.end(text);
    };
    const send = (status: number, xml: string) => reply(status, xml);
    const stat = this.sim.stat('ews.request');
    stat.count++;
    stats.requests++;
    stats.sawConnection(req.socket);
    // the body is read before authentication, so that a 401 leaves the connection usable for
    // the next leg of the NTLM handshake
    const body = (await readBody(req)).toString('utf8');
    const auth = this.auth.authenticate(req);
    if (!auth.ok) {
      stat.errors++;
      return reply(
        401,
        '401 - Unauthorized: Access is denied due to invalid credentials.',
        'text/html',
        { 'WWW-Authenticate': auth.wwwAuthenticate },
      );
    }
    const account = auth.account;
    if (req.method !== 'POST')
      return send(405, fault('ErrorInvalidRequest', 'EWS accepts POST only.'));
    // what the client had in flight at once for this account, whatever the answer (measured)
    const inFlight = stats.account(account.userName);
    inFlight.maxConcurrent = Math.max(inFlight.maxConcurrent, ++inFlight.inFlight);
    // EWSMaxConcurrency of the service account: over it, ErrorServerBusy for the target mailbox
    const busy = this.active.get(account.userName) ?? 0;
    const over = busy >= this.sim.opts.ewsMaxConcurrency;
    if (!over) this.active.set(account.userName, busy + 1);
    try {
      const xml = await this.process(body, account, over, (op) => (operation = op));
      if (
        /<(\w+:)?(CreateItem|UpdateItem|DeleteItem|CreateFolder)[\s>]/.test(body) &&
        this.sim.faults.takeDropAfterWrite('POST', '/EWS/Exchange.asmx')
      ) {
        // the write was applied; the client never hears about it
        req.socket.destroy();
        return;
      }
      send(200, xml);
    } catch (e) {
      if (e instanceof EwsFault) {
        if (e.code === 'ErrorServerBusy') stat.throttled++;
        else stat.errors++;
        send(e.httpStatus, fault(e.code, e.message, e.detail));
      } else {
        stat.errors++;
        if (!this.sim.opts.quiet) console.error('[m365-sim] ews error', e);
        send(
          500,
          fault(
            'ErrorInternalServerError',
            'An internal server error occurred. The operation failed.',
          ),
        );
      }
    } finally {
      inFlight.inFlight--;
      if (!over) this.active.set(account.userName, (this.active.get(account.userName) ?? 1) - 1);
    }
  }

  /**
   * ErrorServerBusy (a SOAP fault, HTTP 500) with BackOffMilliseconds, remembered for the
   * mailbox: its operations before the back-off has passed are counted as early.
   * https://learn.microsoft.com/exchange/client-developer/exchange-web-services/ews-throttling-in-exchange
   */
  private serverBusy(mailbox: string, ms: number): EwsFault {
    const s = this.sim.ewsStats.mailbox(mailbox);
    s.serverBusy++;
    this.sim.ewsStats.serverBusy++;
    s.backOffUntil = Math.max(s.backOffUntil, Date.now() + ms);
    return new EwsFault(
      'ErrorServerBusy',
      'The server cannot service this request right now. Try again later.',
      `<t:MessageXml xmlns:t="${NS.t}"><t:Value Name="BackOffMilliseconds">${ms}</t:Value></t:MessageXml>`,
    );
  }

  private async process(
    body: string,
    account: EwsAccount,
    overConcurrency: boolean,
    named: (operation: string) => void,
  ): Promise<string> {
    const doc = parseXml(body);
    const env = doc?.documentElement;
    if (!env || env.localName !== 'Envelope') {
      throw new EwsFault(
        'ErrorSchemaValidation',
        'The request failed schema validation: Data at the root level is invalid.',
        '',
        500,
      );
    }
    const header = kid(env, 'Header');
    const sbody = kid(env, 'Body');
    const op = kids(sbody)[0];
    if (op && this.sim.opts.ewsValidateRequests) {
      const schema = ewsSchema();
      for (const el of [...kids(header), op]) {
        const v = schema.validate(el);
        if (v)
          throw new EwsFault(
            'ErrorSchemaValidation',
            `The request failed schema validation: ${v.message}`,
            `<t:MessageXml xmlns:t="${NS.t}"><t:LineNumber>${v.line}</t:LineNumber><t:LinePosition>${v.column}</t:LinePosition><t:Violation>${esc(v.message)}</t:Violation></t:MessageXml>`,
          );
      }
    }
    if (!op)
      throw new EwsFault(
        'ErrorSchemaValidation',
        'The request failed schema validation: the SOAP body is empty.',
      );
    // who: impersonated user, else a Mailbox in a DistinguishedFolderId
    const imp = kid(header, 'ExchangeImpersonation');
    let smtp: string | undefined;
    if (imp) {
      const sid = kid(imp, 'ConnectingSID');
      smtp =
        text(kid(sid, 'SmtpAddress')) ??
        text(kid(sid, 'PrimarySmtpAddress')) ??
        text(kid(sid, 'PrincipalName'));
      if (!account.impersonation) {
        throw new EwsFault(
          'ErrorImpersonateUserDenied',
          'The account does not have permission to impersonate the requested user.',
        );
      }
    }
    smtp =
      smtp ??
      text(path(op, 'ParentFolderIds', 'DistinguishedFolderId', 'Mailbox', 'EmailAddress')) ??
      text(path(op, 'FolderIds', 'DistinguishedFolderId', 'Mailbox', 'EmailAddress')) ??
      text(path(op, 'SyncFolderId', 'DistinguishedFolderId', 'Mailbox', 'EmailAddress'));
    const opName = op.localName;
    named(opName);
    this.sim.ewsStats.operations++;
    const ctx = this.resolve(smtp?.trim());
    const mailbox = (ctx.user.user.mail ?? ctx.user.user.userPrincipalName ?? '').toLowerCase();
    const mbStat = this.sim.ewsStats.mailbox(mailbox);
    mbStat.operations++;
    const now = Date.now();
    if (now < mbStat.backOffUntil) {
      // the client did not wait BackOffMilliseconds: Exchange's budget has not recovered either
      mbStat.earlyOperations++;
      throw this.serverBusy(mailbox, mbStat.backOffUntil - now);
    }
    const injected = this.sim.faults.takeEwsServerBusy(mailbox);
    if (injected) throw this.serverBusy(mailbox, injected.backOffMs ?? this.sim.opts.ewsBackOffMs);
    if (overConcurrency) throw this.serverBusy(mailbox, this.sim.opts.ewsBackOffMs);
    const st = this.sim.stat(`ews.${opName}`);
    st.count++;
    await sleep(this.sim.serviceTime(`ews.${opName}`));
    const wrap = (inner: string) =>
      `<m:${opName}Response xmlns:m="${NS.m}" xmlns:t="${NS.t}"><m:ResponseMessages>${inner}</m:ResponseMessages></m:${opName}Response>`;
    const perItem = (ids: El[], fn: (el: El) => string): string =>
      ids
        .map((el) => {
          try {
            return `<m:${opName}ResponseMessage ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode>${fn(el)}</m:${opName}ResponseMessage>`;
          } catch (e) {
            const ie =
              e instanceof ItemError
                ? e
                : e instanceof GraphError
                  ? new ItemError('ErrorInvalidPropertySet', e.message)
                  : undefined;
            if (!ie) throw e;
            st.errors++;
            return errorMessage(opName, ie);
          }
        })
        .join('');
    try {
      return this.run(opName, op, ctx, wrap, perItem);
    } catch (e) {
      if (!(e instanceof ItemError)) throw e;
      st.errors++;
      return envelope(wrap(errorMessage(opName, e)));
    }
  }

  private run(
    opName: string,
    op: El,
    ctx: Ctx,
    wrap: (inner: string) => string,
    perItem: (ids: El[], fn: (el: El) => string) => string,
  ): string {
    switch (opName) {
      case 'GetFolder':
        return envelope(
          wrap(
            perItem(
              kids(kid(op, 'FolderIds')),
              (f) => `<m:Folders>${this.folderXml(ctx, this.folderId(ctx, f))}</m:Folders>`,
            ),
          ),
        );
      case 'FindFolder':
        return envelope(
          wrap(
            perItem(kids(kid(op, 'ParentFolderIds')), (f) =>
              this.findFolder(ctx, this.folderId(ctx, f), op),
            ),
          ),
        );
      case 'CreateFolder': {
        const parent = this.folderId(ctx, kids(kid(op, 'ParentFolderId'))[0]);
        return envelope(
          wrap(
            perItem(
              kids(kid(op, 'Folders')),
              (f) => `<m:Folders>${this.createFolder(ctx, parent, f)}</m:Folders>`,
            ),
          ),
        );
      }
      case 'UpdateFolder':
        return envelope(
          wrap(
            perItem(kids(kid(op, 'FolderChanges')), (ch) => {
              const id = this.folderId(ctx, kids(ch)[0]);
              const r = renameContactFolder(ctx.mb, id, ch);
              if ('error' in r) throw new ItemError(...r.error);
              return `<m:Folders>${this.folderXml(ctx, id)}</m:Folders>`;
            }),
          ),
        );
      case 'FindItem':
        return envelope(
          wrap(
            perItem(kids(kid(op, 'ParentFolderIds')), (f) =>
              this.findItem(ctx, this.folderId(ctx, f), op),
            ),
          ),
        );
      case 'GetItem': {
        const ext = this.requestedExt(op);
        return envelope(
          wrap(
            perItem(
              kids(kid(op, 'ItemIds')),
              (i) => `<m:Items>${this.getItemXml(ctx, i, ext)}</m:Items>`,
            ),
          ),
        );
      }
      case 'CreateItem': {
        const folderEl = kids(kid(op, 'SavedItemFolderId'))[0];
        const invitations = attr(op, 'SendMeetingInvitations');
        return envelope(
          wrap(
            perItem(kids(kid(op, 'Items')), (el) => {
              if (el.localName === 'CalendarItem') {
                // the attribute is optional in the schema, required for calendar items
                // https://learn.microsoft.com/exchange/client-developer/web-service-reference/createitem
                if (!invitations)
                  throw new ItemError(
                    'ErrorSendMeetingInvitationsRequired',
                    'The SendMeetingInvitations attribute is required for calendar items.',
                  );
                this.noteSendMode('CreateItem', 'SendMeetingInvitations', invitations);
                const cal = folderEl ? this.folderId(ctx, folderEl) : ctx.mb.defaultCalendarId;
                const ev = this.createEvent(ctx, cal, el, invitations !== 'SendToNone');
                return `<m:Items><t:CalendarItem><t:ItemId Id="${ewsId(ev.data.id)}" ChangeKey="${esc(ev.data.changeKey)}"/></t:CalendarItem></m:Items>`;
              }
              if (el.localName !== 'Contact')
                throw new ItemError(
                  'ErrorInvalidRequest',
                  `Items of type ${el.localName} are not supported by the simulator.`,
                );
              const folder = folderEl
                ? this.folderId(ctx, folderEl)
                : ctx.mb.defaultContactFolderId;
              if (!ctx.mb.contactFolders.has(folder))
                throw new ItemError('ErrorInvalidRequest', 'The folder is not a contacts folder.');
              const c = createContact(ctx.mb, folder, this.contactFromXml(el).fields);
              c.ext = this.extFromXml(el);
              return `<m:Items><t:Contact><t:ItemId Id="${ewsId(c.data.id)}" ChangeKey="${esc(c.data.changeKey)}"/></t:Contact></m:Items>`;
            }),
          ),
        );
      }
      case 'UpdateItem':
        return envelope(
          wrap(
            perItem(kids(kid(op, 'ItemChanges')), (ch) =>
              this.updateItem(
                ctx,
                ch,
                attr(op, 'ConflictResolution') ?? 'AutoResolve',
                attr(op, 'SendMeetingInvitationsOrCancellations'),
              ),
            ),
          ),
        );
      case 'DeleteItem':
        return envelope(
          wrap(
            perItem(kids(kid(op, 'ItemIds')), (i) => {
              const t = this.target(ctx, i);
              // https://learn.microsoft.com/exchange/client-developer/web-service-reference/deleteitem
              if (t.it?.kind !== 'contact' && !attr(op, 'SendMeetingCancellations'))
                throw new ItemError(
                  'ErrorSendMeetingCancellationsRequired',
                  'The SendMeetingCancellations attribute is required for calendar items.',
                );
              if (t.it?.kind !== 'contact')
                this.noteSendMode(
                  'DeleteItem',
                  'SendMeetingCancellations',
                  attr(op, 'SendMeetingCancellations'),
                );
              if (t.it?.kind === 'contact') deleteContact(ctx.mb, t.it);
              else this.deleteEvent(ctx, t as { it?: StoredEvent; occ?: Occ });
              return '';
            }),
          ),
        );
      case 'SyncFolderItems': {
        const max = Number(text(kid(op, 'MaxChangesReturned')));
        // MaxSyncChangesReturnedType: an int from 1 to 512 (types.xsd)
        if (!Number.isInteger(max) || max < 1 || max > 512)
          throw new EwsFault(
            'ErrorSchemaValidation',
            'The request failed schema validation: MaxChangesReturned must be between 1 and 512.',
          );
        return envelope(
          wrap(
            perItem([kids(kid(op, 'SyncFolderId'))[0] ?? op], (f) =>
              this.syncFolderItems(ctx, this.folderId(ctx, f), op, max),
            ),
          ),
        );
      }
      case 'ExpandDL': {
        const answer = expandDl(ctx.tenant, op);
        if (!answer.ok) throw new ItemError(answer.code, answer.message);
        return envelope(wrap(perItem([op], () => answer.body)));
      }
      case 'FindPeople': {
        // One response message, not a ResponseMessages list (FindPeopleResponseMessageType).
        const answer = findPeople(ctx.tenant, op);
        return envelope(answer.ok ? answer.body : findPeopleError(answer.code, answer.message));
      }
      default:
        throw new EwsFault(
          'ErrorInvalidRequest',
          `The request is invalid: operation '${opName}' is not supported by the simulator.`,
        );
    }
  }

  private resolve(smtp: string | undefined): Ctx {
    if (!smtp)
      throw new EwsFault(
        'ErrorMissingEmailAddress',
        'When making a request as an account that does not have a mailbox, you must specify the mailbox primary SMTP address for any distinguished folder Ids.',
      );
    const k = smtp.toLowerCase();
    for (const t of this.sim.tenants) {
      let u = t.usersByUpn.get(k);
      if (!u)
        for (const x of t.users.values()) if (!x.deleted && x.user.mail?.toLowerCase() === k) u = x;
      if (u && !u.deleted) {
        if (u.mailbox === 'none') break;
        return { tenant: t, user: u, mb: this.sim.mailbox(t, u.user.id) };
      }
    }
    throw new EwsFault(
      'ErrorNonExistentMailbox',
      `The SMTP address has no mailbox associated with it.`,
    );
  }

  private folderId(ctx: Ctx, el: El | undefined): string {
    if (!el) throw new ItemError('ErrorInvalidRequest', 'A folder id is required.');
    if (el.localName === 'DistinguishedFolderId') {
      const id = attr(el, 'Id');
      if (id === 'contacts') return ctx.mb.defaultContactFolderId;
      if (id === 'calendar') return ctx.mb.defaultCalendarId;
      if (id === 'msgfolderroot' || id === 'root') return 'root';
      throw new ItemError(
        'ErrorFolderNotFound',
        'The specified folder could not be found in the store.',
      );
    }
    const given = attr(el, 'Id') ?? '';
    if (given === 'root') return given;
    // an EWS id; a Graph (REST) id is malformed here, as on Exchange
    const id = fromEwsId(given);
    if (!id) throw new ItemError('ErrorInvalidIdMalformed', 'Id is malformed.');
    if (ctx.mb.contactFolders.has(id) || ctx.mb.calendars.has(id)) return id;
    throw new ItemError(
      'ErrorFolderNotFound',
      'The specified folder could not be found in the store.',
    );
  }

  private folderXml(ctx: Ctx, id: string): string {
    const mb = ctx.mb;
    if (id === 'root')
      return `<t:Folder><t:FolderId Id="root" ChangeKey="AQ"/><t:DisplayName>Top of Information Store</t:DisplayName><t:ChildFolderCount>2</t:ChildFolderCount></t:Folder>`;
    const cf = mb.contactFolders.get(id);
    if (cf) {
      const total = [...mb.contacts.values()].filter((c) => c.folderId === id).length;
      const children = [...mb.contactFolders.values()].filter(
        (f) => f.parentFolderId === id,
      ).length;
      return `<t:ContactsFolder><t:FolderId Id="${ewsId(id)}" ChangeKey="AQ"/><t:ParentFolderId Id="${esc(id === mb.defaultContactFolderId ? 'root' : ewsId(cf.parentFolderId))}" ChangeKey="AQ"/><t:FolderClass>IPF.Contact</t:FolderClass><t:DisplayName>${esc(cf.displayName)}</t:DisplayName><t:TotalCount>${total}</t:TotalCount><t:ChildFolderCount>${children}</t:ChildFolderCount></t:ContactsFolder>`;
    }
    const cal = mb.calendars.get(id);
    if (cal) {
      const total = [...mb.events.values()].filter((e) => e.calendarId === id).length;
      return `<t:CalendarFolder><t:FolderId Id="${ewsId(id)}" ChangeKey="AQ"/><t:ParentFolderId Id="root" ChangeKey="AQ"/><t:FolderClass>IPF.Appointment</t:FolderClass><t:DisplayName>${esc(cal.name)}</t:DisplayName><t:TotalCount>${total}</t:TotalCount><t:ChildFolderCount>0</t:ChildFolderCount></t:CalendarFolder>`;
    }
    throw new ItemError(
      'ErrorFolderNotFound',
      'The specified folder could not be found in the store.',
    );
  }

  private findFolder(ctx: Ctx, parent: string, op: El): string {
    const mb = ctx.mb;
    const deep = attr(op, 'Traversal') === 'Deep';
    let ids: string[];
    if (parent === 'root') {
      ids = [mb.defaultContactFolderId, ...mb.calendars.keys()];
      if (deep)
        ids.push(...[...mb.contactFolders.keys()].filter((k) => k !== mb.defaultContactFolderId));
    } else {
      const under = (p: string): string[] =>
        [...mb.contactFolders.values()]
          .filter((f) => f.parentFolderId === p && f.id !== mb.defaultContactFolderId)
          .flatMap((f) => [f.id, ...(deep ? under(f.id) : [])]);
      ids = under(parent);
    }
    const restriction = kid(op, 'Restriction');
    if (restriction) {
      const want = this.displayNameRestriction(restriction);
      if (want !== undefined)
        ids = ids.filter(
          (id) =>
            (
              mb.contactFolders.get(id)?.displayName ??
              mb.calendars.get(id)?.name ??
              ''
            ).toLowerCase() === want.toLowerCase(),
        );
    }
    return `<m:RootFolder TotalItemsInView="${ids.length}" IncludesLastItemInRange="true"><t:Folders>${ids.map((i) => this.folderXml(ctx, i)).join('')}</t:Folders></m:RootFolder>`;
  }

  private displayNameRestriction(r: El): string | undefined {
    const eq = kid(r, 'IsEqualTo');
    if (eq && attr(kid(eq, 'FieldURI'), 'FieldURI') === 'folder:DisplayName')
      return attr(path(eq, 'FieldURIOrConstant', 'Constant'), 'Value');
    return undefined;
  }

  private createFolder(ctx: Ctx, parent: string, el: El): string {
    const name = text(kid(el, 'DisplayName'))?.trim();
    if (!name) throw new ItemError('ErrorInvalidRequest', 'The folder name must be specified.');
    const mb = ctx.mb;
    const id = newItemId();
    if (el.localName === 'CalendarFolder' || text(kid(el, 'FolderClass')) === 'IPF.Appointment') {
      for (const c of mb.calendars.values())
        if (c.name?.toLowerCase() === name.toLowerCase())
          throw new ItemError(
            'ErrorFolderExists',
            'A folder with the specified name already exists.',
          );
      mb.calendars.set(id, {
        id,
        name,
        color: 'auto',
        isDefaultCalendar: false,
        canEdit: true,
        changeKey: changeKey(),
      });
    } else {
      const p = parent === 'root' ? mb.defaultContactFolderId : parent;
      for (const f of mb.contactFolders.values())
        if (f.parentFolderId === p && f.displayName?.toLowerCase() === name.toLowerCase())
          throw new ItemError(
            'ErrorFolderExists',
            'A folder with the specified name already exists.',
          );
      mb.contactFolders.set(id, { id, displayName: name, parentFolderId: p });
    }
    return this.folderXml(ctx, id);
  }

  /**
   * The item an id element names: `ItemId` (an item, an exception, or an occurrence's id as a
   * CalendarView returns it), `OccurrenceItemId` (RecurringMasterId + 1-based InstanceIndex) or
   * `RecurringMasterItemId` (the series of an occurrence). Occurrences are virtual, as in the
   * Graph store this shares: `occ` until an update makes them an exception.
   * https://learn.microsoft.com/exchange/client-developer/web-service-reference/occurrenceitemid
   */
  private target(
    ctx: Ctx,
    el: El | undefined,
  ): { it: StoredContact | StoredEvent; occ?: undefined } | { it?: undefined; occ: Occ } {
    const mb = ctx.mb;
    const notFound = () =>
      new ItemError('ErrorItemNotFound', 'The specified object was not found in the store.');
    const restId = (given: string | undefined) => {
      // an EWS id; a Graph (REST) id is malformed here, as on Exchange
      const id = fromEwsId(given ?? '');
      if (!id) throw new ItemError('ErrorInvalidIdMalformed', 'Id is malformed.');
      return id;
    };
    const master = (id: string) => {
      const m = mb.events.get(id);
      if (!m || m.data.type !== 'seriesMaster')
        throw new ItemError(
          'ErrorCalendarOccurrenceIndexIsOutOfRecurrenceRange',
          'The occurrence index is out of the recurrence range.',
        );
      return m;
    };
    if (el?.localName === 'OccurrenceItemId') {
      const m = master(restId(attr(el, 'RecurringMasterId')));
      const index = Number(attr(el, 'InstanceIndex'));
      const dates = occurrenceDates(m, Date.now() + 50 * 366 * 86400_000);
      const date = Number.isInteger(index) && index >= 1 ? dates[index - 1] : undefined;
      if (!date)
        throw new ItemError(
          'ErrorCalendarOccurrenceIndexIsOutOfRecurrenceRange',
          'The occurrence index is out of the recurrence range.',
        );
      if (m.cancelled.has(date))
        throw new ItemError(
          'ErrorCalendarOccurrenceIsDeletedFromRecurrence',
          'The occurrence was deleted from the recurrence.',
        );
      const ex = m.exceptions.get(date);
      const exEv = ex ? mb.events.get(ex) : undefined;
      return exEv ? { it: exEv } : { occ: { master: m, date } };
    }
    if (el?.localName === 'RecurringMasterItemId') {
      const id = restId(attr(el, 'OccurrenceId'));
      const o = parseOccurrenceId(id);
      const ofItem = mb.events.get(id)?.data.seriesMasterId;
      const m = mb.events.get(o?.masterId ?? ofItem ?? '');
      if (!m || m.data.type !== 'seriesMaster') throw notFound();
      return { it: m };
    }
    const id = restId(attr(el, 'Id'));
    const it = mb.contacts.get(id) ?? mb.events.get(id);
    if (it) return { it };
    const o = parseOccurrenceId(id);
    const m = o && mb.events.get(o.masterId);
    if (
      o &&
      m &&
      m.data.type === 'seriesMaster' &&
      !m.cancelled.has(o.date) &&
      occurrenceDates(m, Date.parse(o.date) + 86400_000).includes(o.date)
    )
      return { occ: { master: m, date: o.date } };
    throw notFound();
  }

  /** An occurrence that changes becomes an exception with the occurrence's id (as on Graph). */
  private materialize(ctx: Ctx, occ: Occ): StoredEvent {
    const { master, date } = occ;
    const mb = ctx.mb;
    mb.seq++;
    const data = {
      ...occurrenceData(master, date),
      type: 'exception' as const,
      changeKey: changeKey(),
      lastModifiedDateTime: new Date().toISOString(),
    };
    const ex: StoredEvent = {
      kind: 'event',
      data,
      calendarId: master.calendarId,
      ext: master.ext.map((p) => ({ ...p })),
      seq: mb.seq,
      exceptions: new Map(),
      cancelled: new Set(),
    };
    mb.events.set(data.id, ex);
    master.exceptions.set(date, data.id);
    return ex;
  }

  /** DeleteItem of an event, an exception or an occurrence, with Graph's bookkeeping. */
  private deleteEvent(ctx: Ctx, t: { it?: StoredEvent; occ?: Occ }): void {
    const mb = ctx.mb;
    mb.seq++;
    const tomb = (id: string, containerId: string) =>
      mb.tombstones.push({ id, containerId, seq: mb.seq, kind: 'event' });
    if (t.occ) {
      t.occ.master.cancelled.add(t.occ.date);
      tomb(occurrenceId(t.occ.master.data.id, t.occ.date), t.occ.master.calendarId);
      return;
    }
    const ev = t.it!;
    if (ev.data.type === 'exception' && ev.data.seriesMasterId) {
      const m = mb.events.get(ev.data.seriesMasterId);
      const o = parseOccurrenceId(ev.data.id);
      if (m && o) {
        m.cancelled.add(o.date);
        m.exceptions.delete(o.date);
      }
    }
    if (ev.data.type === 'seriesMaster')
      for (const exId of ev.exceptions.values()) {
        mb.events.delete(exId);
        tomb(exId, ev.calendarId);
      }
    mb.events.delete(ev.data.id);
    tomb(ev.data.id, ev.calendarId);
    if (ev.data.transactionId) mb.transactionIds.delete(ev.data.transactionId);
  }

  /** ExtendedFieldURI -> Graph id "Type {guid} Name X" */
  private extId(el: El): string {
    const type = attr(el, 'PropertyType') ?? 'String';
    const set = attr(el, 'PropertySetId') ?? attr(el, 'DistinguishedPropertySetId');
    const name = attr(el, 'PropertyName');
    const tagv = attr(el, 'PropertyTag');
    const pid = attr(el, 'PropertyId');
    if (tagv) return `${type} ${tagv}`;
    if (set && name) return `${type} {${set.replace(/[{}]/g, '')}} Name ${name}`;
    if (set && pid) return `${type} {${set.replace(/[{}]/g, '')}} Id 0x${Number(pid).toString(16)}`;
    throw new ItemError('ErrorInvalidPropertyRequest', 'The extended property URI is invalid.');
  }

  private extUri(id: string): string {
    const m = /^(\w+)\s+\{([0-9a-f-]+)\}\s+(Name|Id)\s+(.+)$/i.exec(id);
    if (!m) {
      const t = /^(\w+)\s+(0x[0-9a-f]+)$/i.exec(id);
      return `<t:ExtendedFieldURI PropertyTag="${esc(t?.[2])}" PropertyType="${esc(t?.[1])}"/>`;
    }
    return m[3].toLowerCase() === 'name'
      ? `<t:ExtendedFieldURI PropertySetId="${m[2]}" PropertyName="${esc(m[4])}" PropertyType="${esc(m[1])}"/>`
      : `<t:ExtendedFieldURI PropertySetId="${m[2]}" PropertyId="${parseInt(m[4], 16)}" PropertyType="${esc(m[1])}"/>`;
  }

  private extFromXml(el: El): ExtProp[] {
    return kids(el, 'ExtendedProperty').map((p) => ({
      id: this.extId(kid(p, 'ExtendedFieldURI')!),
      value: text(kid(p, 'Value')) ?? '',
    }));
  }

  private requestedExt(op: El): string[] {
    const shape = kid(op, 'ItemShape');
    return kids(kid(shape, 'AdditionalProperties'), 'ExtendedFieldURI').map((e) =>
      normExtId(this.extId(e)),
    );
  }

  private contactFromXml(el: El): {
    fields: Record<string, unknown>;
    phones: Record<string, string>;
    emails: Record<string, string>;
  } {
    const fields: Record<string, unknown> = {};
    const simple: [string, string][] = [
      ['GivenName', 'givenName'],
      ['Surname', 'surname'],
      ['DisplayName', 'displayName'],
      ['CompanyName', 'companyName'],
      ['JobTitle', 'jobTitle'],
      ['Department', 'department'],
      ['OfficeLocation', 'officeLocation'],
      ['FileAs', 'fileAs'],
      ['MiddleName', 'middleName'],
      ['Nickname', 'nickName'],
      ['Initials', 'initials'],
      ['Generation', 'generation'],
      ['Profession', 'profession'],
      ['Manager', 'manager'],
      ['AssistantName', 'assistantName'],
      ['BusinessHomePage', 'businessHomePage'],
    ];
    for (const [x, g] of simple) {
      const k = kid(el, x);
      if (k) fields[g] = text(k);
    }
    const body = kid(el, 'Body');
    if (body) fields.personalNotes = text(body);
    const cats = kid(el, 'Categories');
    if (cats) fields.categories = kids(cats, 'String').map((s) => text(s) ?? '');
    const phones: Record<string, string> = {};
    for (const e of kids(kid(el, 'PhoneNumbers'), 'Entry'))
      phones[attr(e, 'Key') ?? ''] = text(e) ?? '';
    const emails: Record<string, string> = {};
    for (const e of kids(kid(el, 'EmailAddresses'), 'Entry'))
      emails[attr(e, 'Key') ?? ''] = text(e) ?? '';
    if (Object.keys(phones).length) {
      const b = [phones.BusinessPhone, phones.BusinessPhone2].filter((x): x is string => !!x);
      const h = [phones.HomePhone, phones.HomePhone2].filter((x): x is string => !!x);
      if (b.length) fields.businessPhones = b;
      if (h.length) fields.homePhones = h;
      if (phones.MobilePhone !== undefined) fields.mobilePhone = phones.MobilePhone;
    }
    if (Object.keys(emails).length) {
      fields.emailAddresses = ['EmailAddress1', 'EmailAddress2', 'EmailAddress3']
        .filter((k) => emails[k])
        .map((k) => ({ address: emails[k], name: emails[k] }));
    }
    return { fields, phones, emails };
  }

  private contactXml(c: StoredContact, ext: string[], full: boolean): string {
    const d = c.data;
    const phones: string[] = [];
    const b = d.businessPhones ?? [];
    const h = d.homePhones ?? [];
    if (b[0]) phones.push(`<t:Entry Key="BusinessPhone">${esc(b[0])}</t:Entry>`);
    if (b[1]) phones.push(`<t:Entry Key="BusinessPhone2">${esc(b[1])}</t:Entry>`);
    if (h[0]) phones.push(`<t:Entry Key="HomePhone">${esc(h[0])}</t:Entry>`);
    if (h[1]) phones.push(`<t:Entry Key="HomePhone2">${esc(h[1])}</t:Entry>`);
    if (d.mobilePhone) phones.push(`<t:Entry Key="MobilePhone">${esc(d.mobilePhone)}</t:Entry>`);
    const emails = (d.emailAddresses ?? [])
      .slice(0, 3)
      .map((e, i) => `<t:Entry Key="EmailAddress${i + 1}">${esc(e.address)}</t:Entry>`);
    const extXml = c.ext
      .filter((p) => ext.includes(normExtId(p.id)))
      .map(
        (p) =>
          `<t:ExtendedProperty>${this.extUri(p.id)}<t:Value>${esc(p.value)}</t:Value></t:ExtendedProperty>`,
      )
      .join('');
    return (
      `<t:Contact><t:ItemId Id="${ewsId(d.id)}" ChangeKey="${esc(d.changeKey)}"/><t:ParentFolderId Id="${ewsId(c.folderId)}" ChangeKey="AQ"/><t:ItemClass>IPM.Contact</t:ItemClass>` +
      tag('t:Subject', d.displayName) +
      (full && d.personalNotes ? `<t:Body BodyType="Text">${esc(d.personalNotes)}</t:Body>` : '') +
      (d.categories?.length
        ? `<t:Categories>${d.categories.map((x) => `<t:String>${esc(x)}</t:String>`).join('')}</t:Categories>`
        : '') +
      tag('t:DateTimeCreated', d.createdDateTime) +
      extXml +
      tag('t:LastModifiedTime', d.lastModifiedDateTime) +
      tag('t:FileAs', d.fileAs) +
      tag('t:DisplayName', d.displayName) +
      tag('t:GivenName', d.givenName) +
      tag('t:MiddleName', d.middleName) +
      tag('t:CompanyName', d.companyName) +
      (emails.length ? `<t:EmailAddresses>${emails.join('')}</t:EmailAddresses>` : '') +
      (phones.length ? `<t:PhoneNumbers>${phones.join('')}</t:PhoneNumbers>` : '') +
      tag('t:Department', d.department) +
      tag('t:JobTitle', d.jobTitle) +
      tag('t:OfficeLocation', d.officeLocation) +
      tag('t:Surname', d.surname) +
      '</t:Contact>'
    );
  }

  private eventXml(
    ev: { data: MG.Event; ext: ExtProp[] },
    ext: string[],
    calendarId: string,
    /** with the mailbox (GetItem), a series master carries its pattern and its exceptions */
    ctx?: Ctx,
  ): string {
    const d = ev.data;
    const iso = (x: MG.DateTimeTimeZone | null | undefined) =>
      x?.dateTime
        ? new Date(Date.parse(x.dateTime.replace(/\.\d+$/, '') + 'Z'))
            .toISOString()
            .replace(/\.\d{3}Z$/, 'Z')
        : '';
    const extXml = ev.ext
      .filter((p) => ext.includes(normExtId(p.id)))
      .map(
        (p) =>
          `<t:ExtendedProperty>${this.extUri(p.id)}<t:Value>${esc(p.value)}</t:Value></t:ExtendedProperty>`,
      )
      .join('');
    const type =
      d.type === 'seriesMaster'
        ? 'RecurringMaster'
        : d.type === 'occurrence'
          ? 'Occurrence'
          : d.type === 'exception'
            ? 'Exception'
            : 'Single';
    return (
      `<t:CalendarItem><t:ItemId Id="${ewsId(d.id)}" ChangeKey="${esc(d.changeKey)}"/><t:ParentFolderId Id="${ewsId(calendarId)}" ChangeKey="AQ"/><t:ItemClass>IPM.Appointment</t:ItemClass>` +
      tag('t:Subject', d.subject) +
      (d.body?.content
        ? `<t:Body BodyType="${d.body.contentType === 'text' ? 'Text' : 'HTML'}">${esc(d.body.content)}</t:Body>`
        : '') +
      (d.categories?.length
        ? `<t:Categories>${d.categories.map((x) => `<t:String>${esc(x)}</t:String>`).join('')}</t:Categories>`
        : '') +
      extXml +
      tag('t:Start', iso(d.start)) +
      tag('t:End', iso(d.end)) +
      `<t:IsAllDayEvent>${d.isAllDay ? 'true' : 'false'}</t:IsAllDayEvent>` +
      tag(
        't:LegacyFreeBusyStatus',
        (
          {
            free: 'Free',
            tentative: 'Tentative',
            busy: 'Busy',
            oof: 'OOF',
            workingElsewhere: 'WorkingElsewhere',
          } as Record<string, string>
        )[d.showAs ?? 'busy'] ?? 'Busy',
      ) +
      tag('t:Location', d.location?.displayName) +
      `<t:IsRecurring>${d.type !== 'singleInstance' ? 'true' : 'false'}</t:IsRecurring>` +
      `<t:CalendarItemType>${type}</t:CalendarItemType>` +
      (ctx && d.type === 'seriesMaster' ? this.seriesXml(ctx, d.id ?? '') : '') +
      '</t:CalendarItem>'
    );
  }

  private getItemXml(ctx: Ctx, idEl: El, ext: string[]): string {
    const t = this.target(ctx, idEl);
    if (t.occ)
      return this.eventXml(
        { data: occurrenceData(t.occ.master, t.occ.date), ext: t.occ.master.ext },
        ext,
        t.occ.master.calendarId,
        ctx,
      );
    return this.itemXml(ctx, t.it, ext, true);
  }

  private itemXml(ctx: Ctx, it: StoredContact | StoredEvent, ext: string[], full: boolean): string {
    return it.kind === 'contact'
      ? this.contactXml(it, ext, full)
      : this.eventXml(it, ext, it.calendarId, full ? ctx : undefined);
  }

  /**
   * SyncFolderItems on a contacts or calendar folder. The sync state (opaque to the client, as
   * Exchange's is) holds the folder, the mailbox change number it reached and the items the
   * client knows (deflated), so changes come as Create (new to the client), Update or Delete, in
   * change order, at most MaxChangesReturned per call; IncludesLastItemInRange says whether more
   * wait. A series' exceptions and deleted occurrences show as an Update of its master (they are
   * part of the master item in Exchange).
   * https://learn.microsoft.com/exchange/client-developer/web-service-reference/syncfolderitems
   */
  private syncFolderItems(ctx: Ctx, folder: string, op: El, max: number): string {
    const mb = ctx.mb;
    const given = text(kid(op, 'SyncState'))?.trim();
    let base = 0;
    let known = new Set<string>();
    if (given) {
      try {
        const st = JSON.parse(inflateRawSync(Buffer.from(given, 'base64')).toString('utf8')) as {
          f: string;
          s: number;
          k: string[];
        };
        if (st.f !== folder || typeof st.s !== 'number' || !Array.isArray(st.k)) throw new Error();
        base = st.s;
        known = new Set(st.k);
      } catch {
        throw new ItemError(
          'ErrorInvalidSyncStateData',
          'Synchronization state data is corrupt or otherwise invalid.',
        );
      }
    }
    type Change = { seq: number; id: string; item?: StoredContact | StoredEvent };
    const latest = new Map<string, Change>();
    const note = (c: Change) => {
      const prev = latest.get(c.id);
      if (!prev || prev.seq <= c.seq) latest.set(c.id, c);
    };
    const ext = this.requestedExt(op);
    if (mb.contactFolders.has(folder)) {
      for (const c of mb.contacts.values())
        if (c.folderId === folder && c.seq > base) note({ seq: c.seq, id: c.id, item: c });
      for (const t of mb.contacts.tombstones.entries(mb.contacts, folder, base, mb.seq))
        if (!mb.contacts.has(t.id)) note({ seq: t.seq, id: t.id });
    } else if (mb.calendars.has(folder)) {
      const masterOf = (id: string) => {
        const o = parseOccurrenceId(id);
        const m = o && mb.events.get(o.masterId);
        return m && m.data.type === 'seriesMaster' ? m : undefined;
      };
      for (const e of mb.events.values()) {
        if (e.calendarId !== folder || e.seq <= base) continue;
        const m = e.data.type === 'exception' ? masterOf(e.data.id) : e;
        if (m) note({ seq: e.seq, id: m.data.id, item: m });
      }
      for (const t of mb.tombstones)
        if (t.kind === 'event' && t.containerId === folder && t.seq > base) {
          const m = masterOf(t.id);
          if (m) note({ seq: t.seq, id: m.data.id, item: m });
          else if (!mb.events.has(t.id)) note({ seq: t.seq, id: t.id });
        }
    } else
      throw new ItemError(
        'ErrorFolderNotFound',
        'The specified folder could not be found in the store.',
      );
    const all = [...latest.values()]
      .filter((c) => c.item || known.has(c.id))
      .sort((a, b) => a.seq - b.seq);
    const page = all.slice(0, max);
    const done = page.length === all.length;
    const reached = done ? mb.seq : page[page.length - 1].seq;
    const xml = page
      .map((c) => {
        if (!c.item) {
          known.delete(c.id);
          return `<t:Delete><t:ItemId Id="${ewsId(c.id)}"/></t:Delete>`;
        }
        const kind = known.has(c.id) ? 'Update' : 'Create';
        known.add(c.id);
        return `<t:${kind}>${this.itemXml(ctx, c.item, ext, false)}</t:${kind}>`;
      })
      .join('');
    const state = deflateRawSync(
      Buffer.from(JSON.stringify({ f: folder, s: reached, k: [...known] })),
    ).toString('base64');
    return `<m:SyncState>${state}</m:SyncState><m:IncludesLastItemInRange>${done}</m:IncludesLastItemInRange><m:Changes>${xml}</m:Changes>`;
  }

  /**
   * A series master's Recurrence, ModifiedOccurrences and DeletedOccurrences (GetItem).
   * https://learn.microsoft.com/exchange/client-developer/web-service-reference/modifiedoccurrences
   */
  private seriesXml(ctx: Ctx, masterId: string): string {
    const m = ctx.mb.events.get(masterId);
    const r = m?.data.recurrence;
    if (!m || !r?.pattern || !r.range) return '';
    const p = r.pattern;
    const cap = (x: string) => x.charAt(0).toUpperCase() + x.slice(1);
    const days = (p.daysOfWeek ?? []).map((x) => cap(String(x))).join(' ');
    let pattern: string;
    if (p.type === 'weekly')
      pattern = `<t:WeeklyRecurrence><t:Interval>${p.interval ?? 1}</t:Interval><t:DaysOfWeek>${days}</t:DaysOfWeek><t:FirstDayOfWeek>${cap(String(p.firstDayOfWeek ?? 'sunday'))}</t:FirstDayOfWeek></t:WeeklyRecurrence>`;
    else if (p.type === 'absoluteMonthly')
      pattern = `<t:AbsoluteMonthlyRecurrence><t:Interval>${p.interval ?? 1}</t:Interval><t:DayOfMonth>${p.dayOfMonth ?? 1}</t:DayOfMonth></t:AbsoluteMonthlyRecurrence>`;
    else
      pattern = `<t:DailyRecurrence><t:Interval>${p.interval ?? 1}</t:Interval></t:DailyRecurrence>`;
    const g = r.range;
    const range =
      g.type === 'numbered'
        ? `<t:NumberedRecurrence><t:StartDate>${g.startDate}</t:StartDate><t:NumberOfOccurrences>${g.numberOfOccurrences}</t:NumberOfOccurrences></t:NumberedRecurrence>`
        : g.type === 'endDate'
          ? `<t:EndDateRecurrence><t:StartDate>${g.startDate}</t:StartDate><t:EndDate>${g.endDate}</t:EndDate></t:EndDateRecurrence>`
          : `<t:NoEndRecurrence><t:StartDate>${g.startDate}</t:StartDate></t:NoEndRecurrence>`;
    const iso = (x: MG.DateTimeTimeZone | null | undefined) =>
      x?.dateTime
        ? new Date(Date.parse(x.dateTime.replace(/\.\d+$/, '') + 'Z'))
            .toISOString()
            .replace(/\.\d{3}Z$/, 'Z')
        : '';
    const modified = [...m.exceptions.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([date, id]) => {
        const ex = ctx.mb.events.get(id);
        if (!ex) return '';
        const orig = occurrenceData(m, date);
        return `<t:Occurrence><t:ItemId Id="${ewsId(id)}" ChangeKey="${esc(ex.data.changeKey)}"/><t:Start>${iso(ex.data.start)}</t:Start><t:End>${iso(ex.data.end)}</t:End><t:OriginalStart>${iso(orig.start)}</t:OriginalStart></t:Occurrence>`;
      })
      .join('');
    const deleted = [...m.cancelled]
      .sort()
      .map(
        (date) =>
          `<t:DeletedOccurrence><t:Start>${iso(occurrenceData(m, date).start)}</t:Start></t:DeletedOccurrence>`,
      )
      .join('');
    return (
      `<t:Recurrence>${pattern}${range}</t:Recurrence>` +
      (modified ? `<t:ModifiedOccurrences>${modified}</t:ModifiedOccurrences>` : '') +
      (deleted ? `<t:DeletedOccurrences>${deleted}</t:DeletedOccurrences>` : '')
    );
  }

  private matches(
    r: El | undefined,
    it: StoredContact | { data: MG.Event; ext: ExtProp[] },
  ): boolean {
    if (!r) return true;
    const node = kids(r)[0];
    const evalNode = (n: El): boolean => {
      switch (n.localName) {
        case 'And':
          return kids(n).every(evalNode);
        case 'Or':
          return kids(n).some(evalNode);
        case 'Not':
          return !evalNode(kids(n)[0]);
        case 'Exists':
          return this.fieldValue(kids(n)[0], it) !== undefined;
        case 'IsEqualTo':
        case 'IsNotEqualTo':
        case 'Contains': {
          const [field, other] = kids(n);
          const v = this.fieldValue(field, it);
          const c =
            n.localName === 'Contains'
              ? attr(kid(n, 'Constant'), 'Value')
              : attr(path(other, 'Constant'), 'Value');
          if (n.localName === 'Contains')
            return (v ?? '').toLowerCase().includes((c ?? '').toLowerCase());
          const eq = (v ?? '').toLowerCase() === (c ?? '').toLowerCase() && v !== undefined;
          return n.localName === 'IsEqualTo' ? eq : !eq;
        }
        default:
          throw new EwsFault(
            'ErrorUnsupportedQueryFilter',
            `The restriction '${n.localName}' is not supported by the simulator.`,
          );
      }
    };
    return node ? evalNode(node) : true;
  }

  private fieldValue(
    field: El | undefined,
    it: StoredContact | { data: MG.Event; ext: ExtProp[] },
  ): string | undefined {
    if (!field) return undefined;
    if (field.localName === 'ExtendedFieldURI') {
      const id = normExtId(this.extId(field));
      return it.ext.find((p) => normExtId(p.id) === id)?.value;
    }
    const uri = attr(field, 'FieldURI') ?? '';
    const d = it.data as unknown as Record<string, unknown>;
    const map: Record<string, string> = {
      'contacts:GivenName': 'givenName',
      'contacts:Surname': 'surname',
      'contacts:DisplayName': 'displayName',
      'contacts:CompanyName': 'companyName',
      'item:Subject': 'subject',
      'contacts:JobTitle': 'jobTitle',
      'contacts:Department': 'department',
    };
    const key = map[uri];
    if (!key)
      throw new EwsFault(
        'ErrorUnsupportedPathForQuery',
        `The property '${uri}' is not supported in restrictions by the simulator.`,
      );
    const v = d[key] ?? (key === 'subject' ? d.displayName : undefined);
    return v === null || v === undefined ? undefined : String(v);
  }

  private findItem(ctx: Ctx, folder: string, op: El): string {
    const mb = ctx.mb;
    const ext = this.requestedExt(op);
    const restriction = kid(op, 'Restriction');
    const calView = kid(op, 'CalendarView');
    if (calView) {
      const from = Date.parse(attr(calView, 'StartDate') ?? '');
      const to = Date.parse(attr(calView, 'EndDate') ?? '');
      if (Number.isNaN(from) || Number.isNaN(to))
        throw new EwsFault(
          'ErrorSchemaValidation',
          'The request failed schema validation: CalendarView needs StartDate and EndDate.',
        );
      const max = Number(attr(calView, 'MaxEntriesReturned') ?? 1000);
      const inst = [...mb.events.values()]
        .filter((e) => e.calendarId === folder)
        .flatMap((e) => instancesOf(mb, e, from, to))
        .sort((a, b) => a.startMs - b.startMs);
      if (inst.length > max)
        throw new ItemError(
          'ErrorCalendarViewRangeTooBig',
          'The number of calendar entries for the given recurring series exceeds the limit.',
        );
      return `<m:RootFolder TotalItemsInView="${inst.length}" IncludesLastItemInRange="true"><t:Items>${inst.map((i) => this.eventXml(i, ext, folder)).join('')}</t:Items></m:RootFolder>`;
    }
    let items: (StoredContact | StoredEvent)[] = mb.contactFolders.has(folder)
      ? [...mb.contacts.values()].filter((c) => c.folderId === folder)
      : [...mb.events.values()].filter(
          (e) => e.calendarId === folder && e.data.type !== 'exception',
        );
    items = items.filter((i) => this.matches(restriction, i));
    const view = kid(op, 'IndexedPageItemView');
    const max = Math.min(1000, Number(attr(view, 'MaxEntriesReturned') ?? 1000) || 1000);
    const offset = Number(attr(view, 'Offset') ?? 0) || 0;
    const fromEnd = attr(view, 'BasePoint') === 'End';
    const start = fromEnd ? Math.max(0, items.length - offset - max) : offset;
    const page = items.slice(start, start + max);
    const last = start + page.length >= items.length;
    return (
      `<m:RootFolder IndexedPagingOffset="${start + page.length}" TotalItemsInView="${items.length}" IncludesLastItemInRange="${last}">` +
      `<t:Items>${page.map((i) => this.itemXml(ctx, i, ext, false)).join('')}</t:Items></m:RootFolder>`
    );
  }

  private createEvent(ctx: Ctx, calendarId: string, el: El, sendInvites: boolean): StoredEvent {
    const mb = ctx.mb;
    if (!mb.calendars.has(calendarId))
      throw new ItemError('ErrorInvalidRequest', 'The folder is not a calendar folder.');
    const start = text(kid(el, 'Start'));
    const end = text(kid(el, 'End'));
    if (!start || !end || Number.isNaN(Date.parse(start)) || Number.isNaN(Date.parse(end)))
      throw new ItemError('ErrorInvalidRequest', 'Start and End are required.');
    if (Date.parse(end) < Date.parse(start))
      throw new ItemError(
        'ErrorCalendarEndDateIsEarlierThanStartDate',
        'EndDate is earlier than StartDate',
      );
    const id = newItemId();
    const dt = (s: string) => ({
      dateTime: new Date(Date.parse(s)).toISOString().replace(/\.\d{3}Z$/, '.0000000'),
      timeZone: 'UTC',
    });
    const data: MG.Event & { id: string } = {
      id,
      subject: text(kid(el, 'Subject')) ?? '',
      body: {
        contentType: attr(kid(el, 'Body'), 'BodyType') === 'Text' ? 'text' : 'html',
        content: text(kid(el, 'Body')) ?? '',
      },
      start: dt(start),
      end: dt(end),
      isAllDay: text(kid(el, 'IsAllDayEvent')) === 'true',
      location: { displayName: text(kid(el, 'Location')) ?? '' },
      categories: kids(kid(el, 'Categories'), 'String').map((s) => text(s) ?? ''),
      showAs: SHOW_AS[text(kid(el, 'LegacyFreeBusyStatus')) ?? 'Busy'] ?? 'busy',
      type: 'singleInstance',
      changeKey: changeKey(),
      createdDateTime: new Date().toISOString(),
      lastModifiedDateTime: new Date().toISOString(),
      attendees: [],
      recurrence: this.recurrenceFromXml(kid(el, 'Recurrence')),
      // StartTimeZone/EndTimeZone (a TimeZoneDefinition named by its Windows Id) are the zones
      // the item keeps: a series repeats at its wall-clock time in them.
      originalStartTimeZone: this.zoneOf(kid(el, 'StartTimeZone')),
      originalEndTimeZone: this.zoneOf(kid(el, 'EndTimeZone') ?? kid(el, 'StartTimeZone')),
      // ReminderIsSet defaults to true on Exchange, as isReminderOn does on Graph
      isReminderOn: text(kid(el, 'ReminderIsSet')) !== 'false',
      reminderMinutesBeforeStart: Number(text(kid(el, 'ReminderMinutesBeforeStart')) ?? 15),
      responseRequested: text(kid(el, 'IsResponseRequested')) !== 'false',
    };
    if (data.recurrence) data.type = 'seriesMaster';
    const attendees = [
      ...kids(kid(el, 'RequiredAttendees'), 'Attendee'),
      ...kids(kid(el, 'OptionalAttendees'), 'Attendee'),
    ];
    if (attendees.length && sendInvites)
      this.sim.stat('events.invitationsSent').count += attendees.length;
    mb.seq++;
    const ev: StoredEvent = {
      kind: 'event',
      data,
      calendarId,
      ext: this.extFromXml(el),
      seq: mb.seq,
      exceptions: new Map(),
      cancelled: new Set(),
    };
    mb.events.set(id, ev);
    return ev;
  }

  /**
   * Counts the notification mode each calendar item was written with
   * (`ews.CreateItem.SendMeetingInvitations=SendToNone`...), so tests can show that nobody was
   * sent anything.
   */
  private noteSendMode(op: string, name: string, value: string | undefined): void {
    this.sim.stat(`ews.${op}.${name}=${value ?? ''}`).count++;
  }

  /** The Windows Id of a TimeZoneDefinition (UTC when absent); an unknown Id is refused. */
  private zoneOf(def: El | undefined): string {
    const id = attr(def, 'Id') ?? 'UTC';
    try {
      ianaOf(id);
    } catch {
      throw new ItemError('ErrorTimeZone', `The time zone '${id}' is not valid.`);
    }
    return id;
  }

  private recurrenceFromXml(r: El | undefined): MG.PatternedRecurrence | null {
    if (!r) return null;
    const [p, range] = kids(r);
    if (!p || !range)
      throw new ItemError('ErrorInvalidRecurrence', 'The recurrence pattern is invalid.');
    const interval = Number(text(kid(p, 'Interval')) ?? 1);
    const days = (text(kid(p, 'DaysOfWeek')) ?? '')
      .split(/\s+/)
      .filter(Boolean)
      .map((d) => d.toLowerCase() as MG.DayOfWeek);
    const pattern: MG.RecurrencePattern = { interval };
    switch (p.localName) {
      case 'DailyRecurrence':
        pattern.type = 'daily';
        break;
      case 'WeeklyRecurrence':
        pattern.type = 'weekly';
        pattern.daysOfWeek = days;
        pattern.firstDayOfWeek = (
          text(kid(p, 'FirstDayOfWeek')) ?? 'Sunday'
        ).toLowerCase() as MG.DayOfWeek;
        break;
      case 'AbsoluteMonthlyRecurrence':
        pattern.type = 'absoluteMonthly';
        pattern.dayOfMonth = Number(text(kid(p, 'DayOfMonth')));
        break;
      case 'RelativeMonthlyRecurrence':
        pattern.type = 'relativeMonthly';
        pattern.daysOfWeek = days;
        pattern.index = (text(kid(p, 'DayOfWeekIndex')) ?? 'First').toLowerCase() as MG.WeekIndex;
        break;
      case 'AbsoluteYearlyRecurrence':
        pattern.type = 'absoluteYearly';
        pattern.interval = 1;
        pattern.dayOfMonth = Number(text(kid(p, 'DayOfMonth')));
        pattern.month = MONTHS.indexOf(text(kid(p, 'Month')) ?? '') + 1;
        break;
      case 'RelativeYearlyRecurrence':
        pattern.type = 'relativeYearly';
        pattern.interval = 1;
        pattern.daysOfWeek = days;
        pattern.index = (text(kid(p, 'DayOfWeekIndex')) ?? 'First').toLowerCase() as MG.WeekIndex;
        pattern.month = MONTHS.indexOf(text(kid(p, 'Month')) ?? '') + 1;
        break;
      default:
        throw new ItemError(
          'ErrorInvalidRecurrence',
          `Recurrence ${p.localName} is not supported by the simulator.`,
        );
    }
    const startDate = (text(kid(range, 'StartDate')) ?? '').slice(0, 10);
    const g: MG.RecurrenceRange = { startDate };
    if (range.localName === 'NumberedRecurrence') {
      g.type = 'numbered';
      g.numberOfOccurrences = Number(text(kid(range, 'NumberOfOccurrences')));
    } else if (range.localName === 'EndDateRecurrence') {
      g.type = 'endDate';
      g.endDate = (text(kid(range, 'EndDate')) ?? '').slice(0, 10);
    } else g.type = 'noEnd';
    return { pattern, range: g };
  }

  private updateItem(
    ctx: Ctx,
    change: El,
    conflict: string,
    sendInvitationsOrCancellations: string | undefined,
  ): string {
    const idEl =
      kid(change, 'ItemId') ??
      kid(change, 'OccurrenceItemId') ??
      kid(change, 'RecurringMasterItemId');
    const t = this.target(ctx, idEl);
    // https://learn.microsoft.com/exchange/client-developer/web-service-reference/updateitem
    if (t.it?.kind !== 'contact' && !sendInvitationsOrCancellations)
      throw new ItemError(
        'ErrorSendMeetingInvitationsOrCancellationsRequired',
        'The SendMeetingInvitationsOrCancellations attribute is required for calendar items.',
      );
    if (t.it?.kind !== 'contact')
      this.noteSendMode(
        'UpdateItem',
        'SendMeetingInvitationsOrCancellations',
        sendInvitationsOrCancellations,
      );
    const it = t.it ?? this.materialize(ctx, t.occ);
    const ck = attr(idEl, 'ChangeKey');
    if (conflict === 'NeverOverwrite' && ck && ck !== it.data.changeKey) {
      throw new ItemError(
        'ErrorIrresolvableConflict',
        'The send or update operation could not be performed because the change key passed in the request does not match the current change key for the item.',
      );
    }
    // A contact's fields are rendered copies: edit one copy, store it once at the end.
    let contactData: (MG.Contact & { id: string }) | undefined;
    for (const u of kids(kid(change, 'Updates'))) {
      const [field, value] = kids(u);
      if (!field) throw new ItemError('ErrorInvalidRequest', 'An update needs a field URI.');
      if (field.localName === 'ExtendedFieldURI') {
        const id = this.extId(field);
        const kept = it.ext.filter((p) => normExtId(p.id) !== normExtId(id));
        if (u.localName !== 'DeleteItemField') {
          const v = kids(value, 'ExtendedProperty')[0];
          kept.push({ id, value: text(kid(v, 'Value')) ?? '' });
        }
        it.ext = kept;
        continue;
      }
      const uri = attr(field, 'FieldURI') ?? '';
      const index = attr(field, 'FieldIndex');
      if (it.kind === 'contact') {
        const d = (contactData ??= it.data);
        if (u.localName === 'DeleteItemField') {
          if (uri === 'contacts:PhoneNumber') this.setPhone(d, index ?? '', null);
          else if (uri.startsWith('contacts:PhysicalAddress:')) clearAddressPart(d, uri, index);
          else if (uri === 'contacts:EmailAddress')
            d.emailAddresses = (d.emailAddresses ?? []).filter(
              (_, i) => `EmailAddress${i + 1}` !== index,
            );
          else {
            const key = this.contactKey(uri);
            (d as unknown as Record<string, unknown>)[key] = key === 'categories' ? [] : null;
          }
          continue;
        }
        if (!value)
          throw new ItemError('ErrorInvalidRequest', 'SetItemField needs an item element.');
        const parsed = this.contactFromXml(value);
        if (uri === 'contacts:PhoneNumber')
          this.setPhone(d, index ?? '', parsed.phones[index ?? ''] ?? null);
        else if (uri === 'contacts:EmailAddress') {
          const i = Number((index ?? '').replace('EmailAddress', '')) - 1;
          const arr = [...(d.emailAddresses ?? [])];
          arr[i] = { address: parsed.emails[index ?? ''], name: parsed.emails[index ?? ''] };
          d.emailAddresses = arr.filter(Boolean);
        } else Object.assign(d, parsed.fields);
      } else {
        const d = it.data;
        if (!value)
          throw new ItemError('ErrorInvalidRequest', 'SetItemField needs an item element.');
        const get = (n: string) => text(kid(value, n));
        if (uri === 'item:Subject') d.subject = get('Subject') ?? '';
        else if (uri === 'calendar:Start')
          d.start = {
            dateTime: new Date(Date.parse(get('Start') ?? ''))
              .toISOString()
              .replace(/\.\d{3}Z$/, '.0000000'),
            timeZone: 'UTC',
          };
        else if (uri === 'calendar:End')
          d.end = {
            dateTime: new Date(Date.parse(get('End') ?? ''))
              .toISOString()
              .replace(/\.\d{3}Z$/, '.0000000'),
            timeZone: 'UTC',
          };
        else if (uri === 'calendar:Location') d.location = { displayName: get('Location') ?? '' };
        else if (uri === 'item:Body')
          d.body = {
            contentType: attr(kid(value, 'Body'), 'BodyType') === 'Text' ? 'text' : 'html',
            content: get('Body') ?? '',
          };
        else if (uri === 'item:Categories')
          d.categories = kids(kid(value, 'Categories'), 'String').map((s) => text(s) ?? '');
        else if (uri === 'calendar:IsAllDayEvent') d.isAllDay = get('IsAllDayEvent') === 'true';
        else if (uri === 'calendar:StartTimeZone')
          d.originalStartTimeZone = this.zoneOf(kid(value, 'StartTimeZone'));
        else if (uri === 'calendar:EndTimeZone')
          d.originalEndTimeZone = this.zoneOf(kid(value, 'EndTimeZone'));
        else if (uri === 'item:ReminderIsSet') d.isReminderOn = get('ReminderIsSet') !== 'false';
        else if (uri === 'item:ReminderMinutesBeforeStart')
          d.reminderMinutesBeforeStart = Number(get('ReminderMinutesBeforeStart') ?? 15);
        else if (uri === 'calendar:IsResponseRequested')
          d.responseRequested = get('IsResponseRequested') !== 'false';
        else if (uri === 'calendar:LegacyFreeBusyStatus')
          d.showAs = SHOW_AS[get('LegacyFreeBusyStatus') ?? 'Busy'] ?? 'busy';
        else if (uri === 'calendar:Recurrence') {
          if (it.data.type === 'exception' || it.data.type === 'occurrence')
            throw new ItemError(
              'ErrorCalendarIsNotOrganizer',
              'Only a single item or a series master can get a recurrence.',
            );
          const r = this.recurrenceFromXml(kid(value, 'Recurrence'));
          d.type = r ? 'seriesMaster' : 'singleInstance';
          // Exchange drops a series' exceptions when its pattern changes
          if (JSON.stringify(r) !== JSON.stringify(d.recurrence)) {
            for (const exId of it.exceptions.values()) ctx.mb.events.delete(exId);
            it.exceptions.clear();
            it.cancelled.clear();
          }
          d.recurrence = r;
        } else
          throw new ItemError(
            'ErrorInvalidPropertyUpdateSentMessage',
            `Updating '${uri}' is not supported by the simulator.`,
          );
      }
    }
    if (it.kind === 'contact') {
      if (contactData) it.setData(contactData);
      touch(ctx.mb, it);
    } else {
      ctx.mb.seq++;
      it.seq = ctx.mb.seq;
      it.data.changeKey = changeKey();
    }
    const tagName = it.kind === 'contact' ? 'Contact' : 'CalendarItem';
    return `<m:Items><t:${tagName}><t:ItemId Id="${ewsId(it.data.id)}" ChangeKey="${esc(it.data.changeKey)}"/></t:${tagName}></m:Items><m:ConflictResults><t:Count>0</t:Count></m:ConflictResults>`;
  }

  private contactKey(uri: string): string {
    const map: Record<string, string> = {
      'contacts:GivenName': 'givenName',
      'contacts:Surname': 'surname',
      'contacts:DisplayName': 'displayName',
      'contacts:CompanyName': 'companyName',
      'contacts:JobTitle': 'jobTitle',
      'contacts:Department': 'department',
      'contacts:OfficeLocation': 'officeLocation',
      'contacts:FileAs': 'fileAs',
      'contacts:MiddleName': 'middleName',
      'contacts:Nickname': 'nickName',
      'contacts:Initials': 'initials',
      'contacts:Profession': 'profession',
      'contacts:Manager': 'manager',
      'contacts:AssistantName': 'assistantName',
      'contacts:BusinessHomePage': 'businessHomePage',
      'contacts:Generation': 'generation',
      'item:Categories': 'categories',
      'item:Body': 'personalNotes',
    };
    const k = map[uri];
    if (!k)
      throw new ItemError(
        'ErrorInvalidPropertyDelete',
        `The property '${uri}' cannot be deleted by the simulator.`,
      );
    return k;
  }

  private setPhone(d: MG.Contact, key: string, v: string | null): void {
    if (!PHONE_KEYS.includes(key)) return;
    if (key === 'MobilePhone') {
      d.mobilePhone = v;
      return;
    }
    const arrKey = key.startsWith('Business') ? 'businessPhones' : 'homePhones';
    const idx = key.endsWith('2') ? 1 : 0;
    const arr = [...((d[arrKey] as string[] | null | undefined) ?? [])];
    if (v === null) arr.splice(idx, 1);
    else arr[idx] = v;
    d[arrKey] = arr.filter((x) => x !== undefined);
  }
}
