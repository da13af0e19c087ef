/** Directory: users (paging, $select, $filter subset, $count, delta), groups, org contacts, photos, mailboxSettings. */
import type * as MG from '@microsoft/microsoft-graph-types';
import { E, GraphError } from './errors';
import {
  decodeToken,
  encodeToken,
  evaluate,
  filterPaths,
  link,
  parseFilter,
  parseSelect,
  project,
} from './odata';
import {
  ok,
  READ_GROUPS,
  READ_MAILBOXSETTINGS,
  READ_ORGCONTACTS,
  READ_USERS,
  type Ctx,
  type GRes,
  type Route,
} from './types';
import type { SimUser, Tenant } from '../store/model';
import { GUID_RE } from '../core/ids';
import { activeDirectoryRoles, roleDisplayName } from '../identity/directory-roles';
import { createHash } from 'node:crypto';

const USER_DEFAULT = [
  'businessPhones',
  'displayName',
  'givenName',
  'jobTitle',
  'mail',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
  'surname',
  'userPrincipalName',
  'id',
];
const USER_PROPS = new Set(
  [
    ...USER_DEFAULT,
    'accountEnabled',
    'assignedLicenses',
    'city',
    'companyName',
    'country',
    'createdDateTime',
    'department',
    'employeeId',
    'mailNickname',
    'onPremisesExtensionAttributes',
    'onPremisesImmutableId',
    'onPremisesSyncEnabled',
    'usageLocation',
    'userType',
    'otherMails',
    'proxyAddresses',
    'streetAddress',
    'postalCode',
    'state',
    'faxNumber',
    'employeeType',
  ].map((s) => s.toLowerCase()),
);

function checkSelect(select: string[] | undefined, allowed: Set<string>, type: string): void {
  for (const s of select ?? []) {
    if (!allowed.has(s.toLowerCase()))
      throw new GraphError(
        400,
        'Request_BadRequest',
        `Could not find a property named '${s}' on type '${type}'.`,
      );
  }
}

function userView(u: SimUser, select: string[] | undefined): Record<string, unknown> {
  return project(u.user, select ?? USER_DEFAULT);
}

function pageSize(ctx: Ctx, def: number, max: number): number {
  const top = ctx.req.query.get('$top');
  if (top === null) return def;
  const n = Number(top);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw E.unsupportedQuery(
      `Invalid page size specified: '${top}'. Must be between 1 and ${max} inclusive.`,
    );
  }
  return n;
}

function eventual(ctx: Ctx): boolean {
  return (ctx.req.headers['consistencylevel'] ?? '').toLowerCase() === 'eventual';
}

function filterUsers(ctx: Ctx, users: SimUser[]): SimUser[] {
  const f = ctx.req.query.get('$filter');
  const search = ctx.req.query.get('$search');
  if (search !== null) {
    if (!eventual(ctx))
      throw new GraphError(
        400,
        'Request_UnsupportedQuery',
        "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'",
      );
    const m = /^"?(\w+):(.*?)"?$/.exec(search.trim());
    const prop = m?.[1] ?? 'displayName';
    const term = (m?.[2] ?? search).toLowerCase();
    users = users.filter((u) =>
      String((u.user as unknown as Record<string, unknown>)[prop] ?? '')
        .toLowerCase()
        .includes(term),
    );
  }
  if (!f) return users;
  const info = parseFilter(f);
  for (const p of filterPaths(info.node)) {
    if (!USER_PROPS.has(p.toLowerCase()))
      throw new GraphError(
        400,
        'Request_BadRequest',
        `Property '${p}' does not exist as a declared property or extension property.`,
      );
  }
  if (info.advanced && !eventual(ctx)) {
    throw E.unsupportedQuery(
      "Unsupported or invalid query filter clause specified for property '" +
        filterPaths(info.node)[0] +
        "' of resource 'User'.",
    );
  }
  return users.filter((u) => evaluate(info.node, u.user));
}

function liveUsers(t: Tenant): SimUser[] {
  return [...t.users.values()].filter((u) => !u.deleted);
}

function listUsers(ctx: Ctx): GRes {
  const select = parseSelect(ctx.req.query.get('$select'));
  checkSelect(select, USER_PROPS, 'Microsoft.DirectoryServices.User');
  const top = pageSize(ctx, 100, 999);
  const count = ctx.req.query.get('$count');
  if (count === 'true' && !eventual(ctx)) {
    throw E.unsupportedQuery('$count is not currently supported.');
  }
  const all = filterUsers(ctx, liveUsers(ctx.tenant));
  let offset = 0;
  const st = ctx.req.query.get('$skiptoken');
  if (st !== null) {
    const tok = decodeToken(st);
    if (!tok || tok.k !== 'users' || typeof tok.o !== 'number')
      throw new GraphError(400, 'Request_BadRequest', `Invalid paging token specified: '${st}'.`);
    offset = tok.o;
  }
  const page = all.slice(offset, offset + top);
  const body: Record<string, unknown> = { '@odata.context': `${ctx.base}/$metadata#users` };
  if (count === 'true') body['@odata.count'] = all.length;
  body.value = page.map((u) => userView(u, select));
  if (offset + top < all.length) {
    body['@odata.nextLink'] = link(ctx.base, '/users', ctx.req.query, {
      $skiptoken: encodeToken({ k: 'users', o: offset + top }),
    });
  }
  return ok(body);
}

function countUsers(ctx: Ctx): GRes {
  if (!eventual(ctx)) throw E.unsupportedQuery('$count is not currently supported.');
  return {
    status: 200,
    raw: Buffer.from(String(filterUsers(ctx, liveUsers(ctx.tenant)).length)),
    contentType: 'text/plain',
  };
}

function getUser(ctx: Ctx): GRes {
  const select = parseSelect(ctx.req.query.get('$select'));
  checkSelect(select, USER_PROPS, 'Microsoft.DirectoryServices.User');
  return ok({
    '@odata.context': `${ctx.base}/$metadata#users/$entity`,
    ...userView(ctx.user!, select),
  });
}

/** /users/delta: a full pass (pages), then deltaLinks; tokens expire after deltaTokenTtlSeconds. */
function usersDelta(ctx: Ctx): GRes {
  const t = ctx.tenant;
  const q = ctx.req.query;
  const select = parseSelect(q.get('$select'));
  checkSelect(select, USER_PROPS, 'Microsoft.DirectoryServices.User');
  const size = q.get('$top') ? pageSize(ctx, 100, 999) : 100;
  const now = Date.now();
  let state: { base: number; snap: number; off: number; ts: number; e: number };
  const dt = q.get('$deltatoken') ?? q.get('$skiptoken');
  if (dt !== null) {
    const tok = decodeToken(dt);
    if (!tok || tok.k !== 'ud' || tok.tid !== t.id) throw E.syncStateNotFound();
    state = {
      base: Number(tok.base),
      snap: Number(tok.snap),
      off: Number(tok.off),
      ts: Number(tok.ts),
      e: Number(tok.e),
    };
    if (state.e !== t.deltaEpoch || now - state.ts > ctx.sim.opts.deltaTokenTtlSeconds * 1000)
      throw E.syncStateNotFound();
    if (q.get('$deltatoken') !== null)
      state = { base: state.base, snap: t.dirSeq, off: 0, ts: now, e: t.deltaEpoch };
  } else {
    state = { base: -1, snap: t.dirSeq, off: 0, ts: now, e: t.deltaEpoch };
  }
  const changed = [...t.users.values()].filter((u) =>
    state.base < 0 ? !u.deleted : u.seq > state.base && u.seq <= state.snap,
  );
  const page = changed.slice(state.off, state.off + size);
  const value = page.map((u) =>
    u.deleted ? { id: u.user.id, '@removed': { reason: 'changed' } } : userView(u, select),
  );
  const body: Record<string, unknown> = { '@odata.context': `${ctx.base}/$metadata#users`, value };
  const drop = ['$deltatoken', '$skiptoken'];
  if (state.off + size < changed.length) {
    body['@odata.nextLink'] = link(
      ctx.base,
      '/users/delta',
      q,
      { $skiptoken: encodeToken({ k: 'ud', tid: t.id, ...state, off: state.off + size }) },
      drop,
    );
  } else {
    body['@odata.deltaLink'] = link(
      ctx.base,
      '/users/delta',
      q,
      {
        $deltatoken: encodeToken({
          k: 'ud',
          tid: t.id,
          base: state.snap,
          snap: state.snap,
          off: 0,
          ts: Date.now(),
          e: t.deltaEpoch,
        }),
      },
      drop,
    );
  }
  return ok(body);
}

function userPhoto(ctx: Ctx, value: boolean): GRes {
  const u = ctx.user!;
  if (!u.photo)
    throw new GraphError(
      404,
      'ImageNotFound',
      "Exception of type 'Microsoft.Fast.Profile.Core.Exception.ImageNotFoundException' was thrown.",
    );
  if (value) return { status: 200, raw: u.photo, contentType: u.photoType ?? 'image/png' };
  const meta: MG.ProfilePhoto = { id: '1x1', height: 1, width: 1 };
  return ok({
    '@odata.context': `${ctx.base}/$metadata#users('${u.user.id}')/photo/$entity`,
    '@odata.mediaContentType': u.photoType ?? 'image/png',
    ...meta,
  });
}

function mailboxSettings(ctx: Ctx): GRes {
  const u = ctx.user!;
  const s: MG.MailboxSettings = {
    archiveFolder: null,
    timeZone:
      u.user.usageLocation === 'DE'
        ? 'W. Europe Standard Time'
        : u.user.usageLocation === 'GB'
          ? 'GMT Standard Time'
          : 'Pacific Standard Time',
    language: {
      locale: u.user.preferredLanguage ?? 'en-US',
      displayName: u.user.preferredLanguage ?? 'English (United States)',
    },
    dateFormat: 'M/d/yyyy',
    timeFormat: 'h:mm tt',
    delegateMeetingMessageDeliveryOptions: 'sendToDelegateOnly',
    userPurpose: u.purpose,
    automaticRepliesSetting: { status: 'disabled', externalAudience: 'all' },
    workingHours: {
      daysOfWeek: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'],
      startTime: '08:00:00.0000000',
      endTime: '17:00:00.0000000',
    },
  };
  const select = parseSelect(ctx.req.query.get('$select'));
  return ok({
    '@odata.context': `${ctx.base}/$metadata#users('${u.user.id}')/mailboxSettings`,
    ...project(s, select, []),
  });
}

function groupById(ctx: Ctx) {
  const g = ctx.tenant.groups.get(ctx.params.group.toLowerCase());
  if (!g) {
    if (!GUID_RE.test(ctx.params.group))
      throw new GraphError(
        400,
        'Request_BadRequest',
        `Invalid object identifier '${ctx.params.group}'.`,
      );
    throw E.userNotFound(ctx.params.group);
  }
  return g;
}

function pageOf(
  ctx: Ctx,
  path: string,
  items: Record<string, unknown>[],
  def = 100,
  max = 999,
): GRes {
  const top = pageSize(ctx, def, max);
  let offset = 0;
  const st = ctx.req.query.get('$skiptoken');
  if (st !== null) {
    const tok = decodeToken(st);
    if (!tok || typeof tok.o !== 'number')
      throw new GraphError(400, 'Request_BadRequest', `Invalid paging token specified: '${st}'.`);
    offset = tok.o;
  }
  const body: Record<string, unknown> = {
    '@odata.context': `${ctx.base}/$metadata#directoryObjects`,
    value: items.slice(offset, offset + top),
  };
  if (offset + top < items.length)
    body['@odata.nextLink'] = link(ctx.base, path, ctx.req.query, {
      $skiptoken: encodeToken({ o: offset + top }),
    });
  return ok(body);
}

function groupView(g: MG.Group, select?: string[]): Record<string, unknown> {
  return { '@odata.type': '#microsoft.graph.group', ...project(g, select) };
}
function orgContactView(c: MG.OrgContact, select?: string[]): Record<string, unknown> {
  return { '@odata.type': '#microsoft.graph.orgContact', ...project(c, select) };
}

function members(ctx: Ctx, transitive: boolean): GRes {
  const t = ctx.tenant;
  const root = groupById(ctx);
  const select = parseSelect(ctx.req.query.get('$select'));
  const out: Record<string, unknown>[] = [];
  const seenU = new Set<string>();
  const seenG = new Set<string>([root.group.id]);
  const seenC = new Set<string>();
  const walk = (gid: string) => {
    const g = t.groups.get(gid);
    if (!g) return;
    for (const uid of g.memberUserIds) {
      const u = t.users.get(uid);
      if (!u || u.deleted || seenU.has(uid)) continue;
      seenU.add(uid);
      out.push({ '@odata.type': '#microsoft.graph.user', ...userView(u, select) });
    }
    for (const cid of g.memberContactIds) {
      const c = t.orgContacts.get(cid);
      if (!c || seenC.has(cid)) continue;
      seenC.add(cid);
      out.push(orgContactView(c, select));
    }
    for (const sub of g.memberGroupIds) {
      if (seenG.has(sub)) continue;
      seenG.add(sub);
      const sg = t.groups.get(sub);
      if (sg) out.push(groupView(sg.group, select));
      if (transitive) walk(sub);
    }
  };
  walk(root.group.id);
  const path = `/groups/${root.group.id}/${transitive ? 'transitiveMembers' : 'members'}`;
  const f = ctx.req.query.get('$filter');
  let items = out;
  if (f) {
    const info = parseFilter(f);
    items = items.filter((x) => evaluate(info.node, x));
  }
  return pageOf(ctx, path, items);
}

function typeCast(ctx: Ctx, transitive: boolean, type: string): GRes {
  const res = members(ctx, transitive);
  const b = res.body as { value: Record<string, unknown>[] };
  b.value = b.value.filter((x) => x['@odata.type'] === `#${type}`);
  return res;
}

/** A directoryRole's object id: per tenant and role template, stable. */
function directoryRoleId(tenantId: string, templateId: string): string {
  const h = createHash('sha256').update(`role|${tenantId}|${templateId}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * A user's direct memberships: groups and active directory roles (a PIM-eligible role is no
 * membership until activated). `/memberOf/microsoft.graph.directoryRole` casts to the roles.
 * https://learn.microsoft.com/graph/api/user-list-memberof
 */
function memberOf(ctx: Ctx, cast?: 'microsoft.graph.directoryRole'): GRes {
  const u = ctx.user!;
  const roles: Record<string, unknown>[] = activeDirectoryRoles(u).map((templateId) => ({
    '@odata.type': '#microsoft.graph.directoryRole',
    id: directoryRoleId(ctx.tenant.id, templateId),
    deletedDateTime: null,
    description: null,
    displayName: roleDisplayName(templateId),
    roleTemplateId: templateId,
  }));
  const groups: Record<string, unknown>[] = cast
    ? []
    : [...ctx.tenant.groups.values()]
        .filter((g) => g.memberUserIds.includes(u.user.id))
        .map((g) => groupView(g.group));
  const path = `/users/${ctx.params.user}/memberOf${cast ? `/${cast}` : ''}`;
  return pageOf(ctx, path, [...roles, ...groups]);
}

export function directoryRoutes(): Route[] {
  return [
    {
      method: 'GET',
      pattern: '/users/{user}/memberOf',
      op: 'users.memberOf',
      scope: 'directory',
      perms: [...READ_USERS, 'GroupMember.Read.All'],
      handler: (c) => memberOf(c),
    },
    {
      method: 'GET',
      pattern: '/users/{user}/memberOf/microsoft.graph.directoryRole',
      op: 'users.memberOf',
      scope: 'directory',
      perms: [...READ_USERS, 'GroupMember.Read.All'],
      handler: (c) => memberOf(c, 'microsoft.graph.directoryRole'),
    },
    {
      method: 'GET',
      pattern: '/users',
      op: 'users.list',
      scope: 'directory',
      perms: READ_USERS,
      handler: listUsers,
    },
    {
      method: 'GET',
      pattern: '/users/$count',
      op: 'users.count',
      scope: 'directory',
      perms: READ_USERS,
      handler: countUsers,
    },
    {
      method: 'GET',
      pattern: '/users/delta',
      op: 'users.delta',
      scope: 'directory',
      perms: READ_USERS,
      handler: usersDelta,
    },
    {
      method: 'GET',
      pattern: '/users/{user}',
      op: 'users.get',
      scope: 'directory',
      perms: READ_USERS,
      handler: getUser,
    },
    {
      method: 'GET',
      pattern: '/users/{user}/photo',
      op: 'users.photo',
      scope: 'directory',
      perms: READ_USERS,
      handler: (c) => userPhoto(c, false),
    },
    {
      method: 'GET',
      pattern: '/users/{user}/photo/$value',
      op: 'users.photo',
      scope: 'directory',
      perms: READ_USERS,
      handler: (c) => userPhoto(c, true),
    },
    {
      method: 'GET',
      pattern: '/users/{user}/mailboxSettings',
      op: 'mailboxSettings.get',
      scope: 'mailbox',
      perms: READ_MAILBOXSETTINGS,
      handler: mailboxSettings,
    },
    {
      method: 'GET',
      pattern: '/groups',
      op: 'groups.list',
      scope: 'directory',
      perms: READ_GROUPS,
      handler: (ctx) => {
        const select = parseSelect(ctx.req.query.get('$select'));
        let gs = [...ctx.tenant.groups.values()].map((g) => g.group);
        const f = ctx.req.query.get('$filter');
        if (f) {
          const info = parseFilter(f);
          gs = gs.filter((g) => evaluate(info.node, g));
        }
        return pageOf(
          ctx,
          '/groups',
          gs.map((g) => project(g, select)),
        );
      },
    },
    {
      method: 'GET',
      pattern: '/groups/{group}',
      op: 'groups.get',
      scope: 'directory',
      perms: READ_GROUPS,
      handler: (ctx) =>
        ok(project(groupById(ctx).group, parseSelect(ctx.req.query.get('$select')))),
    },
    {
      method: 'GET',
      pattern: '/groups/{group}/members',
      op: 'groups.members',
      scope: 'directory',
      perms: READ_GROUPS,
      handler: (c) => members(c, false),
    },
    {
      method: 'GET',
      pattern: '/groups/{group}/transitiveMembers',
      op: 'groups.transitiveMembers',
      scope: 'directory',
      perms: READ_GROUPS,
      handler: (c) => members(c, true),
    },
    {
      method: 'GET',
      pattern: '/groups/{group}/transitiveMembers/microsoft.graph.user',
      op: 'groups.transitiveMembers',
      scope: 'directory',
      perms: READ_GROUPS,
      handler: (c) => typeCast(c, true, 'microsoft.graph.user'),
    },
    {
      method: 'GET',
      pattern: '/groups/{group}/members/microsoft.graph.user',
      op: 'groups.members',
      scope: 'directory',
      perms: READ_GROUPS,
      handler: (c) => typeCast(c, false, 'microsoft.graph.user'),
    },
    {
      method: 'GET',
      pattern: '/contacts',
      op: 'orgContacts.list',
      scope: 'directory',
      perms: READ_ORGCONTACTS,
      handler: (ctx) => {
        const select = parseSelect(ctx.req.query.get('$select'));
        return pageOf(
          ctx,
          '/contacts',
          [...ctx.tenant.orgContacts.values()].map((c) => project(c, select)),
        );
      },
    },
    {
      method: 'GET',
      pattern: '/contacts/{orgContact}',
      op: 'orgContacts.get',
      scope: 'directory',
      perms: READ_ORGCONTACTS,
      handler: (ctx) => {
        const c = ctx.tenant.orgContacts.get(ctx.params.orgContact.toLowerCase());
        if (!c) throw E.userNotFound(ctx.params.orgContact);
        return ok(project(c, parseSelect(ctx.req.query.get('$select'))));
      },
    },
    {
      method: 'GET',
      pattern: '/organization',
      op: 'organization.get',
      scope: 'directory',
      perms: [],
      handler: (ctx) => {
        const org: MG.Organization = {
          id: ctx.tenant.id,
          displayName: ctx.tenant.displayName,
          verifiedDomains: [
            {
              name: ctx.tenant.domain,
              isDefault: true,
              isInitial: true,
              type: 'Managed',
              capabilities: 'Email, OfficeCommunicationsOnline',
            },
          ],
          onPremisesSyncEnabled: true,
        };
        return ok({ '@odata.context': `${ctx.base}/$metadata#organization`, value: [org] });
      },
    },
  ];
}
