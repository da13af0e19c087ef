import { REQUIRED_PERMISSIONS, tenantView, TenantsService } from '@app/admin';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { CodedError } from '@app/domain';
import { MailboxAccessCheck, TokenCredentialFactory } from '@app/microsoft';
import {
  Controller,
  ForbiddenException,
  Get,
  Inject,
  Logger,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { decodeJwt } from 'jose';
import { AuthGuard } from '../auth/auth.guard';
import { requireConsentingRole } from '../auth/consent-roles';
import { newStateValue } from '../auth/state-value';
import { MicrosoftOidc } from '../auth/microsoft-oidc';
import { CurrentPrincipal, Onboarding, OwnTenantOnly, type Principal } from '../auth/principal';
import { SessionStore } from '../auth/session-store';
import { baseUrl } from '../auth/urls';

interface ConsentState {
  sessionId: string;
  tid: string;
}

@ApiTags('onboarding')
@ApiCookieAuth()
@Controller('api')
@UseGuards(AuthGuard)
export class OnboardingController {
  private readonly logger = new Logger('AdminOnboarding');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(MicrosoftOidc) private readonly oidc: MicrosoftOidc,
    @Inject(SessionStore) private readonly sessions: SessionStore,
    @Inject(TenantsService) private readonly tenants: TenantsService,
    @Inject(TokenCredentialFactory) private readonly credentials: TokenCredentialFactory,
    @Inject(MailboxAccessCheck) private readonly mailboxAccess: MailboxAccessCheck,
  ) {}

  @Get('tenant')
  @Onboarding()
  @ApiOperation({
    summary: "The caller's tenant: status, consent, granted and missing permissions",
  })
  tenant(@CurrentPrincipal() p: Principal) {
    if (!p.tenant)
      return {
        azureTenantId: p.azureTenantId,
        status: 'not_onboarded',
        requiredPermissions: REQUIRED_PERMISSIONS,
      };
    return tenantView(p.tenant);
  }

  @Get('onboarding/consent')
  @Onboarding()
  @OwnTenantOnly()
  @ApiOperation({ summary: "Starts admin consent for the signed-in user's tenant (redirect)" })
  async consent(
    @CurrentPrincipal() p: Principal,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    if (p.kind !== 'session' || !p.sessionId)
      throw new ForbiddenException({
        error: 'forbidden',
        message: 'consent needs a signed-in administrator, not an API token',
      });
    if (p.tenant?.status === 'active' && p.role !== 'admin')
      throw new ForbiddenException({ error: 'forbidden', message: 'needs the Sync.Admin role' });
    // Whatever the tenant's status (new, orphaned, suspended, active), the consent that
    // (re)activates it needs a role that can grant it, proven by a signed source.
    requireConsentingRole(p.session);
    const state = newStateValue();
    const tid = p.session!.tid;
    await this.sessions.putOnce('consent', state, {
      sessionId: p.sessionId,
      tid,
    } satisfies ConsentState);
    res.redirect(
      302,
      this.oidc.adminConsentUrl(tid, `${baseUrl(req, this.config)}/api/onboarding/callback`, state),
    );
  }

  @Get('onboarding/callback')
  @Onboarding()
  @OwnTenantOnly()
  @ApiOperation({
    summary:
      'Admin consent redirect URI: checks state and tenant, verifies and records the consent',
  })
  async callback(
    @CurrentPrincipal() p: Principal,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    // A browser arriving from Microsoft's consent page goes back to the dashboard's onboarding
    // (which reads the outcome from GET /api/tenant); a script keeps the JSON answer.
    const browser = req.accepts(['json', 'html']) === 'html';
    let body: Record<string, unknown>;
    try {
      body = await this.completeConsent(p, req);
    } catch (error) {
      if (!browser || !(error instanceof CodedError)) throw error;
      res.redirect(302, `/onboarding?consent_error=${encodeURIComponent(error.code)}`);
      return;
    }
    if (browser) res.redirect(302, '/onboarding?consent=done');
    else res.status(200).json(body);
  }

  private async completeConsent(p: Principal, req: Request): Promise<Record<string, unknown>> {
    // The redirect's parameters (admin_consent=True&tenant=) are forgeable by anyone who can
    // call this URL: the caller's own directory roles decide first (403, nothing recorded).
    requireConsentingRole(p.session);
    const q = req.query as Record<string, unknown>;
    const str = (k: string): string | undefined =>
      typeof q[k] === 'string' ? (q[k] as string) : undefined;
    const state = await this.sessions.takeOnce<ConsentState>('consent', str('state') ?? '');
    if (!state || state.sessionId !== p.sessionId || state.tid !== p.azureTenantId)
      throw new CodedError(
        'invalid_state',
        'The consent request is unknown, expired, already used or belongs to another sign-in: start onboarding again.',
        { status: 400 },
      );
    if (str('error'))
      throw new CodedError(
        'consent_denied',
        'Consent was not granted, so nothing was set up. A Global Administrator (or Privileged Role Administrator) must accept the permissions; start onboarding again when ready.',
        {
          status: 400,
          details: {
            microsoftError: str('error'),
            microsoftDescription: str('error_description')?.slice(0, 500) ?? null,
          },
        },
      );
    const tenantParam = str('tenant')?.toLowerCase();
    if (!tenantParam || tenantParam !== p.azureTenantId)
      throw new CodedError(
        'tenant_mismatch',
        "Consent came back for a different organization than the signed-in administrator's: nothing was recorded.",
        { status: 400 },
      );
    if (str('admin_consent')?.toLowerCase() !== 'true')
      throw new CodedError(
        'consent_denied',
        'Microsoft did not report an admin consent: nothing was set up.',
        { status: 400 },
      );
    let roles: string[];
    try {
      const token = await this.credentials
        .create(tenantParam)
        .getToken('https://graph.microsoft.com/.default');
      if (!token) throw new Error('no token');
      const claim = decodeJwt(token.token).roles;
      roles = Array.isArray(claim) ? claim.filter((r): r is string => typeof r === 'string') : [];
    } catch (error) {
      this.logger.warn({ tenant: tenantParam, err: error }, 'consent could not be verified');
      throw new CodedError(
        'consent_unverified',
        'Microsoft did not issue our app a token for your organization, so the consent could not be verified and nothing was recorded. Try again in a minute; consent can take a moment to apply.',
        { status: 502 },
      );
    }
    let tenant = await this.tenants.recordConsent({
      azureTenantId: tenantParam,
      adminOid: p.actorId,
      grantedPermissions: roles,
    });
    // Mailbox permissions absent from the token may be granted by Exchange's RBAC for
    // Applications (never visible in `roles`): a mailbox is probed rather than declared missing.
    const access = await this.mailboxAccess.check(
      { id: tenant.id, azureTenantId: tenantParam },
      roles,
      p.actorId,
    );
    tenant = await this.tenants.recordMailboxAccess(tenant, access);
    const view = tenantView(tenant);
    const scoped =
      access === 'exchange_rbac'
        ? ' Mailbox access is scoped by Exchange (RBAC for Applications): mailboxes outside the scope are reported as out of scope in each run.'
        : access === 'unverified'
          ? " Contacts.ReadWrite is not granted in Entra ID and Exchange refused your own mailbox: if Exchange's RBAC for Applications scopes our app, only the mailboxes in its scope are synced (the others are reported as out of scope); otherwise grant the permission (docs/entra-app.md#least-privilege)."
          : '';
    return {
      ...view,
      message:
        (view.missingPermissions.length
          ? `Consent recorded, but these permissions are missing: ${view.missingPermissions.join(', ')}. Grant them in Entra ID (Enterprise applications → Permissions) or consent again.`
          : 'Consent recorded; your organization is onboarded.') + scoped,
    };
  }
}
