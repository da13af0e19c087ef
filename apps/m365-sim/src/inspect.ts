/** /_sim/: inspection and fault control (not part of Microsoft's API). */
import { activeDirectoryRoles } from './identity/directory-roles';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type * as MG from '@microsoft/microsoft-graph-types';
import { createHash, randomUUID } from 'node:crypto';
import type { SimState } from './sim';
import { readBody, sendJson } from './core/http';
import type { SimUser, Tenant } from './store/model';
import { addUser } from './store/seed';
import { galIdOf } from './ews/find-people';
import type { FaultConfig } from './core/faults';
import type { EwsAccountOption } from './sim-options';

export interface SimInfo {
  baseUrl: string;
  graphBaseUrl: string;
  ewsUrl: string;
  caPath: string;
  apps: { clientId: string; clientSecret: string; displayName: string; requiredRoles: string[] }[];
  tenants: {
    id: string;
    domain: string;
    displayName: string;
    adminUpn: string;
    adminId: string;
    users: number;
    consented: string[];
    /** Exchange Server only (option ewsOnlyTenants): no Microsoft 365 behind it */
    ewsOnly: boolean;
    /** the Global Address List's id (FindPeople's AddressListId) */
    galId: string;
  }[];
  ewsAccounts: EwsAccountOption[];
}

export function info(sim: SimState, caPath: string): SimInfo {
  return {
    baseUrl: sim.baseUrl,
    graphBaseUrl: `${sim.baseUrl}/v1.0`,
    ewsUrl: `${sim.baseUrl}/EWS/Exchange.asmx`,
    caPath,
    apps: sim.opts.apps.map((a) => ({
      clientId: a.clientId,
      clientSecret: a.secrets[0],
      displayName: a.displayName,
      requiredRoles: a.requiredRoles,
    })),
    tenants: sim.tenants.map((t) => ({
      id: t.id,
      domain: t.domain,
      displayName: t.displayName,
      adminUpn: t.users.get(t.adminUserId)!.user.userPrincipalName!,
      adminId: t.adminUserId,
      users: [...t.users.values()].filter((u) => !u.deleted).length,
      consented: [...t.servicePrincipals.keys()],
      ewsOnly: t.ewsOnly === true,
      galId: galIdOf(t),
    })),
    ewsAccounts: sim.opts.ewsAccounts,
  };
}

function simUserView(u: SimUser): Record<string, unknown> {
  return {
    id: u.user.id,
    userPrincipalName: u.user.userPrincipalName,
    mail: u.user.mail,
    displayName: u.user.displayName,
    accountEnabled: u.user.accountEnabled,
    mailbox: u.mailbox,
    purpose: u.purpose,
    globalAdmin: u.globalAdmin,
    directoryRoles: activeDirectoryRoles(u),
    eligibleDirectoryRoles: u.eligibleDirectoryRoles ?? [],
    customDirectoryRoles: u.customDirectoryRoles ?? [],
    appRoles: u.appRoles,
    hasPhoto: !!u.photo,
    photoContentType: u.photo ? (u.photoType ?? 'image/png') : undefined,
    photoSha256: u.photo ? createHash('sha256').update(u.photo).digest('hex') : undefined,
    licensed: (u.user.assignedLicenses ?? []).length > 0,
    deleted: u.deleted,
  };
}

export async function handleSim(
  sim: SimState,
  caPath: string,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const seg = url.pathname.split('/').filter(Boolean).slice(1).map(decodeURIComponent);
  const method = req.method ?? 'GET';
  let body: Record<string, unknown> = {};
  if (method !== 'GET' && method !== 'DELETE') {
    const raw = (await readBody(req)).toString('utf8');
    if (raw.trim()) {
      try {
        body = JSON.parse(raw);
      } catch {
        return sendJson(res, 400, { error: 'invalid JSON' });
      }
    }
  }
  const notFound = () =>
    sendJson(res, 404, { error: `no such /_sim route: ${method} ${url.pathname}` });
  const tenantOf = (id: string): Tenant | undefined => sim.tenant(id);

  if (seg[0] === 'info' && method === 'GET') return sendJson(res, 200, info(sim, caPath));
  if (seg[0] === 'reset' && method === 'POST') {
    sim.reset();
    return sendJson(res, 200, { ok: true });
  }
  if (seg[0] === 'stats') {
    if (method === 'DELETE' || (method === 'POST' && seg[1] === 'reset')) {
      sim.ops.clear();
      sim.ewsStats.resetCounters();
      sim.httpClientErrors = {};
      for (const s of sim.throttler.mailboxes.values()) {
        s.maxSeen = s.active;
        s.throttled = 0;
        s.requests = 0;
        s.earlyRequests = 0;
        s.concurrencyRefused = 0;
      }
      sim.throttler.concurrencyRefused = 0;
      return sendJson(res, 200, { ok: true });
    }
    const ops: Record<string, unknown> = {};
    let total = 0;
    let throttled = 0;
    for (const [k, v] of sim.ops) {
      ops[k] = v;
      if (k !== 'batch' && k !== 'events.invitationsSent' && !k.startsWith('ews.')) {
        total += v.count;
        throttled += v.throttled;
      }
    }
    const mailboxes: Record<string, unknown>[] = [];
    for (const [key, s] of sim.throttler.mailboxes) {
      const [clientId, tenantId, userId] = key.split('|');
      const t = sim.tenantsById.get(tenantId);
      mailboxes.push({
        clientId,
        tenantId,
        userId,
        upn: t?.users.get(userId)?.user.userPrincipalName,
        requests: s.requests,
        throttled: s.throttled,
        maxConcurrency: s.maxSeen,
        active: s.active,
        earlyRequests: s.earlyRequests,
        concurrencyRefused: s.concurrencyRefused,
      });
    }
    return sendJson(res, 200, {
      ops,
      total,
      throttled,
      concurrencyRefused: sim.throttler.concurrencyRefused,
      mailboxes,
      tokensIssued: sim.issuedTokens,
      httpClientErrors: sim.httpClientErrors,
      ews: sim.ewsStats.toJSON(),
    });
  }
  if (seg[0] === 'throttle' && seg[1] === 'advance' && seg.length === 2 && method === 'POST') {
    // Moves the throttle clock: the sliding windows (mailbox, directory, app) see `seconds` pass,
    // so a test gets a slot back without waiting out a Retry-After in real time.
    const seconds = body.seconds;
    if (typeof seconds !== 'number' || !(seconds > 0 && seconds <= 86_400))
      return sendJson(res, 400, {
        error: `seconds: expected a number of seconds above 0 and at most 86400, got ${JSON.stringify(seconds) ?? 'nothing'}`,
      });
    sim.throttler.advance(seconds * 1000);
    return sendJson(res, 200, {
      advancedSeconds: seconds,
      clockAheadSeconds: sim.throttler.clockAheadMs / 1000,
    });
  }
  if (seg[0] === 'faults') {
    if (method === 'DELETE') {
      sim.faults.clear();
      // EWS back-offs in progress end with the faults that caused them
      for (const m of sim.ewsStats.mailboxes.values()) m.backOffUntil = 0;
      return sendJson(res, 200, { ok: true });
    }
    if (method === 'PUT' || method === 'POST') {
      sim.faults.set(body as FaultConfig);
      return sendJson(res, 200, sim.faults.cfg);
    }
    return sendJson(res, 200, sim.faults.cfg);
  }
  if (seg[0] === 'ews') {
    // every EWS response the endpoint sent while recording (option ewsRecordResponses)
    if (seg[1] === 'responses' && seg.length === 2) {
      if (method === 'GET') return sendJson(res, 200, { responses: sim.ewsStats.recorded });
      if (method === 'DELETE') {
        sim.ewsStats.recorded.length = 0;
        return sendJson(res, 200, { ok: true });
      }
    }
    // switch an EWS service account's Basic authentication, impersonation right or password
    if (seg[1] === 'accounts' && seg.length === 3 && (method === 'PATCH' || method === 'PUT')) {
      const a = sim.opts.ewsAccounts.find((x) => x.userName.toLowerCase() === seg[2].toLowerCase());
      if (!a) return sendJson(res, 404, { error: `unknown EWS account ${seg[2]}` });
      if (typeof body.basicAuth === 'boolean') a.basicAuth = body.basicAuth;
      if (typeof body.impersonation === 'boolean') a.impersonation = body.impersonation;
      if (typeof body.password === 'string') a.password = body.password;
      return sendJson(res, 200, a);
    }
    return notFound();
  }
  if (seg[0] === 'config' && (method === 'PUT' || method === 'PATCH' || method === 'POST')) {
    if (body.batchMode === 'strict' || body.batchMode === 'outlook4')
      sim.batchMode = body.batchMode;
    if (body.throttle && typeof body.throttle === 'object') {
      Object.assign(sim.opts.throttle, body.throttle);
      Object.assign(sim.throttler.opts, body.throttle);
      sim.throttler.reset();
    }
    if (body.serviceTimeMs && typeof body.serviceTimeMs === 'object')
      Object.assign(sim.opts.serviceTimeMs, body.serviceTimeMs);
    if (typeof body.serviceTimeJitterMs === 'number')
      sim.opts.serviceTimeJitterMs = body.serviceTimeJitterMs;
    if (typeof body.tokenLifetimeSeconds === 'number')
      sim.opts.tokenLifetimeSeconds = body.tokenLifetimeSeconds;
    if (typeof body.deltaTokenTtlSeconds === 'number')
      sim.opts.deltaTokenTtlSeconds = body.deltaTokenTtlSeconds;
    if (typeof body.ewsRecordResponses === 'boolean')
      sim.opts.ewsRecordResponses = body.ewsRecordResponses;
    if (typeof body.ewsBackOffMs === 'number') sim.opts.ewsBackOffMs = body.ewsBackOffMs;
    if (typeof body.ewsMaxConcurrency === 'number')
      sim.opts.ewsMaxConcurrency = body.ewsMaxConcurrency;
    return sendJson(res, 200, {
      batchMode: sim.batchMode,
      throttle: sim.opts.throttle,
      serviceTimeMs: sim.opts.serviceTimeMs,
      serviceTimeJitterMs: sim.opts.serviceTimeJitterMs,
    });
  }
  if (seg[0] === 'tenants') {
    if (seg.length === 1) return sendJson(res, 200, info(sim, caPath).tenants);
    const t = tenantOf(seg[1]);
    if (!t) return sendJson(res, 404, { error: `unknown tenant ${seg[1]}` });
    const sub = seg[2];
    if (sub === 'users') {
      if (seg.length === 3 && method === 'GET')
        return sendJson(res, 200, [...t.users.values()].map(simUserView));
      if (seg.length === 3 && method === 'POST') {
        const id = randomUUID();
        const local = String(body.mailNickname ?? body.displayName ?? 'new.user')
          .toLowerCase()
          .replace(/[^a-z0-9.]/g, '');
        const upn = String(body.userPrincipalName ?? `${local}@${t.domain}`);
        const { mailbox, purpose, ...fields } = body as Record<string, unknown>;
        const user: MG.User & { id: string } = {
          id,
          displayName: 'New User',
          userPrincipalName: upn,
          mail: upn,
          accountEnabled: true,
          businessPhones: [],
          proxyAddresses: [`SMTP:${upn}`],
          otherMails: [],
          userType: 'Member',
          assignedLicenses: [{ skuId: 'c7df2760-2c81-4ef7-b578-5b5392b571df', disabledPlans: [] }],
          ...(fields as MG.User),
        };
        const su: SimUser = {
          user,
          mailbox: (mailbox as SimUser['mailbox']) ?? 'cloud',
          purpose: (purpose as SimUser['purpose']) ?? 'user',
          seq: 0,
          deleted: false,
          globalAdmin: false,
          appRoles: {},
        };
        addUser(t, su);
        return sendJson(res, 201, { ...simUserView(su), user });
      }
      const u = sim.findUser(t, seg[3] ?? '');
      if (!u) return sendJson(res, 404, { error: 'unknown user' });
      if (seg.length === 4 && method === 'GET')
        return sendJson(res, 200, { ...simUserView(u), user: u.user });
      if (seg.length === 4 && method === 'PATCH') {
        const {
          mailbox,
          purpose,
          globalAdmin,
          directoryRoles,
          eligibleDirectoryRoles,
          customDirectoryRoles,
          appRoles,
          ...fields
        } = body as Record<string, unknown>;
        // Directory roles (active and PIM-eligible) and app role assignments of the user.
        if (typeof globalAdmin === 'boolean') u.globalAdmin = globalAdmin;
        if (Array.isArray(directoryRoles)) u.directoryRoles = directoryRoles.map(String);
        if (Array.isArray(customDirectoryRoles))
          u.customDirectoryRoles = customDirectoryRoles.map(String);
        if (Array.isArray(eligibleDirectoryRoles))
          u.eligibleDirectoryRoles = eligibleDirectoryRoles.map(String);
        if (appRoles && typeof appRoles === 'object')
          u.appRoles = appRoles as Record<string, string[]>;
        const oldMail = u.user.mail;
        Object.assign(u.user, fields);
        // Exchange keeps the old primary address as an alias when the primary changes
        if (
          typeof fields.mail === 'string' &&
          fields.mail !== oldMail &&
          !('proxyAddresses' in fields)
        )
          u.user.proxyAddresses = [
            `SMTP:${fields.mail}`,
            ...(u.user.proxyAddresses ?? [])
              .map((p) => (p.startsWith('SMTP:') ? `smtp:${p.slice(5)}` : p))
              .filter((p) => p.slice(5).toLowerCase() !== fields.mail!.toString().toLowerCase()),
          ];
        if (mailbox) u.mailbox = mailbox as SimUser['mailbox'];
        if (purpose) u.purpose = purpose as SimUser['purpose'];
        t.usersByUpn.set(u.user.userPrincipalName!.toLowerCase(), u);
        t.dirSeq++;
        u.seq = t.dirSeq;
        return sendJson(res, 200, { ...simUserView(u), user: u.user });
      }
      if (seg.length === 4 && method === 'DELETE') {
        u.deleted = true;
        t.dirSeq++;
        u.seq = t.dirSeq;
        t.usersByUpn.delete(u.user.userPrincipalName!.toLowerCase());
        return sendJson(res, 200, { ok: true });
      }
      // The user's profile photo as Entra/Exchange would hold it after the user or an admin set
      // or removed it; the user then counts as changed for /users/delta.
      if (seg.length === 5 && seg[4] === 'photo' && (method === 'PUT' || method === 'DELETE')) {
        if (method === 'PUT') {
          if (typeof body.base64 !== 'string' || typeof body.contentType !== 'string')
            return sendJson(res, 400, { error: 'expected {base64, contentType}' });
          u.photo = Buffer.from(body.base64, 'base64');
          u.photoType = body.contentType;
        } else {
          u.photo = undefined;
          u.photoType = undefined;
        }
        t.dirSeq++;
        u.seq = t.dirSeq;
        return sendJson(res, 200, simUserView(u));
      }
      if (seg[4] === 'mailbox' && method === 'GET') {
        const mb = t.mailboxes.get(u.user.id);
        if (!mb)
          return sendJson(res, 200, {
            contactFolders: [],
            contacts: [],
            calendars: [],
            events: [],
          });
        return sendJson(res, 200, {
          defaultContactFolderId: mb.defaultContactFolderId,
          defaultCalendarId: mb.defaultCalendarId,
          contactFolders: [...mb.contactFolders.values()],
          contacts: [...mb.contacts.values()].map((c) => ({
            ...c.data,
            folderId: c.folderId,
            folderName: mb.contactFolders.get(c.folderId)?.displayName,
            singleValueExtendedProperties: c.ext,
            hasPhoto: !!c.photo,
            photoContentType: c.photoType,
            photoSha256: c.photo ? createHash('sha256').update(c.photo).digest('hex') : undefined,
          })),
          calendars: [...mb.calendars.values()],
          events: [...mb.events.values()].map((e) => ({
            ...e.data,
            calendarId: e.calendarId,
            singleValueExtendedProperties: e.ext,
            cancelledOccurrences: [...e.cancelled],
          })),
          categories: [...mb.categories.values()],
        });
      }
      if (seg[4] === 'mailbox' && seg[5] === 'expire-delta' && method === 'POST') {
        sim.mailbox(t, u.user.id).deltaEpoch++;
        return sendJson(res, 200, { ok: true });
      }
      return notFound();
    }
    // Groups with their direct members, so a test can compute who a group target reaches
    // from the simulator's own data rather than through the code under test.
    if (sub === 'groups' && seg.length === 3 && method === 'GET')
      return sendJson(
        res,
        200,
        [...t.groups.values()].map((g) => ({
          id: g.group.id,
          displayName: g.group.displayName,
          mail: g.group.mail ?? null,
          memberUserIds: [...g.memberUserIds],
          memberGroupIds: [...g.memberGroupIds],
          memberContactIds: [...g.memberContactIds],
        })),
      );
    if (sub === 'consent') {
      const clientId = seg[3] ?? String(body.clientId ?? sim.opts.apps[0].clientId);
      const app = sim.app(clientId);
      if (!app) return sendJson(res, 404, { error: 'unknown app' });
      if (method === 'GET') {
        const sp = t.servicePrincipals.get(app.clientId);
        return sendJson(res, 200, sp ? { ...sp, roles: [...sp.roles] } : null);
      }
      if (method === 'POST' || method === 'PUT') {
        sim.grantConsent(t, app, t.adminUserId);
        if (Array.isArray(body.roles))
          t.servicePrincipals.get(app.clientId)!.roles = new Set(body.roles.map(String));
        return sendJson(res, 200, { ok: true });
      }
      if (method === 'DELETE' && seg[4] === 'roles' && seg[5]) {
        t.servicePrincipals.get(app.clientId)?.roles.delete(seg[5]);
        return sendJson(res, 200, { ok: true });
      }
      if (method === 'DELETE' && seg.length <= 4) {
        t.servicePrincipals.delete(app.clientId);
        return sendJson(res, 200, { ok: true });
      }
      return notFound();
    }
    if (sub === 'exchange-rbac') {
      // Exchange Online RBAC for Applications, as an Exchange admin sets it up with
      // New-ManagementScope and New-ManagementRoleAssignment -App <sp> -Role "Application
      // Contacts.ReadWrite" -CustomResourceScope <scope>: the app may use those permissions on
      // the scope's mailboxes only. With removeEntraGrants (default), the same permissions are
      // taken off the app's Entra grants, as Microsoft requires for the scope to limit anything
      // (the grants add up). https://learn.microsoft.com/en-us/exchange/permissions-exo/application-rbac
      const clientId = seg[3] ?? String(body.clientId ?? sim.opts.apps[0].clientId);
      const app = sim.app(clientId);
      if (!app) return sendJson(res, 404, { error: 'unknown app' });
      const view = () => {
        const a = t.exchangeAppAssignments.get(app.clientId);
        return a ? { permissions: [...a.permissions], mailboxes: [...a.mailboxes] } : null;
      };
      if (method === 'GET') return sendJson(res, 200, view());
      if (method === 'DELETE') {
        t.exchangeAppAssignments.delete(app.clientId);
        return sendJson(res, 200, { ok: true });
      }
      if (method === 'PUT') {
        const roles = Array.isArray(body.roles) ? body.roles.map(String) : [];
        const bad = roles.filter((r) => !/^Application [A-Za-z]+\.[A-Za-z.]+$/.test(r));
        if (!roles.length || bad.length)
          return sendJson(res, 400, {
            error: `roles: expected Exchange application roles such as "Application Contacts.ReadWrite"${bad.length ? `, got ${bad.join(', ')}` : ''}`,
          });
        const mailboxes = new Set<string>();
        for (const m of Array.isArray(body.mailboxes) ? body.mailboxes : []) {
          const u = sim.findUser(t, String(m));
          if (!u) return sendJson(res, 400, { error: `mailboxes: unknown user ${String(m)}` });
          mailboxes.add(u.user.id);
        }
        const permissions = new Set(roles.map((r: string) => r.slice('Application '.length)));
        t.exchangeAppAssignments.set(app.clientId, { permissions, mailboxes });
        if (body.removeEntraGrants !== false) {
          const sp = t.servicePrincipals.get(app.clientId);
          for (const p of permissions) sp?.roles.delete(p);
        }
        return sendJson(res, 200, view());
      }
      return notFound();
    }
    if (sub === 'expire-tokens' && method === 'POST') {
      // Tokens issued up to now answer 401 (expired); the next token is issued a second later.
      t.tokensNotBefore = Math.floor(Date.now() / 1000) + 1;
      return sendJson(res, 200, { tokensNotBefore: t.tokensNotBefore });
    }
    if (sub === 'expire-delta' && method === 'POST') {
      t.deltaEpoch++;
      for (const mb of t.mailboxes.values()) mb.deltaEpoch++;
      return sendJson(res, 200, { ok: true });
    }
    if (seg.length === 2 && method === 'GET')
      return sendJson(
        res,
        200,
        info(sim, caPath).tenants.find((x) => x.id === t.id),
      );
  }
  return notFound();
}
