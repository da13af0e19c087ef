/** Outlook contacts: contactFolders, contacts (CRUD), contacts delta per folder, contact photos. */
import type * as MG from '@microsoft/microsoft-graph-types';
import { E, GraphError } from './errors';
import { newItemId } from '../core/ids';
import type { Mailbox, StoredContact } from '../store/model';
import {
  decodeToken,
  encodeToken,
  evaluate,
  link,
  parseFilter,
  parseSelect,
  project,
} from './odata';
import {
  asObject,
  checkId,
  checkKeys,
  checkTypes,
  etag,
  mergeExt,
  pageParams,
  parseExpand,
  parseExtProps,
  withExt,
} from './items';
import {
  noContent,
  ok,
  READ_CONTACTS,
  WRITE_CONTACTS,
  type Ctx,
  type GRes,
  type Route,
} from './types';

const CONTACT_TYPE = 'Microsoft.OutlookServices.Contact';
export const CONTACT_FIELDS = [
  'assistantName',
  'birthday',
  'businessAddress',
  'businessHomePage',
  'businessPhones',
  'children',
  'companyName',
  'department',
  'displayName',
  'emailAddresses',
  'fileAs',
  'generation',
  'givenName',
  'homeAddress',
  'homePhones',
  'imAddresses',
  'initials',
  'jobTitle',
  'manager',
  'middleName',
  'mobilePhone',
  'nickName',
  'officeLocation',
  'otherAddress',
  'parentFolderId',
  'personalNotes',
  'profession',
  'spouseName',
  'surname',
  'title',
  'yomiCompanyName',
  'yomiGivenName',
  'yomiSurname',
  'categories',
  'changeKey',
  'createdDateTime',
  'lastModifiedDateTime',
  'id',
];
const WRITABLE = new Set([
  ...CONTACT_FIELDS,
  'singleValueExtendedProperties',
  'multiValueExtendedProperties',
]);
const SELECTABLE = new Set(
  CONTACT_FIELDS.map((f) => f.toLowerCase()).concat(['singlevalueextendedproperties']),
);
const STRINGS = [
  'assistantName',
  'businessHomePage',
  'companyName',
  'department',
  'displayName',
  'fileAs',
  'generation',
  'givenName',
  'initials',
  'jobTitle',
  'manager',
  'middleName',
  'mobilePhone',
  'nickName',
  'officeLocation',
  'personalNotes',
  'profession',
  'spouseName',
  'surname',
  'title',
  'yomiCompanyName',
  'yomiGivenName',
  'yomiSurname',
  'birthday',
];
const STRING_ARRAYS = ['businessPhones', 'homePhones', 'imAddresses', 'children', 'categories'];
const OBJECTS = ['businessAddress', 'homeAddress', 'otherAddress'];

function now(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function folderOf(ctx: Ctx): string {
  const mb = ctx.mailbox!;
  const f = ctx.params.folder;
  // Well-known name of the default Contacts folder (`/contactFolders/contacts`), as Exchange
  // accepts for its well-known folders; the response carries the folder's real id.
  if (f === undefined || f.toLowerCase() === 'contacts') return mb.defaultContactFolderId;
  checkId(f);
  if (!mb.contactFolders.has(f)) throw E.itemNotFound();
  return f;
}

function contactOf(ctx: Ctx): StoredContact {
  const id = ctx.params.contact;
  checkId(id);
  const c = ctx.mailbox!.contacts.get(id);
  if (!c) throw E.itemNotFound();
  if (ctx.params.folder !== undefined && c.folderId !== folderOf(ctx)) throw E.itemNotFound();
  return c;
}

function checkSelect(select: string[] | undefined): void {
  for (const s of select ?? []) {
    if (!SELECTABLE.has(s.toLowerCase())) {
      throw new GraphError(
        400,
        'RequestBroker--ParseUri',
        `Could not find a property named '${s}' on type '${CONTACT_TYPE}'.`,
      );
    }
  }
}

export function contactView(
  c: StoredContact,
  select: string[] | undefined,
  match?: (p: { id: string; value: string }) => boolean,
): Record<string, unknown> {
  const data = c.data;
  const v = {
    '@odata.etag': etag(data.changeKey),
    ...(select
      ? project(
          data,
          select.filter((s) => s.toLowerCase() !== 'singlevalueextendedproperties'),
          ['id'],
        )
      : data),
  };
  return withExt(v, c.ext, match);
}

function validateBody(b: Record<string, unknown>): void {
  checkKeys(b, WRITABLE, CONTACT_TYPE);
  checkTypes(b, STRINGS, STRING_ARRAYS, OBJECTS);
  if (b.emailAddresses !== undefined && b.emailAddresses !== null) {
    if (!Array.isArray(b.emailAddresses))
      throw new GraphError(
        400,
        'RequestBodyRead',
        "A 'StartArray' node was expected for property 'emailAddresses'.",
      );
    for (const e of b.emailAddresses) {
      if (!e || typeof e !== 'object')
        throw new GraphError(400, 'RequestBodyRead', 'Invalid emailAddresses entry.');
      checkKeys(
        e as Record<string, unknown>,
        new Set(['address', 'name']),
        'Microsoft.OutlookServices.EmailAddress',
      );
    }
  }
}

/** A change to the contact: new sequence number, changeKey and modification time. */
export function touch(mb: Mailbox, c: StoredContact): void {
  mb.seq++;
  c.touch(mb.seq);
}

export function createContact(
  mb: Mailbox,
  folderId: string,
  body: Record<string, unknown>,
): StoredContact {
  validateBody(body);
  const ext = parseExtProps(body.singleValueExtendedProperties);
  const fields = clientFields(body);
  // Per-item fields are placeholders here: the store renders them (and keeps their place).
  const ts = now();
  const data: MG.Contact & { id: string } = {
    id: '',
    createdDateTime: ts,
    lastModifiedDateTime: ts,
    changeKey: '',
    categories: [],
    parentFolderId: folderId,
    birthday: null,
    fileAs: '',
    displayName: '',
    givenName: null,
    initials: null,
    middleName: null,
    nickName: null,
    surname: null,
    title: null,
    yomiGivenName: null,
    yomiSurname: null,
    yomiCompanyName: null,
    generation: null,
    imAddresses: [],
    jobTitle: null,
    companyName: null,
    department: null,
    officeLocation: null,
    profession: null,
    businessHomePage: null,
    assistantName: null,
    manager: null,
    homePhones: [],
    mobilePhone: null,
    businessPhones: [],
    spouseName: null,
    personalNotes: '',
    children: [],
    emailAddresses: [],
    homeAddress: {},
    businessAddress: {},
    otherAddress: {},
    ...(fields as MG.Contact),
  };
  if (!data.displayName)
    data.displayName = [data.givenName, data.middleName, data.surname].filter(Boolean).join(' ');
  mb.seq++;
  return mb.contacts.create(folderId, data, ext, mb.seq);
}

export function updateContact(mb: Mailbox, c: StoredContact, body: Record<string, unknown>): void {
  validateBody(body);
  const ext = parseExtProps(body.singleValueExtendedProperties);
  const fields = clientFields(body);
  c.setData({ ...c.data, ...fields });
  c.ext = mergeExt([...c.ext], ext);
  touch(mb, c);
}

export function deleteContact(mb: Mailbox, c: StoredContact): void {
  mb.seq++;
  mb.contacts.delete(c, mb.seq);
}

function listContacts(ctx: Ctx): GRes {
  const folderId = folderOf(ctx);
  const q = ctx.req.query;
  const select = parseSelect(q.get('$select'));
  checkSelect(select);
  const match = parseExpand(ctx);
  let items = [...ctx.mailbox!.contacts.values()].filter((c) => c.folderId === folderId);
  const f = q.get('$filter');
  if (f) {
    const info = parseFilter(f);
    items = items.filter((c) =>
      evaluate(info.node, {
        ...c.data,
        singleValueExtendedProperties: c.ext.map((p) => ({
          id: p.id.replace(/\s+/g, ' '),
          value: p.value,
        })),
      }),
    );
  }
  const { top, skip } = pageParams(ctx, 10, 1000);
  const page = items.slice(skip, skip + top);
  const body: Record<string, unknown> = {
    '@odata.context': `${ctx.base}/$metadata#users('${ctx.user!.user.id}')/contacts`,
    value: page.map((c) => contactView(c, select, match)),
  };
  if (skip + top < items.length)
    body['@odata.nextLink'] = link(ctx.base, ctx.req.path, q, {
      $top: String(top),
      $skip: String(skip + top),
    });
  return ok(body);
}

/** Delta per folder: $select only, as documented; tokens expire (410 syncStateNotFound). */
function contactsDelta(ctx: Ctx): GRes {
  const folderId = folderOf(ctx);
  const mb = ctx.mailbox!;
  const q = ctx.req.query;
  if (
    q.get('$expand') !== null ||
    q.get('$filter') !== null ||
    q.get('$orderby') !== null ||
    q.get('$search') !== null
  ) {
    const which = ['$expand', '$filter', '$orderby', '$search']
      .filter((k) => q.get(k) !== null)
      .join("', '");
    throw new GraphError(
      400,
      'ErrorInvalidUrlQuery',
      `The following parameters are not supported with change tracking over the 'Contacts' resource: '${which}'.`,
    );
  }
  const select = parseSelect(q.get('$select'));
  checkSelect(select);
  const prefer = /odata\.maxpagesize=(\d+)/i.exec(ctx.req.headers['prefer'] ?? '');
  const size = Math.max(1, Math.min(1000, prefer ? Number(prefer[1]) : 100));
  const tnow = Date.now();
  let st: { base: number; snap: number; off: number; ts: number; e: number };
  const tokStr = q.get('$deltatoken') ?? q.get('$skiptoken');
  if (tokStr !== null) {
    const tok = decodeToken(tokStr);
    if (!tok || tok.k !== 'cd' || tok.f !== folderId) throw E.syncStateNotFound();
    st = {
      base: Number(tok.base),
      snap: Number(tok.snap),
      off: Number(tok.off),
      ts: Number(tok.ts),
      e: Number(tok.e),
    };
    if (st.e !== mb.deltaEpoch || tnow - st.ts > ctx.sim.opts.deltaTokenTtlSeconds * 1000)
      throw E.syncStateNotFound();
    if (q.get('$deltatoken') !== null)
      st = { base: st.base, snap: mb.seq, off: 0, ts: tnow, e: mb.deltaEpoch };
  } else st = { base: -1, snap: mb.seq, off: 0, ts: tnow, e: mb.deltaEpoch };
  const entries: Record<string, unknown>[] = [];
  // Nothing in the mailbox changed since the token (the usual no-op sync): no scan.
  const unchanged = st.base >= 0 && st.base >= st.snap;
  if (!unchanged) {
    for (const c of mb.contacts.values()) {
      if (c.folderId !== folderId) continue;
      if (st.base < 0 || (c.seq > st.base && c.seq <= st.snap))
        entries.push({ '@odata.type': '#microsoft.graph.contact', ...contactView(c, select) });
    }
  }
  if (st.base >= 0 && !unchanged) {
    const tombs = mb.contacts.tombstones;
    if (tombs.length > 4096) tombs.prune(ctx.sim.opts.deltaTokenTtlSeconds);
    for (const id of tombs.between(mb.contacts, folderId, st.base, st.snap)) {
      entries.push({
        '@odata.type': '#microsoft.graph.contact',
        id,
        '@removed': { reason: 'deleted' },
      });
    }
  }
  const page = entries.slice(st.off, st.off + size);
  const body: Record<string, unknown> = {
    '@odata.context': `${ctx.base}/$metadata#Collection(contact)`,
    value: page,
  };
  const drop = ['$deltatoken', '$skiptoken'];
  if (st.off + size < entries.length) {
    body['@odata.nextLink'] = link(
      ctx.base,
      ctx.req.path,
      q,
      { $skiptoken: encodeToken({ k: 'cd', f: folderId, ...st, off: st.off + size }) },
      drop,
    );
  } else {
    body['@odata.deltaLink'] = link(
      ctx.base,
      ctx.req.path,
      q,
      {
        $deltatoken: encodeToken({
          k: 'cd',
          f: folderId,
          base: st.snap,
          snap: st.snap,
          off: 0,
          ts: Date.now(),
          e: mb.deltaEpoch,
        }),
      },
      drop,
    );
  }
  return ok(body);
}

function folderView(f: MG.ContactFolder, select?: string[]): Record<string, unknown> {
  return project(f, select);
}

function listFolders(ctx: Ctx, parent?: string): GRes {
  const mb = ctx.mailbox!;
  const folders = [...mb.contactFolders.values()].filter(
    (f) =>
      f.id !== mb.defaultContactFolderId &&
      f.parentFolderId === (parent ?? mb.defaultContactFolderId),
  );
  const f = ctx.req.query.get('$filter');
  let items: MG.ContactFolder[] = folders;
  if (f) {
    const info = parseFilter(f);
    items = items.filter((x) => evaluate(info.node, x));
  }
  const { top, skip } = pageParams(ctx, 10, 1000);
  const body: Record<string, unknown> = {
    '@odata.context': `${ctx.base}/$metadata#users('${ctx.user!.user.id}')/contactFolders`,
    value: items
      .slice(skip, skip + top)
      .map((x) => folderView(x, parseSelect(ctx.req.query.get('$select')))),
  };
  if (skip + top < items.length)
    body['@odata.nextLink'] = link(ctx.base, ctx.req.path, ctx.req.query, {
      $top: String(top),
      $skip: String(skip + top),
    });
  return ok(body);
}

function createFolder(ctx: Ctx, parentId: string): GRes {
  const mb = ctx.mailbox!;
  const b = asObject(ctx.json());
  checkKeys(
    b,
    new Set(['displayName', 'parentFolderId']),
    'Microsoft.OutlookServices.ContactFolder',
  );
  checkTypes(b, ['displayName'], []);
  const name = (b.displayName as string | undefined)?.trim();
  if (!name) throw new GraphError(400, 'ErrorInvalidRequest', 'The folder name must be specified.');
  for (const f of mb.contactFolders.values()) {
    if (f.parentFolderId === parentId && f.displayName?.toLowerCase() === name.toLowerCase()) {
      throw new GraphError(
        409,
        'ErrorFolderExists',
        'A folder with the specified name already exists.',
      );
    }
  }
  const id = newItemId();
  const folder: MG.ContactFolder & { id: string } = {
    id,
    displayName: name,
    parentFolderId: parentId,
  };
  mb.contactFolders.set(id, folder);
  return ok(folderView(folder), 201);
}

function photoPut(ctx: Ctx): GRes {
  const c = contactOf(ctx);
  const raw =
    ctx.req.body ??
    (typeof ctx.req.jsonBody === 'string' ? Buffer.from(ctx.req.jsonBody, 'base64') : undefined);
  if (!raw || raw.length === 0)
    throw new GraphError(400, 'ErrorInvalidRequest', 'The request body is empty.');
  if (raw.length > 4 * 1024 * 1024)
    throw new GraphError(413, 'ErrorRequestEntityTooLarge', 'The photo is too large.');
  // The photo keeps the media type it was sent with, and GET .../photo/$value answers with it
  // (https://learn.microsoft.com/graph/api/profilephoto-update: the binary data in the body,
  // its type in Content-Type). There is no DELETE: v1.0 documents a photo delete for users and
  // groups only, "not Outlook contact nor Teams photos"
  // (https://learn.microsoft.com/graph/api/profilephoto-delete), so the router answers 405.
  c.photo = Buffer.from(raw);
  c.photoType =
    (ctx.req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase() ||
    'application/octet-stream';
  touch(ctx.mailbox!, c);
  return { status: 200 };
}

function photoGet(ctx: Ctx): GRes {
  const c = contactOf(ctx);
  if (!c.photo) throw new GraphError(404, 'ErrorItemNotFound', "The photo wasn't found.");
  return { status: 200, raw: c.photo, contentType: c.photoType ?? 'image/jpeg' };
}

export function contactRoutes(): Route[] {
  const routes: Route[] = [];
  const U = '/users/{user}';
  for (const base of [`${U}/contacts`, `${U}/contactFolders/{folder}/contacts`]) {
    routes.push(
      {
        method: 'GET',
        pattern: `${base}/delta`,
        op: 'contacts.delta',
        scope: 'mailbox',
        perms: READ_CONTACTS,
        handler: contactsDelta,
      },
      {
        method: 'GET',
        pattern: base,
        op: 'contacts.list',
        scope: 'mailbox',
        perms: READ_CONTACTS,
        handler: listContacts,
      },
      {
        method: 'POST',
        pattern: base,
        op: 'contacts.create',
        scope: 'mailbox',
        perms: WRITE_CONTACTS,
        handler: (ctx) => {
          const folderId = folderOf(ctx);
          const c = createContact(ctx.mailbox!, folderId, asObject(ctx.json()));
          return ok(
            {
              '@odata.context': `${ctx.base}/$metadata#users('${ctx.user!.user.id}')/contacts/$entity`,
              ...contactView(c, undefined, () => true),
            },
            201,
          );
        },
      },
      {
        method: 'GET',
        pattern: `${base}/{contact}`,
        op: 'contacts.get',
        scope: 'mailbox',
        perms: READ_CONTACTS,
        handler: (ctx) => {
          const select = parseSelect(ctx.req.query.get('$select'));
          checkSelect(select);
          const c = contactOf(ctx);
          return ok({
            '@odata.context': `${ctx.base}/$metadata#users('${ctx.user!.user.id}')/contacts/$entity`,
            ...contactView(c, select, parseExpand(ctx)),
          });
        },
      },
      {
        method: 'PATCH',
        pattern: `${base}/{contact}`,
        op: 'contacts.update',
        scope: 'mailbox',
        perms: WRITE_CONTACTS,
        handler: (ctx) => {
          const c = contactOf(ctx);
          updateContact(ctx.mailbox!, c, asObject(ctx.json()));
          return ok({
            '@odata.context': `${ctx.base}/$metadata#users('${ctx.user!.user.id}')/contacts/$entity`,
            ...contactView(c, undefined),
          });
        },
      },
      {
        method: 'DELETE',
        pattern: `${base}/{contact}`,
        op: 'contacts.delete',
        scope: 'mailbox',
        perms: WRITE_CONTACTS,
        handler: (ctx) => {
          deleteContact(ctx.mailbox!, contactOf(ctx));
          return noContent();
        },
      },
      {
        method: 'PUT',
        pattern: `${base}/{contact}/photo/$value`,
        op: 'contacts.photo.put',
        scope: 'mailbox',
        perms: WRITE_CONTACTS,
        handler: photoPut,
      },
      {
        method: 'GET',
        pattern: `${base}/{contact}/photo/$value`,
        op: 'contacts.photo.get',
        scope: 'mailbox',
        perms: READ_CONTACTS,
        handler: photoGet,
      },
    );
  }
  routes.push(
    {
      method: 'GET',
      pattern: `${U}/contactFolders`,
      op: 'contactFolders.list',
      scope: 'mailbox',
      perms: READ_CONTACTS,
      handler: (c) => listFolders(c),
    },
    {
      method: 'POST',
      pattern: `${U}/contactFolders`,
      op: 'contactFolders.create',
      scope: 'mailbox',
      perms: WRITE_CONTACTS,
      handler: (c) => createFolder(c, c.mailbox!.defaultContactFolderId),
    },
    {
      method: 'GET',
      pattern: `${U}/contactFolders/{folder}/childFolders`,
      op: 'contactFolders.list',
      scope: 'mailbox',
      perms: READ_CONTACTS,
      handler: (c) => listFolders(c, folderOf(c)),
    },
    {
      method: 'POST',
      pattern: `${U}/contactFolders/{folder}/childFolders`,
      op: 'contactFolders.create',
      scope: 'mailbox',
      perms: WRITE_CONTACTS,
      handler: (c) => createFolder(c, folderOf(c)),
    },
    {
      method: 'GET',
      pattern: `${U}/contactFolders/{folder}`,
      op: 'contactFolders.get',
      scope: 'mailbox',
      perms: READ_CONTACTS,
      handler: (ctx) =>
        ok(
          folderView(
            ctx.mailbox!.contactFolders.get(folderOf(ctx))!,
            parseSelect(ctx.req.query.get('$select')),
          ),
        ),
    },
    {
      method: 'PATCH',
      pattern: `${U}/contactFolders/{folder}`,
      op: 'contactFolders.update',
      scope: 'mailbox',
      perms: WRITE_CONTACTS,
      handler: (ctx) => {
        const f = ctx.mailbox!.contactFolders.get(folderOf(ctx))!;
        const b = asObject(ctx.json());
        checkKeys(
          b,
          new Set(['displayName', 'parentFolderId']),
          'Microsoft.OutlookServices.ContactFolder',
        );
        checkTypes(b, ['displayName'], []);
        if (typeof b.displayName === 'string') f.displayName = b.displayName;
        return ok(folderView(f));
      },
    },
    {
      method: 'DELETE',
      pattern: `${U}/contactFolders/{folder}`,
      op: 'contactFolders.delete',
      scope: 'mailbox',
      perms: WRITE_CONTACTS,
      handler: (ctx) => {
        const mb = ctx.mailbox!;
        const id = folderOf(ctx);
        if (id === mb.defaultContactFolderId)
          throw new GraphError(
            400,
            'ErrorDeleteDistinguishedFolder',
            'Distinguished folders cannot be deleted.',
          );
        const doomed = new Set([id]);
        let grew = true;
        while (grew) {
          grew = false;
          for (const f of mb.contactFolders.values()) {
            if (f.parentFolderId && doomed.has(f.parentFolderId) && !doomed.has(f.id)) {
              doomed.add(f.id);
              grew = true;
            }
          }
        }
        for (const c of [...mb.contacts.values()]) if (doomed.has(c.folderId)) deleteContact(mb, c);
        for (const d of doomed) mb.contactFolders.delete(d);
        return noContent();
      },
    },
  );
  return routes;
}

/** The fields a client may set: the server owns ids, change keys, times, the folder and tags. */
function clientFields(body: Record<string, unknown>): Record<string, unknown> {
  const {
    singleValueExtendedProperties: _s,
    multiValueExtendedProperties: _m,
    id: _id,
    changeKey: _ck,
    createdDateTime: _c,
    lastModifiedDateTime: _l,
    parentFolderId: _p,
    ...fields
  } = body;
  void [_s, _m, _id, _ck, _c, _l, _p];
  return fields;
}
