/**
 * Graph request pipeline: route -> permission (403) -> user/mailbox (404) -> throttle (429)
 * -> service time -> handler. Used for plain requests and for every $batch sub-request.
 */
import type { SimState, AuthContext } from '../sim';
import { sleep } from '../core/http';
import { E, GraphError } from './errors';
import type { Ctx, GReq, GRes, Route } from './types';
import { directoryRoutes } from './directory';
import { contactRoutes } from './contacts';
import { eventRoutes } from './events';

/**
 * A mailbox the app may not open: no Entra grant and no RBAC for Applications assignment whose
 * scope holds it. Microsoft documents `ErrorAccessDenied` for mailbox access an application
 * access policy denies ("Access to OData is disabled.",
 * https://learn.microsoft.com/en-us/graph/auth-limit-mailbox-access#handling-api-errors); for
 * RBAC for Applications it documents no body, and field reports show the same code with
 * "Access is denied. Check credentials and try again.", which Graph also answers without any
 * permission. Clients must go by the code, not the message.
 */
function accessDenied(): GraphError {
  return new GraphError(
    403,
    'ErrorAccessDenied',
    'Access is denied. Check credentials and try again.',
  );
}

export class GraphDispatcher {
  readonly routes: Route[];
  constructor(private sim: SimState) {
    this.routes = [...directoryRoutes(), ...contactRoutes(), ...eventRoutes()];
    for (const r of this.routes) r.segs = r.pattern.split('/').filter(Boolean);
  }

  match(
    method: string,
    path: string,
  ): {
    route?: Route;
    params: Record<string, string>;
    methodMismatch: boolean;
    badSegment?: string;
  } {
    const segs = path
      .split('/')
      .filter(Boolean)
      .map((s) => {
        try {
          return decodeURIComponent(s);
        } catch {
          return s;
        }
      });
    let methodMismatch = false;
    for (const r of this.routes) {
      const rs = r.segs!;
      if (rs.length !== segs.length) continue;
      const params: Record<string, string> = {};
      let okm = true;
      for (let i = 0; i < rs.length; i++) {
        if (rs[i].startsWith('{')) {
          if (segs[i].startsWith('$') && segs[i] !== '$value') {
            okm = false;
            break;
          }
          params[rs[i].slice(1, -1)] = segs[i];
        } else if (rs[i].toLowerCase() !== segs[i].toLowerCase()) {
          okm = false;
          break;
        }
      }
      if (!okm) continue;
      if (r.method !== method) {
        methodMismatch = true;
        continue;
      }
      return { route: r, params, methodMismatch: false };
    }
    return { params: {}, methodMismatch, badSegment: segs.at(-1) };
  }

  async dispatch(req: GReq, auth: AuthContext): Promise<GRes> {
    if (/^\/me(\/|$)/i.test(req.path)) req = { ...req, path: '/users/me' + req.path.slice(3) };
    const m = this.match(req.method, req.path);
    if (!m.route) {
      if (m.methodMismatch)
        throw new GraphError(
          405,
          'Request_BadRequest',
          `The HTTP method '${req.method}' is not supported for this resource.`,
        );
      throw new GraphError(
        400,
        'BadRequest',
        `Resource not found for the segment '${m.badSegment ?? ''}'.`,
      );
    }
    const route = m.route;
    const stat = this.sim.stat(route.op);
    stat.count++;
    try {
      return await this.run(route, m.params, req, auth);
    } catch (e) {
      if (e instanceof GraphError) {
        if (e.status === 429) stat.throttled++;
        else stat.errors++;
      } else stat.errors++;
      throw e;
    }
  }

  private async run(
    route: Route,
    params: Record<string, string>,
    req: GReq,
    auth: AuthContext,
  ): Promise<GRes> {
    const sim = this.sim;
    const granted = auth.appOnly ? auth.roles : auth.scopes;
    const self =
      !auth.appOnly &&
      /^me$/i.test(params.user ?? '') &&
      // A signed-in user reads themself and their own memberships with User.Read.
      (route.op === 'users.get' || route.op === 'users.memberOf') &&
      granted.has('User.Read');
    // Exchange's RBAC for Applications grants mailbox permissions outside the token: checked
    // once the mailbox is known (below). Entra grants and Exchange assignments add up.
    const exchange =
      auth.appOnly && route.scope === 'mailbox'
        ? auth.tenant.exchangeAppAssignments.get(auth.clientId)
        : undefined;
    const byExchange = !!exchange && route.perms.some((p) => exchange.permissions.has(p));
    if (route.perms.length && !self && !route.perms.some((p) => granted.has(p)) && !byExchange) {
      if (route.scope === 'mailbox') throw accessDenied();
      throw new GraphError(
        403,
        'Authorization_RequestDenied',
        'Insufficient privileges to complete the operation.',
      );
    }
    const scopedByExchange = byExchange && !route.perms.some((p) => granted.has(p));
    const tenant = auth.tenant;
    let parsed: unknown;
    let parsedDone = false;
    const ctx: Ctx = {
      sim,
      auth,
      req,
      params,
      tenant,
      base: `${sim.baseUrl}/v1.0`,
      json() {
        if (parsedDone) return parsed;
        parsedDone = true;
        if (req.jsonBody !== undefined) return (parsed = req.jsonBody);
        const text = req.body?.toString('utf8') ?? '';
        if (!text.trim()) throw E.invalidJson();
        try {
          parsed = JSON.parse(text);
        } catch {
          throw E.invalidJson();
        }
        return parsed;
      },
    };
    if (params.user !== undefined) {
      let uid = params.user;
      if (uid.toLowerCase() === 'me' || /^me$/i.test(uid)) {
        if (auth.appOnly || !auth.userId)
          throw new GraphError(
            400,
            'BadRequest',
            '/me request is only valid with delegated authentication flow.',
          );
        uid = auth.userId;
      }
      const u = sim.findUser(tenant, uid);
      if (!u)
        throw route.scope === 'mailbox'
          ? E.mailboxUserInvalid(params.user)
          : E.userNotFound(params.user);
      ctx.user = u;
      // Only the assignment grants access: a mailbox outside its management scope is denied.
      if (scopedByExchange && !exchange!.mailboxes.has(u.user.id)) throw accessDenied();
      if (route.scope === 'mailbox') {
        if (u.mailbox === 'none') throw E.noMailbox();
        if (u.mailbox === 'onprem') throw E.onPremMailbox();
        ctx.mailbox = sim.mailbox(tenant, u.user.id);
      }
    }
    let release: () => void = () => undefined;
    if (route.scope === 'mailbox' && ctx.user) {
      const a = sim.throttler.acquireMailbox(
        auth.clientId,
        tenant.id,
        ctx.user.user.id,
        req.receivedAt,
      );
      if (!a.ok)
        throw new GraphError(429, a.code, a.message, { 'Retry-After': String(a.retryAfter) });
      release = a.release;
    } else if (route.scope === 'directory') {
      const a = sim.throttler.acquireDirectory(auth.clientId, tenant.id);
      if (!a.ok)
        throw new GraphError(429, a.code, a.message, { 'Retry-After': String(a.retryAfter) });
      release = a.release;
    }
    try {
      await sleep(sim.serviceTime(route.op));
      return await route.handler(ctx);
    } finally {
      release();
    }
  }
}
