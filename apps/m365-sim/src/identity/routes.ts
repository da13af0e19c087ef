/**
 * Entra ID (Azure AD) v2.0 endpoints: discovery, JWKS, token (client_credentials with a
 * secret or a certificate assertion, authorization_code with PKCE, refresh_token), the
 * authorize page and the admin consent page. Error codes and messages follow
 * https://learn.microsoft.com/entra/identity-platform/reference-error-codes
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { canGrantAppPermissions, widsClaim } from './directory-roles';
import type { SimState } from '../sim';
import type { Tenant, SimUser } from '../store/model';
import type { AppRegistration } from '../sim-options';
import { escapeHtml, readBody, redirect, sendJson, sendText } from '../core/http';
import { decodeJwt, jwk, publicKeyOf, signJwt, verifyRs256 } from './jwt';
import { graphAccessTokenIssuer } from './issuers';

const GRAPH_AUDIENCE = 'https://graph.microsoft.com';
const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';

interface AuthCode {
  clientId: string;
  redirectUri: string;
  tenantId: string;
  userId: string;
  scopes: string[];
  nonce?: string;
  codeChallenge?: string;
  codeChallengeMethod?: string;
  expires: number;
}
interface RefreshGrant {
  clientId: string;
  tenantId: string;
  userId: string;
  scopes: string[];
}

export class Identity {
  private codes = new Map<string, AuthCode>();
  /** codes already presented once (until they would have expired): a second use is AADSTS54005 */
  private redeemedCodes = new Map<string, number>();
  private refreshTokens = new Map<string, RefreshGrant>();

  constructor(private sim: SimState) {}

  /** Issuer of ID tokens (v2.0 endpoint, v2.0 tokens). */
  issuer(tid: string): string {
    return `${this.sim.baseUrl}/${tid}/v2.0`;
  }

  /** Handles identity routes; returns false when the path is not an identity path. */
  async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    const seg = url.pathname.split('/').filter(Boolean);
    if (seg.length < 2) return false;
    const [tenantSeg, ...rest] = seg;
    const path = rest.join('/');
    const method = req.method ?? 'GET';
    switch (path) {
      case 'v2.0/.well-known/openid-configuration':
      case '.well-known/openid-configuration':
        return (this.discovery(res, tenantSeg), true);
      case 'discovery/v2.0/keys':
        sendJson(res, 200, {
          keys: [jwk(this.sim.key, `${this.sim.baseUrl}/{tenantid}/v2.0`)],
        });
        return true;
      case 'discovery/keys':
        sendJson(res, 200, { keys: [jwk(this.sim.key)] });
        return true;
      case 'oauth2/v2.0/token':
      case 'oauth2/token':
        if (method !== 'POST') {
          // Entra answers a GET on the token endpoint with a JSON error, not a 405.
          req.resume();
          this.aadError(
            res,
            400,
            'invalid_request',
            900561,
            `The endpoint only accepts POST, OPTIONS requests. Received a ${method} request.`,
          );
          return true;
        }
        await this.token(req, res, tenantSeg);
        return true;
      case 'oauth2/v2.0/authorize':
        await this.authorize(req, res, url, tenantSeg);
        return true;
      case 'v2.0/adminconsent':
      case 'adminconsent':
        await this.adminConsent(req, res, url, tenantSeg);
        return true;
      case 'oauth2/v2.0/logout': {
        const to = url.searchParams.get('post_logout_redirect_uri');
        if (to) redirect(res, to);
        else sendText(res, 200, '<p>Signed out.</p>', 'text/html; charset=utf-8');
        return true;
      }
      default:
        return false;
    }
  }

  private multi(seg: string): boolean {
    return ['organizations', 'common', 'consumers'].includes(seg.toLowerCase());
  }

  private discovery(res: ServerResponse, tenantSeg: string): void {
    let tid: string;
    if (this.multi(tenantSeg)) tid = '{tenantid}';
    else {
      const t = this.sim.entraTenant(tenantSeg);
      if (!t) {
        this.aadError(
          res,
          400,
          'invalid_tenant',
          90002,
          `Tenant '${tenantSeg}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
        );
        return;
      }
      tid = t.id;
    }
    const b = this.sim.baseUrl;
    const seg = this.multi(tenantSeg) ? tenantSeg.toLowerCase() : tid;
    sendJson(res, 200, {
      token_endpoint: `${b}/${seg}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: [
        'client_secret_post',
        'private_key_jwt',
        'client_secret_basic',
      ],
      jwks_uri: `${b}/${seg}/discovery/v2.0/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      issuer: `${b}/${tid}/v2.0`,
      request_uri_parameter_supported: false,
      userinfo_endpoint: `${b}/oidc/userinfo`,
      authorization_endpoint: `${b}/${seg}/oauth2/v2.0/authorize`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${b}/${seg}/oauth2/v2.0/logout`,
      claims_supported: [
        'sub',
        'iss',
        'aud',
        'exp',
        'iat',
        'auth_time',
        'acr',
        'nonce',
        'preferred_username',
        'name',
        'tid',
        'ver',
        'at_hash',
        'c_hash',
        'email',
        'oid',
        'roles',
      ],
      tenant_region_scope: 'EU',
      cloud_instance_name: 'microsoftonline.com',
      cloud_graph_host_name: 'graph.windows.net',
      msgraph_host: 'graph.microsoft.com',
      rbac_url: 'https://pas.windows.net',
    });
  }

  aadError(
    res: ServerResponse,
    status: number,
    error: string,
    code: number,
    description: string,
    extra: Record<string, unknown> = {},
  ): void {
    const trace = randomUUID();
    const corr = randomUUID();
    const ts = new Date().toISOString().replace('T', ' ').slice(0, 19) + 'Z';
    sendJson(res, status, {
      error,
      error_description: `AADSTS${code}: ${description} Trace ID: ${trace} Correlation ID: ${corr} Timestamp: ${ts}`,
      error_codes: [code],
      timestamp: ts,
      trace_id: trace,
      correlation_id: corr,
      error_uri: `${this.sim.baseUrl}/error?code=${code}`,
      ...extra,
    });
  }

  private async token(req: IncomingMessage, res: ServerResponse, tenantSeg: string): Promise<void> {
    const body = new URLSearchParams((await readBody(req, 256 * 1024)).toString('utf8'));
    if (this.sim.faults.tokenOutage()) {
      this.aadError(
        res,
        503,
        'temporarily_unavailable',
        50196,
        'The server is temporarily unavailable. Please retry.',
      );
      return;
    }
    const grant = body.get('grant_type');
    // client authentication: body params or HTTP Basic
    let clientId = body.get('client_id') ?? '';
    let clientSecret = body.get('client_secret') ?? undefined;
    const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? '');
    if (basic) {
      const [id, secret] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
      clientId = clientId || decodeURIComponent(id ?? '');
      clientSecret = clientSecret ?? decodeURIComponent(secret ?? '');
    }
    if (!grant) {
      this.aadError(
        res,
        400,
        'invalid_request',
        900144,
        "The request body must contain the following parameter: 'grant_type'.",
      );
      return;
    }
    if (!clientId) {
      this.aadError(
        res,
        400,
        'invalid_request',
        900144,
        "The request body must contain the following parameter: 'client_id'.",
      );
      return;
    }
    const multi = this.multi(tenantSeg);
    const tenant = multi ? undefined : this.sim.entraTenant(tenantSeg);
    if (!multi && !tenant) {
      this.aadError(
        res,
        400,
        'invalid_request',
        90002,
        `Tenant '${tenantSeg}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
      );
      return;
    }
    const app = this.sim.app(clientId);
    if (!app) {
      this.aadError(
        res,
        400,
        'unauthorized_client',
        700016,
        `Application with identifier '${clientId}' was not found in the directory '${tenant?.displayName ?? tenantSeg}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
      );
      return;
    }
    // authenticate the client
    const assertion = body.get('client_assertion');
    if (assertion) {
      if (
        body.get('client_assertion_type') !==
        'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'
      ) {
        this.aadError(
          res,
          400,
          'invalid_request',
          700023,
          "Client assertion type must be 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'.",
        );
        return;
      }
      const err = this.checkAssertion(assertion, app, tenantSeg);
      if (err) {
        this.aadError(res, 401, 'invalid_client', err.code, err.message);
        return;
      }
    } else if (clientSecret !== undefined) {
      if (!app.secrets.includes(clientSecret)) {
        this.aadError(
          res,
          401,
          'invalid_client',
          7000215,
          `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.clientId}'.`,
        );
        return;
      }
    } else if (grant === 'client_credentials') {
      this.aadError(
        res,
        401,
        'invalid_client',
        7000218,
        "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
      );
      return;
    }
    if (grant === 'client_credentials') {
      if (multi || !tenant) {
        // /common and /organizations name no tenant, and an app-only token is for one tenant.
        this.aadError(
          res,
          400,
          'invalid_request',
          50059,
          'No tenant-identifying information found in either the request or implied by any provided credentials.',
        );
        return;
      }
      const scopeParam = body.get('scope');
      if (scopeParam === null || scopeParam.trim() === '') {
        this.aadError(
          res,
          400,
          'invalid_request',
          900144,
          "The request body must contain the following parameter: 'scope'.",
        );
        return;
      }
      const scope = scopeParam;
      if (!/\/\.default$/.test(scope.trim())) {
        this.aadError(
          res,
          400,
          'invalid_scope',
          1002012,
          `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
        );
        return;
      }
      const resource = scope.trim().replace(/\/\.default$/, '');
      if (resource !== GRAPH_AUDIENCE && resource !== GRAPH_APP_ID) {
        this.aadError(
          res,
          400,
          'invalid_resource',
          500011,
          `The resource principal named ${resource} was not found in the tenant named ${tenant.displayName}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
        );
        return;
      }
      const sp = tenant.servicePrincipals.get(app.clientId);
      if (!sp) {
        // No service principal: never consented, or the enterprise app was deleted.
        this.aadError(
          res,
          400,
          'invalid_client',
          7000229,
          `The client application ${app.clientId} is missing service principal in the tenant ${tenant.id}. See instructions here: https://go.microsoft.com/fwlink/?linkid=2225119`,
        );
        return;
      }
      // Never before the tenant's expire-tokens mark, so a fresh token is not already expired.
      const now = Math.max(Math.floor(Date.now() / 1000), tenant.tokensNotBefore ?? 0);
      const lifetime = this.sim.opts.tokenLifetimeSeconds;
      const claims: Record<string, unknown> = {
        aud: GRAPH_AUDIENCE,
        iss: graphAccessTokenIssuer(tenant.id),
        iat: now,
        nbf: now,
        exp: now + lifetime,
        aio: randomBytes(12).toString('base64url'),
        app_displayname: app.displayName,
        appid: app.clientId,
        appidacr: assertion ? '2' : '1',
        idp: graphAccessTokenIssuer(tenant.id),
        idtyp: 'app',
        oid: spObjectId(tenant.id, app.clientId),
        rh: '0.sim.',
        sub: spObjectId(tenant.id, app.clientId),
        tid: tenant.id,
        uti: randomBytes(16).toString('base64url'),
        ver: '1.0',
        jti: randomUUID(),
      };
      if (sp.roles.size) claims.roles = [...sp.roles];
      this.sim.issuedTokens++;
      sendJson(res, 200, {
        token_type: 'Bearer',
        expires_in: lifetime,
        ext_expires_in: lifetime,
        access_token: signJwt(this.sim.key, claims),
      });
      return;
    }
    if (grant === 'authorization_code') {
      const code = body.get('code') ?? '';
      const c = this.codes.get(code);
      this.codes.delete(code);
      const now = Date.now();
      for (const [k, until] of this.redeemedCodes) if (until < now) this.redeemedCodes.delete(k);
      if (!c && this.redeemedCodes.has(code)) {
        this.aadError(
          res,
          400,
          'invalid_grant',
          54005,
          'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.',
        );
        return;
      }
      if (c) this.redeemedCodes.set(code, c.expires);
      if (!c || c.expires < Date.now() || c.clientId !== app.clientId) {
        this.aadError(
          res,
          400,
          'invalid_grant',
          70008,
          'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.',
        );
        return;
      }
      if ((body.get('redirect_uri') ?? '') !== c.redirectUri) {
        this.aadError(
          res,
          400,
          'invalid_grant',
          70002,
          `The redirect URI '${body.get('redirect_uri')}' specified in the request does not match the redirect URI used in the authorization request.`,
        );
        return;
      }
      if (c.codeChallenge) {
        const verifier = body.get('code_verifier') ?? '';
        const computed =
          c.codeChallengeMethod === 'S256'
            ? createHash('sha256').update(verifier).digest('base64url')
            : verifier;
        if (!verifier || computed !== c.codeChallenge) {
          this.aadError(
            res,
            400,
            'invalid_grant',
            501481,
            'The Code_Verifier does not match the code_challenge supplied in the authorization request.',
          );
          return;
        }
      } else if (!clientSecret && !assertion) {
        this.aadError(
          res,
          401,
          'invalid_client',
          7000218,
          "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
        );
        return;
      }
      const t = this.sim.tenantsById.get(c.tenantId)!;
      const u = t.users.get(c.userId);
      if (!u || u.deleted) {
        this.aadError(
          res,
          400,
          'invalid_grant',
          50034,
          'The user account does not exist in the directory.',
        );
        return;
      }
      sendJson(res, 200, this.userTokens(t, u, app, c.scopes, c.nonce));
      return;
    }
    if (grant === 'refresh_token') {
      const rt = body.get('refresh_token') ?? '';
      const g = this.refreshTokens.get(rt);
      if (!g || g.clientId !== app.clientId) {
        this.aadError(
          res,
          400,
          'invalid_grant',
          9002313,
          'Invalid request. Request is malformed or invalid.',
        );
        return;
      }
      const t = this.sim.tenantsById.get(g.tenantId)!;
      const u = t.users.get(g.userId);
      if (!u || u.deleted || !u.user.accountEnabled) {
        this.aadError(res, 400, 'invalid_grant', 50057, 'The user account is disabled.');
        return;
      }
      sendJson(res, 200, this.userTokens(t, u, app, g.scopes, undefined));
      return;
    }
    this.aadError(
      res,
      400,
      'unsupported_grant_type',
      70003,
      `The app requested an unsupported grant type '${grant}'.`,
    );
  }

  private checkAssertion(
    assertion: string,
    app: AppRegistration,
    tenantSeg: string,
  ): { code: number; message: string } | undefined {
    const d = decodeJwt(assertion);
    if (!d) return { code: 50027, message: 'JWT token is invalid or malformed.' };
    const p = d.payload;
    if (p.iss !== app.clientId || p.sub !== app.clientId) {
      return {
        code: 700021,
        message: "Client assertion application identifier doesn't match 'client_id' parameter.",
      };
    }
    const now = Math.floor(Date.now() / 1000);
    if (typeof p.exp !== 'number' || p.exp < now - 300)
      return { code: 700024, message: 'Client assertion is not within its valid time range.' };
    const aud = String(p.aud ?? '');
    if (!aud.startsWith(this.sim.baseUrl + '/') || !aud.includes('/oauth2/')) {
      return {
        code: 700016,
        message: `Application with identifier '${app.clientId}' was not found in the directory '${tenantSeg}'.`,
      };
    }
    const ok = (app.certificates ?? []).some((pem) => {
      try {
        return verifyRs256(d, publicKeyOf(pem));
      } catch {
        return false;
      }
    });
    if (!ok) {
      return {
        code: 700027,
        message:
          'The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found.]',
      };
    }
    return undefined;
  }

  private userTokens(
    t: Tenant,
    u: SimUser,
    app: AppRegistration,
    scopes: string[],
    nonce: string | undefined,
  ): Record<string, unknown> {
    const now = Math.max(Math.floor(Date.now() / 1000), t.tokensNotBefore ?? 0);
    const lifetime = this.sim.opts.tokenLifetimeSeconds;
    const iss = this.issuer(t.id);
    const oidcScopes = ['openid', 'profile', 'email', 'offline_access'];
    const graphScopes = scopes
      .filter((s) => !oidcScopes.includes(s))
      .map((s) => s.replace(/^https:\/\/graph\.microsoft\.com\//, ''))
      .filter((s) => s && s !== '.default');
    const scp = graphScopes.length ? graphScopes : ['User.Read'];
    // Graph's access tokens are v1.0 tokens whatever endpoint issued them (Graph's registration
    // asks for v1.0): sts.windows.net issuer, `appid` (no `azp`), `upn`/`unique_name`.
    const access = signJwt(this.sim.key, {
      aud: GRAPH_AUDIENCE,
      iss: graphAccessTokenIssuer(t.id),
      iat: now,
      nbf: now,
      exp: now + lifetime,
      acr: '1',
      amr: ['pwd'],
      app_displayname: app.displayName,
      appid: app.clientId,
      appidacr: '1',
      family_name: u.user.surname ?? undefined,
      given_name: u.user.givenName ?? undefined,
      idtyp: 'user',
      name: u.user.displayName,
      oid: u.user.id,
      scp: scp.join(' '),
      sub: createHash('sha256').update(`graph|${u.user.id}`).digest('base64url').slice(0, 43),
      tid: t.id,
      unique_name: u.user.userPrincipalName,
      upn: u.user.userPrincipalName,
      uti: randomBytes(16).toString('base64url'),
      ver: '1.0',
      jti: randomUUID(),
    });
    const idClaims: Record<string, unknown> = {
      aud: app.clientId,
      iss,
      iat: now,
      nbf: now,
      exp: now + 3600,
      name: u.user.displayName,
      oid: u.user.id,
      preferred_username: u.user.userPrincipalName,
      email: u.user.mail ?? undefined,
      sub: createHash('sha256')
        .update(`${u.user.id}|${app.clientId}`)
        .digest('base64url')
        .slice(0, 43),
      tid: t.id,
      ver: '2.0',
      uti: randomBytes(16).toString('base64url'),
    };
    if (nonce) idClaims.nonce = nonce;
    const roles = u.appRoles[app.clientId];
    if (roles?.length) idClaims.roles = roles;
    if (app.groupMembershipClaims === 'DirectoryRole' || app.groupMembershipClaims === 'All') {
      const wids = widsClaim(u);
      if (wids.length) idClaims.wids = wids;
    }
    const out: Record<string, unknown> = {
      token_type: 'Bearer',
      scope: scp.map((s) => `${GRAPH_AUDIENCE}/${s}`).join(' '),
      expires_in: lifetime,
      ext_expires_in: lifetime,
      access_token: access,
      id_token: signJwt(this.sim.key, idClaims),
      client_info: Buffer.from(JSON.stringify({ uid: u.user.id, utid: t.id })).toString(
        'base64url',
      ),
    };
    if (scopes.includes('offline_access')) {
      const rt = randomBytes(32).toString('base64url');
      this.refreshTokens.set(rt, {
        clientId: app.clientId,
        tenantId: t.id,
        userId: u.user.id,
        scopes,
      });
      out.refresh_token = rt;
    }
    return out;
  }

  private errorPage(res: ServerResponse, status: number, code: number, message: string): void {
    sendText(
      res,
      status,
      `<!doctype html><html><head><title>Sign in to your account</title></head><body><h1>Sorry, but we're having trouble signing you in.</h1><p id="error">AADSTS${code}: ${escapeHtml(message)}</p></body></html>`,
      'text/html; charset=utf-8',
    );
  }

  private redirectWithError(
    res: ServerResponse,
    redirectUri: string,
    params: Record<string, string>,
  ): void {
    const u = new URL(redirectUri);
    for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
    redirect(res, u.toString());
  }

  private redirectAllowed(app: AppRegistration, uri: string): boolean {
    if (!uri) return false;
    try {
      const u = new URL(uri);
      if (
        u.protocol !== 'https:' &&
        !(u.protocol === 'http:' && ['localhost', '127.0.0.1'].includes(u.hostname))
      )
        return false;
    } catch {
      return false;
    }
    return (app.redirectUris ?? []).some((registered) => redirectMatches(registered, uri));
  }

  /** Users that may sign in here: a tenant's users, or every tenant's users for /organizations. */
  private candidates(tenantSeg: string): { t: Tenant; u: SimUser }[] {
    const ts = this.multi(tenantSeg)
      ? this.sim.tenants
      : [this.sim.entraTenant(tenantSeg)].filter((x): x is Tenant => !!x);
    const out: { t: Tenant; u: SimUser }[] = [];
    for (const t of ts) {
      const admin = t.users.get(t.adminUserId);
      if (admin) out.push({ t, u: admin });
      let n = 0;
      for (const u of t.users.values()) {
        if (u.user.id === t.adminUserId || u.deleted || u.purpose !== 'user') continue;
        out.push({ t, u });
        if (++n >= 15) break;
      }
    }
    return out;
  }

  private findSignIn(tenantSeg: string, login: string): { t: Tenant; u: SimUser } | undefined {
    const l = login.trim().toLowerCase();
    const ts = this.multi(tenantSeg)
      ? this.sim.tenants
      : [this.sim.entraTenant(tenantSeg)].filter((x): x is Tenant => !!x);
    for (const t of ts) {
      const u = t.usersByUpn.get(l) ?? t.users.get(l);
      if (u && !u.deleted) return { t, u };
    }
    return undefined;
  }

  private page(
    title: string,
    intro: string,
    hidden: Record<string, string>,
    users: { t: Tenant; u: SimUser }[],
    preselect: string,
    buttons: string,
  ): string {
    const opts = users
      .map(({ t, u }) => {
        const upn = u.user.userPrincipalName!;
        const sel = upn.toLowerCase() === preselect.toLowerCase() ? ' selected' : '';
        return `<option value="${escapeHtml(upn)}"${sel}>${escapeHtml(u.user.displayName ?? upn)} — ${escapeHtml(upn)}${u.globalAdmin ? ' (Global Administrator)' : ''} [${escapeHtml(t.displayName)}]</option>`;
      })
      .join('');
    const hid = Object.entries(hidden)
      .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
      .join('');
    return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:640px;margin:3em auto}select,input[type=text]{width:100%;padding:.4em;margin:.3em 0}button{padding:.5em 1.2em;margin:.5em .5em 0 0}</style></head>
<body><h1>${escapeHtml(title)}</h1><p>${intro}</p><p><small>m365-sim — simulated Microsoft 365, not Microsoft.</small></p>
<form method="post">${hid}<label>Account<select name="login" id="login">${opts}</select></label>
<label>…or type a user principal name<input type="text" name="login_typed" id="login_typed" placeholder="user@tenant.onmicrosoft.com"></label>
${buttons}</form></body></html>`;
  }

  private async formOrQuery(req: IncomingMessage, url: URL): Promise<URLSearchParams> {
    if (req.method === 'POST') {
      const body = new URLSearchParams((await readBody(req, 256 * 1024)).toString('utf8'));
      return body;
    }
    return url.searchParams;
  }

  private async authorize(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    tenantSeg: string,
  ): Promise<void> {
    const p = await this.formOrQuery(req, url);
    const clientId = p.get('client_id') ?? '';
    const redirectUri = p.get('redirect_uri') ?? '';
    const state = p.get('state') ?? '';
    if (!this.multi(tenantSeg) && !this.sim.entraTenant(tenantSeg)) {
      return this.errorPage(res, 400, 90002, `Tenant '${tenantSeg}' not found.`);
    }
    const app = this.sim.app(clientId);
    if (!app)
      return this.errorPage(
        res,
        400,
        700016,
        `Application with identifier '${clientId}' was not found in the directory.`,
      );
    if (!this.redirectAllowed(app, redirectUri)) {
      return this.errorPage(
        res,
        400,
        50011,
        `The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application '${app.clientId}'.`,
      );
    }
    if ((p.get('response_type') ?? '') !== 'code') {
      return this.redirectWithError(res, redirectUri, {
        error: 'unsupported_response_type',
        error_description: "AADSTS700054: response_type 'code' is required.",
        state,
      });
    }
    const scopes = (p.get('scope') ?? 'openid').split(/\s+/).filter(Boolean);
    if (req.method !== 'POST' || !p.get('action')) {
      const hidden: Record<string, string> = {};
      for (const k of [
        'client_id',
        'redirect_uri',
        'response_type',
        'scope',
        'state',
        'nonce',
        'code_challenge',
        'code_challenge_method',
        'response_mode',
        'prompt',
      ]) {
        const v = p.get(k);
        if (v !== null) hidden[k] = v;
      }
      const pre = p.get('login_hint') ?? '';
      sendText(
        res,
        200,
        this.page(
          `Sign in to ${app.displayName}`,
          `Pick the account to sign in with. ${escapeHtml(app.displayName)} asks for: ${escapeHtml(scopes.join(', '))}.`,
          hidden,
          this.candidates(tenantSeg),
          pre,
          '<button type="submit" name="action" value="signin" id="signin">Sign in</button><button type="submit" name="action" value="cancel" id="cancel">Cancel</button>',
        ),
        'text/html; charset=utf-8',
      );
      return;
    }
    if (p.get('action') === 'cancel') {
      return this.redirectWithError(res, redirectUri, {
        error: 'access_denied',
        error_subcode: 'cancel',
        error_description: 'AADSTS65004: User declined to consent to access the app.',
        state,
      });
    }
    const login = (p.get('login_typed') || p.get('login') || '').trim();
    const who = this.findSignIn(tenantSeg, login);
    if (!who)
      return this.errorPage(
        res,
        400,
        50034,
        `The user account ${login} does not exist in the directory.`,
      );
    if (!who.u.user.accountEnabled)
      return this.errorPage(res, 400, 50057, 'The user account is disabled.');
    // Opaque in Entra; the prefix lets a test prove no log holds one.
    const code = `simcode_${randomBytes(32).toString('base64url')}`;
    this.codes.set(code, {
      clientId: app.clientId,
      redirectUri,
      tenantId: who.t.id,
      userId: who.u.user.id,
      scopes,
      nonce: p.get('nonce') ?? undefined,
      codeChallenge: p.get('code_challenge') ?? undefined,
      codeChallengeMethod: p.get('code_challenge_method') ?? 'plain',
      expires: Date.now() + 10 * 60_000,
    });
    const out = new URL(redirectUri);
    out.searchParams.set('code', code);
    if (state) out.searchParams.set('state', state);
    out.searchParams.set('session_state', randomUUID());
    redirect(res, out.toString());
  }

  private async adminConsent(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    tenantSeg: string,
  ): Promise<void> {
    const p = await this.formOrQuery(req, url);
    const clientId = p.get('client_id') ?? '';
    const redirectUri = p.get('redirect_uri') ?? '';
    const state = p.get('state') ?? '';
    const scope = p.get('scope') ?? 'https://graph.microsoft.com/.default';
    if (!this.multi(tenantSeg) && !this.sim.entraTenant(tenantSeg)) {
      return this.errorPage(res, 400, 90002, `Tenant '${tenantSeg}' not found.`);
    }
    const app = this.sim.app(clientId);
    if (!app)
      return this.errorPage(
        res,
        400,
        700016,
        `Application with identifier '${clientId}' was not found in the directory.`,
      );
    if (!this.redirectAllowed(app, redirectUri)) {
      return this.errorPage(
        res,
        400,
        50011,
        `The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application '${app.clientId}'.`,
      );
    }
    if (req.method !== 'POST' || !p.get('action')) {
      const hidden: Record<string, string> = {
        client_id: clientId,
        redirect_uri: redirectUri,
        state,
        scope,
      };
      const candidates = this.candidates(tenantSeg);
      const pre =
        p.get('login_hint') ??
        candidates.find((c) => canGrantAppPermissions(c.u))?.u.user.userPrincipalName ??
        '';
      const perms = app.requiredRoles
        .map((r) => `<li>${escapeHtml(r)} (Application)</li>`)
        .join('');
      sendText(
        res,
        200,
        this.page(
          'Permissions requested — Accept for your organization',
          `<b>${escapeHtml(app.displayName)}</b> needs permission to:<ul id="permissions">${perms}</ul>Accepting grants these permissions for every user of the organization. Only a Global Administrator or Privileged Role Administrator can accept.`,
          hidden,
          candidates,
          pre,
          '<button type="submit" name="action" value="accept" id="accept">Accept</button><button type="submit" name="action" value="cancel" id="cancel">Cancel</button>',
        ),
        'text/html; charset=utf-8',
      );
      return;
    }
    if (p.get('action') !== 'accept') {
      return this.redirectWithError(res, redirectUri, {
        error: 'access_denied',
        error_subcode: 'cancel',
        error_description: 'AADSTS65004: User declined to consent to access the app.',
        state,
      });
    }
    const login = (p.get('login_typed') || p.get('login') || '').trim();
    const who = this.findSignIn(tenantSeg, login);
    if (!who)
      return this.errorPage(
        res,
        400,
        50034,
        `The user account ${login} does not exist in the directory.`,
      );
    if (!canGrantAppPermissions(who.u)) {
      return this.redirectWithError(res, redirectUri, {
        error: 'access_denied',
        error_description: `AADSTS90094: The grant requires admin permission. ${app.displayName} needs permission to access resources in your organization that only an admin can grant.`,
        state,
        tenant: who.t.id,
      });
    }
    this.sim.grantConsent(who.t, app, who.u.user.id);
    const out = new URL(redirectUri);
    out.searchParams.set('admin_consent', 'True');
    out.searchParams.set('tenant', who.t.id);
    out.searchParams.set('state', state);
    out.searchParams.set('scope', app.requiredRoles.map((r) => `${GRAPH_AUDIENCE}/${r}`).join(' '));
    redirect(res, out.toString());
  }
}

/**
 * Whether a request's redirect URI matches a registered one: exactly, except that for http
 * loopback hosts the port is ignored (Entra's localhost exception, RFC 8252 §7.3).
 */
export function redirectMatches(registered: string, requested: string): boolean {
  if (registered === requested) return true;
  let a: URL;
  let b: URL;
  try {
    a = new URL(registered);
    b = new URL(requested);
  } catch {
    return false;
  }
  const loopback = (u: URL) =>
    u.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname);
  return (
    loopback(a) &&
    loopback(b) &&
    a.hostname === b.hostname &&
    a.pathname === b.pathname &&
    a.search === b.search
  );
}

/** The service principal's object id in a tenant (stable). */
export function spObjectId(tenantId: string, clientId: string): string {
  const h = createHash('sha256').update(`${tenantId}|${clientId}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
