import { TenantsService } from '@app/admin';
import { APP_CONFIG, type AppConfig } from '@app/config';
import {
  Controller,
  Get,
  HttpCode,
  Inject,
  Logger,
  Post,
  Query,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import { ApiCookieAuth, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { roleFromClaims, AuthGuard } from './auth.guard';
import { IdTokenRejected } from './id-token-validator';
import { MicrosoftOidc, OidcError } from './microsoft-oidc';
import { CurrentPrincipal, Onboarding, Public, type Principal } from './principal';
import { LOGIN_COOKIE, parseCookies, SESSION_COOKIE, SessionStore } from './session-store';
import { randomBytes } from 'node:crypto';
import { newStateValue } from './state-value';
import { baseUrl, cookieOptions } from './urls';

interface LoginState {
  codeVerifier: string;
  nonce: string;
}

const NULLABLE_STRING = { type: 'string', nullable: true };

/** The answer of GET /api/auth/me, so the dashboard's client is typed from it. */
const ME_SCHEMA = {
  type: 'object',
  required: ['kind', 'azureTenantId', 'tenantStatus', 'role', 'csrfToken'],
  properties: {
    kind: { type: 'string', enum: ['session', 'api_token'] },
    oid: { ...NULLABLE_STRING, description: "The signed-in user's Entra object id" },
    name: NULLABLE_STRING,
    username: NULLABLE_STRING,
    azureTenantId: {
      ...NULLABLE_STRING,
      description:
        'The Entra tenant id; null for an Exchange Server organisation without Microsoft 365 (EWS only)',
    },
    tenantStatus: {
      type: 'string',
      description: 'not_onboarded, active, orphaned (consent revoked) or suspended',
    },
    role: { type: 'string', nullable: true, enum: ['admin', 'viewer', null] },
    operator: {
      type: 'object',
      nullable: true,
      required: ['homeTenantId', 'tenantId'],
      description: 'Set while an MSP operator acts for a managed tenant (X-Tenant-Id)',
      properties: { homeTenantId: { type: 'string' }, tenantId: { type: 'string' } },
    },
    csrfToken: NULLABLE_STRING,
  },
};
@ApiTags('auth')
@Controller('api/auth')
@UseGuards(AuthGuard)
export class AuthController {
  private readonly logger = new Logger('AdminAuth');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(MicrosoftOidc) private readonly oidc: MicrosoftOidc,
    @Inject(SessionStore) private readonly sessions: SessionStore,
    @Inject(TenantsService) private readonly tenants: TenantsService,
  ) {}

  @Get('login')
  @Public()
  @ApiOperation({
    summary: 'Sign in with Microsoft (redirects to the /organizations authority; PKCE)',
  })
  @ApiQuery({ name: 'login_hint', required: false })
  async login(
    @Req() req: Request,
    @Res() res: Response,
    @Query('login_hint') loginHint?: string,
  ): Promise<void> {
    const state = newStateValue();
    const login: LoginState = {
      codeVerifier: randomBytes(32).toString('base64url'),
      nonce: randomBytes(16).toString('base64url'),
    };
    await this.sessions.putOnce('login', state, login);
    const url = await this.oidc.authorizeUrl({
      redirectUri: `${baseUrl(req, this.config)}/api/auth/callback`,
      state,
      nonce: login.nonce,
      codeVerifier: login.codeVerifier,
      loginHint:
        typeof loginHint === 'string' ? loginHint.slice(0, 320) : this.config.demo.loginHint,
    });
    // Binds the state to this browser: a callback from another browser is refused.
    res.cookie(LOGIN_COOKIE, this.sessions.sign(state), {
      ...cookieOptions(this.config),
      maxAge: 600_000,
    });
    res.redirect(302, url);
  }

  @Get('callback')
  @Public()
  @ApiOperation({
    summary: 'OIDC redirect URI: redeems the code, validates the ID token, starts the session',
  })
  async callback(@Req() req: Request, @Res() res: Response): Promise<void> {
    const q = req.query as Record<string, unknown>;
    const str = (k: string): string | undefined =>
      typeof q[k] === 'string' ? (q[k] as string) : undefined;
    res.clearCookie(LOGIN_COOKIE, cookieOptions(this.config));
    if (str('error')) {
      this.refuse(req, res, 401, {
        statusCode: 401,
        error: 'sign_in_failed',
        message: `Microsoft sign-in did not complete: ${str('error_description') ?? str('error')}`,
      });
      return;
    }
    const state = str('state') ?? '';
    const bound = this.sessions.unsign(parseCookies(req.header('cookie'))[LOGIN_COOKIE]);
    const login =
      bound === state ? await this.sessions.takeOnce<LoginState>('login', state) : undefined;
    const code = str('code');
    if (!login || !code) {
      this.refuse(req, res, 400, {
        statusCode: 400,
        error: 'invalid_state',
        message:
          'sign-in state is missing, expired, already used or from another browser: sign in again',
      });
      return;
    }
    let redeemed;
    try {
      redeemed = await this.oidc.redeem({
        code,
        redirectUri: `${baseUrl(req, this.config)}/api/auth/callback`,
        codeVerifier: login.codeVerifier,
        nonce: login.nonce,
      });
    } catch (error) {
      if (error instanceof IdTokenRejected || error instanceof OidcError) {
        this.logger.warn({ code: error.code, reason: error.message }, 'sign-in refused');
        this.refuse(req, res, 401, {
          statusCode: 401,
          error: 'sign_in_failed',
          message: 'Microsoft sign-in could not be verified',
        });
        return;
      }
      throw error;
    }
    const claims = redeemed.claims;
    const { mode, allowedTenants } = this.config.admin;
    if (
      mode === 'self-hosted' &&
      allowedTenants.length > 0 &&
      !allowedTenants.includes(claims.tid)
    ) {
      this.refuse(req, res, 403, {
        statusCode: 403,
        error: 'tenant_not_allowed',
        message: 'This deployment does not serve your organization.',
      });
      return;
    }
    const tenant = await this.tenants.byAzureId(claims.tid);
    if (tenant?.status === 'active') {
      const role = await this.tenants.recordSignIn(
        tenant.id,
        claims.oid,
        roleFromClaims(claims.roles),
      );
      // Signed in by Microsoft but given no role here: every route answers 403, so the audit
      // calls it a refused sign-in. (A sign-in refused before its ID token is verified names no
      // tenant we can trust, so it is only logged.)
      await this.tenants.auditSignIn(
        { tenantId: tenant.id, type: 'admin', id: claims.oid.toLowerCase() },
        role ? { ok: true, role, via: 'microsoft' } : { ok: false, reason: 'no_role' },
      );
    }
    const proof = await this.directoryRoles(claims.wids, redeemed.accessToken);
    const { id } = await this.sessions.create({
      tid: claims.tid,
      oid: claims.oid,
      name: claims.name,
      username: claims.preferredUsername,
      roles: claims.roles,
      directoryRoles: proof.roles,
      directoryRolesSource: proof.source,
    });
    res.cookie(SESSION_COOKIE, this.sessions.sign(id), {
      ...cookieOptions(this.config),
      maxAge: this.sessions.ttl * 1000,
    });
    res.redirect(302, tenant?.status === 'active' ? '/' : '/?onboarding=1');
  }

  /**
   * A refused sign-in: a browser (coming back from Microsoft's page) returns to the dashboard's
   * sign-in, which says why; a script gets the JSON envelope.
   */
  private refuse(
    req: Request,
    res: Response,
    status: number,
    body: { statusCode: number; error: string; message: string },
  ): void {
    if (req.accepts(['json', 'html']) === 'html')
      res.redirect(302, `/?sign_in_error=${encodeURIComponent(body.error)}`);
    else res.status(status).json(body);
  }

  /**
   * The user's active directory roles from a signed source: the ID token's `wids` when the
   * registration emits it, else Graph `/me/memberOf` with the sign-in's own delegated token.
   */
  private async directoryRoles(
    wids: string[] | undefined,
    accessToken: string | undefined,
  ): Promise<{ roles: string[] | null; source: 'wids' | 'graph' | null }> {
    if (wids) return { roles: wids, source: 'wids' };
    if (!accessToken) return { roles: null, source: null };
    try {
      return { roles: await this.oidc.directoryRolesOf(accessToken), source: 'graph' };
    } catch (error) {
      this.logger.warn(
        { reason: (error as Error).message },
        'directory roles of the signed-in user could not be read',
      );
      return { roles: null, source: null };
    }
  }

  @Get('me')
  @Onboarding()
  @ApiCookieAuth()
  @ApiOperation({ summary: 'The signed-in user, their role, the tenant status and the CSRF token' })
  @ApiOkResponse({ schema: ME_SCHEMA })
  me(@CurrentPrincipal() p: Principal) {
    return {
      kind: p.kind,
      oid: p.session?.oid ?? null,
      name: p.session?.name ?? null,
      username: p.session?.username ?? null,
      azureTenantId: p.azureTenantId,
      tenantStatus: !p.tenant
        ? 'not_onboarded'
        : p.tenant.status === 'consent_revoked'
          ? 'orphaned'
          : p.tenant.status,
      role: p.role,
      /** Set while acting for a managed tenant with X-Tenant-Id: the signed-in operator's home tenant. */
      operator: p.operator ? { homeTenantId: p.operator.tid, tenantId: p.tenant!.id } : null,
      csrfToken: p.session?.csrf ?? null,
    };
  }

  @Post('logout')
  @Onboarding()
  @HttpCode(204)
  @ApiOperation({ summary: 'Ends the session (needs X-CSRF-Token)' })
  async logout(
    @CurrentPrincipal() p: Principal,
    @Res({ passthrough: true }) res: Response,
  ): Promise<void> {
    if (p.sessionId) await this.sessions.destroy(p.sessionId);
    res.clearCookie(SESSION_COOKIE, cookieOptions(this.config));
  }
}
