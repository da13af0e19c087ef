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
  type Node,
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
import {
  isSingleUserOnly,
  USER_DEFAULT_PROPERTIES,
  userPropertyDefault,
  userPropertyName,
} from './user-properties';
import { activeDirectoryRoles, roleDisplayName } from '../identity/directory-roles';
import { createHash } from 'node:crypto';
import { parseDirectorySearch } from './directory-search';

const ADVANCED_HINT =
  'Try adding $count=true query parameter and ConsistencyLevel:eventual header. Refer to https://aka.ms/graph-docs/advanced-queries for more information';

/** `endsWith` works on these user properties only, and only in advanced queries. */
const ENDSWITH_USER_PROPS = new Set(['mail', 'othermails', 'userprincipalname', 'proxyaddresses']);

/**
 * `$select` on users: any property of the v1.0 user type; the single-user-only ones fail on a
 * list (501, as reported in the field) or a delta request (400, its documented message).
 */
function checkUserSelect(select: string[] | undefined, request: 'single' | 'list' | 'delta'): void {
  for (const s of select ?? []) {
    if (!userPropertyName(s))
      throw new GraphError(
        400,
        'Request_BadRequest',
        `Could not find a property named '${s}' on type 'Microsoft.DirectoryServices.User'.`,
      );
  }
  if (request === 'single') return;
  const single = (select ?? []).filter(isSingleUserOnly);
  if (!single.length) return;
  if (request === 'delta')
    throw new GraphError(
      400,
      'BadRequest',
      `Invalid request for delta query: for this entity set, $expand/$select is not supported for the following properties: ${single.join(',')}`,
    );
  throw new GraphError(501, 'NotImplemented', 'This operation target is not yet supported.');
}

/** A user as Graph answers it: the selected (or default) properties, unset ones null or []. */
function userView(u: SimUser, select: string[] | undefined): Record<string, unknown> {
  const src = u.user as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  if (select) out.id = u.user.id;
  for (const s of select ?? USER_DEFAULT_PROPERTIES) {
    const name = userPropertyName(s) ?? s;
    if (name === 'mailboxSettings') {
      out[name] = mailboxSettingsOf(u);
      continue;
    }
    const v = src[name];
    out[name] = v === undefined || v === null ? userPropertyDefault(name) : v;
  }
  return out;
}

/** `@odata.context`: `#users`, `#users(id,displayName)`, `#groups/$entity`, … */
function contextOf(ctx: Ctx, set: string, select?: string[], entity = false): string {
  return `${ctx.base}/$metadata#${set}${select?.length ? `(${select.join(',')})` : ''}${entity ? '/$entity' : ''}`;
}

/** The advanced query parameters: `ConsistencyLevel: eventual` and `$count=true`. */
function advancedParams(ctx: Ctx): boolean {
  return eventual(ctx) && (ctx.req.query.get('$count') ?? '').toLowerCase() === 'true';
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

/** Properties `endsWith` is applied to (not lambda variables: `proxyAddresses/any(p: endsWith(p, …))`). */
function endsWithPaths(n: Node, vars: Set<string> = new Set(), owner?: string): string[] {
  switch (n.k) {
    case 'and':
    case 'or':
      return [...endsWithPaths(n.a, vars, owner), ...endsWithPaths(n.b, vars, owner)];
    case 'not':
      return endsWithPaths(n.a, vars, owner);
    case 'any':
      return n.body ? endsWithPaths(n.body, new Set([...vars, n.v]), n.path.split('/')[0]) : [];
    case 'fn': {
      if (n.fn !== 'endswith') return [];
      const head = n.path.split('/')[0];
      return [vars.has(head) ? (owner ?? head) : head];
    }
    default:
      return [];
  }
}

/** The user with unset collections as [] (what filters see, as in Graph). */
function normalizedUser(u: SimUser): Record<string, unknown> {
  const out: Record<string, unknown> = { ...u.user };
  for (const k of [
    'proxyAddresses',
    'otherMails',
    'assignedLicenses',
    'businessPhones',
    'imAddresses',
  ])
    if (out[k] === undefined || out[k] === null) out[k] = [];
  return out;
}

function filterUsers(ctx: Ctx, users: SimUser[], countSegment = false): SimUser[] {
  const f = ctx.req.query.get('$filter');
  const search = ctx.req.query.get('$search');
  if (search !== null) {
    if (!eventual(ctx))
      throw new GraphError(
        400,
        'Request_UnsupportedQuery',
        "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'",
      );
    const matches = parseDirectorySearch(search, userPropertyName);
    users = users.filter((u) => matches(normalizedUser(u)));
  }
  if (!f) return users;
  const info = parseFilter(f);
  for (const p of filterPaths(info.node)) {
    if (!userPropertyName(p))
      throw new GraphError(
        400,
        'Request_BadRequest',
        `Property '${p}' does not exist as a declared property or extension property.`,
      );
  }
  for (const p of endsWithPaths(info.node)) {
    if (!ENDSWITH_USER_PROPS.has(p.toLowerCase()))
      throw E.unsupportedQuery(
        `Unsupported or invalid query filter clause specified for property '${p}' of resource 'User'.`,
      );
  }
  // /users/$count is itself the $count: there the header is enough
  if (info.advanced && !(countSegment ? eventual(ctx) : advancedParams(ctx))) {
    throw E.unsupportedQuery(
      `Operator '${info.advancedOps[0]}' is not supported because the required parameters might be missing. ${ADVANCED_HINT}`,
    );
  }
  return users.filter((u) => evaluate(info.node, normalizedUser(u)));
}

function liveUsers(t: Tenant): SimUser[] {
  return [...t.users.values()].filter((u) => !u.deleted);
}

/** `$orderby` per property: works by default, or only with the advanced query parameters. */
type OrderSupport = Record<string, 'default' | 'advanced'>;
const USER_ORDERBY: OrderSupport = {
  displayname: 'default',
  userprincipalname: 'default',
  createddatetime: 'advanced',
  deleteddatetime: 'advanced',
};
const GROUP_ORDERBY: OrderSupport = { displayname: 'default', deleteddatetime: 'advanced' };

/**
 * `$orderby` on directory objects as the advanced query page tables it: some properties sort
 * by default, some only in advanced queries, the rest not at all; and `$filter` with `$orderby`
 * in one query is always an advanced query.
 * https://learn.microsoft.com/graph/aad-advanced-queries#support-for-sorting-by-properties-of-microsoft-entra-id-directory-objects
 */
function orderBy<T>(
  ctx: Ctx,
  items: T[],
  support: OrderSupport,
  resource: string,
  view: (x: T) => Record<string, unknown>,
): T[] {
  const spec = ctx.req.query.get('$orderby');
  if (!spec) return items;
  const keys = spec.split(',').map((part) => {
    const [prop, dir = 'asc', extra] = part.trim().split(/\s+/);
    const how = support[prop.toLowerCase()];
    if (!prop || extra !== undefined || !['asc', 'desc'].includes(dir.toLowerCase()))
      throw E.badRequest(`Invalid $orderby clause: '${part.trim()}'.`, 'BadRequest');
    if (!how)
      throw E.unsupportedQuery(
        `Unsupported or invalid query filter clause specified for property '${prop}' of resource '${resource}'.`,
      );
    if (how === 'advanced' && !advancedParams(ctx))
      throw E.unsupportedQuery(
        `Sorting by '${prop}' is not supported because the required parameters might be missing. ${ADVANCED_HINT}`,
      );
    return { prop, desc: dir.toLowerCase() === 'desc' };
  });
  if (ctx.req.query.get('$filter') && !advancedParams(ctx))
    throw E.unsupportedQuery('Sorting not supported for current query.');
  const value = (x: T, prop: string): string => {
    const rec = view(x);
    const k = Object.keys(rec).find((n) => n.toLowerCase() === prop.toLowerCase());
    const v = k === undefined ? null : rec[k];
    return v === null || v === undefined ? '' : String(v);
  };
  return [...items].sort((a, b) => {
    for (const { prop, desc } of keys) {
      const c = value(a, prop).localeCompare(value(b, prop), 'en', { sensitivity: 'base' });
      if (c !== 0) return desc ? -c : c;
    }
    return 0;
  });
}

function listUsers(ctx: Ctx): GRes {
  const select = parseSelect(ctx.req.query.get('$select'));
  checkUserSelect(select, 'list');
  const top = pageSize(ctx, 100, 999);
  // without ConsistencyLevel: eventual, `$count=true` is silently ignored (documented)
  const count = advancedParams(ctx);
  const all = orderBy(ctx, filterUsers(ctx, liveUsers(ctx.tenant)), USER_ORDERBY, 'User', (u) =>
    normalizedUser(u),
  );
  let offset = 0;
  const st = ctx.req.query.get('$skiptoken');
  if (st !== null) {
    const tok = decodeToken(st);
    if (!tok || tok.k !== 'users' || typeof tok.o !== 'number')
      throw new GraphError(400, 'Request_BadRequest', `Invalid paging token specified: '${st}'.`);
    offset = tok.o;
  }
  const page = all.slice(offset, offset + top);
  const body: Record<string, unknown> = { '@odata.context': contextOf(ctx, 'users', select) };
  if (count) body['@odata.count'] = all.length;
  body.value = page.map((u) => userView(u, select));
  if (offset + top < all.length) {
    body['@odata.nextLink'] = link(ctx.base, '/users', ctx.req.query, {
      $skiptoken: encodeToken({ k: 'users', o: offset + top }),
    });
  }
  return ok(body);
}

function countUsers(ctx: Ctx): GRes {
  if (!eventual(ctx))
    throw new GraphError(400, 'Request_BadRequest', '$count is not currently supported.');
  return {
    status: 200,
    raw: Buffer.from(String(filterUsers(ctx, liveUsers(ctx.tenant), true).length)),
    contentType: 'text/plain',
  };
}

function getUser(ctx: Ctx): GRes {
  const select = parseSelect(ctx.req.query.get('$select'));
  checkUserSelect(select, 'single');
  return ok({
    '@odata.context': contextOf(ctx, 'users', select, true),
    ...userView(ctx.user!, select),
  });
}

/**
 * /users/delta: a full pass (pages), then deltaLinks; tokens expire after deltaTokenTtlSeconds.
 * `$deltatoken=latest` answers no users and a deltaLink from now: changes only from here on.
 * https://learn.microsoft.com/graph/delta-query-overview#use-delta-query-to-track-changes-in-a-resource-collection
 */
function usersDelta(ctx: Ctx): GRes {
  const t = ctx.tenant;
  const q = ctx.req.query;
  const select = parseSelect(q.get('$select'));
  checkUserSelect(select, 'delta');
  const size = q.get('$top') ? pageSize(ctx, 100, 999) : 100;
  const now = Date.now();
  let state: { base: number; snap: number; off: number; ts: number; e: number };
  const dt = q.get('$deltatoken') ?? q.get('$skiptoken');
  if (q.get('$deltatoken')?.toLowerCase() === 'latest') {
    state = { base: t.dirSeq, snap: t.dirSeq, off: 0, ts: now, e: t.deltaEpoch };
  } else if (dt !== null) {
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
  const body: Record<string, unknown> = {
    '@odata.context': contextOf(ctx, 'users', select),
    value,
  };
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

/**
 * /groups/delta: a full pass over the groups (pages), then a deltaLink; `$deltatoken=latest`
 * starts from now. Groups do not change in the simulator, so a later round answers none.
 * https://learn.microsoft.com/graph/api/group-delta
 */
function groupsDelta(ctx: Ctx): GRes {
  const t = ctx.tenant;
  const q = ctx.req.query;
  const select = parseSelect(q.get('$select'));
  const size = q.get('$top') ? pageSize(ctx, 100, 999) : 100;
  const now = Date.now();
  const dt = q.get('$deltatoken');
  const st = q.get('$skiptoken');
  let full = true;
  let off = 0;
  if (dt?.toLowerCase() === 'latest') full = false;
  else if (dt !== null || st !== null) {
    const tok = decodeToken((dt ?? st)!);
    if (!tok || tok.k !== 'gd' || tok.tid !== t.id) throw E.syncStateNotFound();
    if (
      Number(tok.e) !== t.deltaEpoch ||
      now - Number(tok.ts) > ctx.sim.opts.deltaTokenTtlSeconds * 1000
    )
      throw E.syncStateNotFound();
    if (dt !== null) full = false;
    else off = Number(tok.off);
  }
  const all = full ? [...t.groups.values()].map((g) => project(g.group, select)) : [];
  const body: Record<string, unknown> = {
    '@odata.context': contextOf(ctx, 'groups', select),
    value: all.slice(off, off + size),
  };
  const drop = ['$deltatoken', '$skiptoken'];
  const tok = (o: number) => encodeToken({ k: 'gd', tid: t.id, off: o, ts: now, e: t.deltaEpoch });
  if (off + size < all.length)
    body['@odata.nextLink'] = link(
      ctx.base,
      '/groups/delta',
      q,
      { $skiptoken: tok(off + size) },
      drop,
    );
  else body['@odata.deltaLink'] = link(ctx.base, '/groups/delta', q, { $deltatoken: tok(0) }, drop);
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

function mailboxSettingsOf(u: SimUser): MG.MailboxSettings {
  return {
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
}

function mailboxSettings(ctx: Ctx): GRes {
  const u = ctx.user!;
  const s = mailboxSettingsOf(u);
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
  context = contextOf(ctx, 'directoryObjects'),
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
  const body: Record<string, unknown> = { '@odata.context': context };
  // `@odata.count` with the advanced query parameters; `$count=true` alone is ignored
  if (advancedParams(ctx)) body['@odata.count'] = items.length;
  body.value = items.slice(offset, offset + top);
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

/**
 * A group's members (direct or transitive). With an OData cast (`/microsoft.graph.user`) it is an
 * advanced query: without `ConsistencyLevel: eventual` and `$count=true` it answers 400, as the
 * advanced query page lists "Use of OData cast with transitive members list" among the queries
 * supported only with the advanced query parameters.
 * https://learn.microsoft.com/graph/aad-advanced-queries#query-scenarios-that-require-advanced-query-capabilities
 */
function members(ctx: Ctx, transitive: boolean, cast?: 'microsoft.graph.user'): GRes {
  const t = ctx.tenant;
  if (cast && !advancedParams(ctx))
    throw E.unsupportedQuery(
      `The OData cast '${cast}' is not supported because the required parameters might be missing. ${ADVANCED_HINT}`,
    );
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
  const path = `/groups/${root.group.id}/${transitive ? 'transitiveMembers' : 'members'}${cast ? `/${cast}` : ''}`;
  const f = ctx.req.query.get('$filter');
  let items = cast ? out.filter((x) => x['@odata.type'] === `#${cast}`) : out;
  if (f) {
    const info = parseFilter(f);
    if (info.advanced && !advancedParams(ctx))
      throw E.unsupportedQuery(
        `Operator '${info.advancedOps[0]}' is not supported because the required parameters might be missing. ${ADVANCED_HINT}`,
      );
    items = items.filter((x) => evaluate(info.node, x));
  }
  return pageOf(ctx, path, items, contextOf(ctx, cast ? 'users' : 'directoryObjects', select));
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
  return pageOf(
    ctx,
    path,
    [...roles, ...groups],
    contextOf(ctx, cast ? 'directoryRoles' : 'directoryObjects'),
  );
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
          if (info.advanced && !advancedParams(ctx))
            throw E.unsupportedQuery(
              `Operator '${info.advancedOps[0]}' is not supported because the required parameters might be missing. ${ADVANCED_HINT}`,
            );
          gs = gs.filter((g) => evaluate(info.node, g));
        }
        gs = orderBy(
          ctx,
          gs,
          GROUP_ORDERBY,
          'Group',
          (g) => g as unknown as Record<string, unknown>,
        );
        return pageOf(
          ctx,
          '/groups',
          gs.map((g) => project(g, select)),
          contextOf(ctx, 'groups', select),
        );
      },
    },
    {
      method: 'GET',
      pattern: '/groups/delta',
      op: 'groups.delta',
      scope: 'directory',
      perms: READ_GROUPS,
      handler: groupsDelta,
    },
    {
      method: 'GET',
      pattern: '/groups/{group}',
      op: 'groups.get',
      scope: 'directory',
      perms: READ_GROUPS,
      handler: (ctx) => {
        const select = parseSelect(ctx.req.query.get('$select'));
        return ok({
          '@odata.context': contextOf(ctx, 'groups', select, true),
          ...project(groupById(ctx).group, select),
        });
      },
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
      handler: (c) => members(c, true, 'microsoft.graph.user'),
    },
    {
      method: 'GET',
      pattern: '/groups/{group}/members/microsoft.graph.user',
      op: 'groups.members',
      scope: 'directory',
      perms: READ_GROUPS,
      handler: (c) => members(c, false, 'microsoft.graph.user'),
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
          contextOf(ctx, 'contacts', select),
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
        const select = parseSelect(ctx.req.query.get('$select'));
        return ok({
          '@odata.context': contextOf(ctx, 'contacts', select, true),
          ...project(c, select),
        });
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
