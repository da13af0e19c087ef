import {
  ApiTokensService,
  OperatorGrantsService,
  operatorActorId,
  TenantsService,
  UUID,
  ValidationFailed,
} from '@app/admin';
import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { timingSafeEqual } from 'node:crypto';
import {
  ONBOARDING_ROUTE,
  OWN_TENANT_ONLY,
  PUBLIC_ROUTE,
  REQUIRED_ROLE,
  type AuthedRequest,
  type Principal,
  type Role,
} from './principal';
import { parseCookies, SESSION_COOKIE, SessionStore, type SessionData } from './session-store';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The header an MSP operator sends to act for a managed tenant (our tenant id). */
export const OPERATOR_TENANT_HEADER = 'x-tenant-id';

export function roleFromClaims(roles: readonly string[]): Role | null {
  if (roles.includes('Sync.Admin')) return 'admin';
  if (roles.includes('Sync.Viewer')) return 'viewer';
  return null;
}

/**
 * Every API route: who is calling (Bearer API token or session cookie; 401 otherwise), for
 * which tenant (an MSP operator's X-Tenant-Id needs a grant; 403 operator_not_granted), CSRF
 * on state-changing requests of a session (403), an onboarded tenant except on onboarding
 * routes (403), and the role (Viewer reads, Admin changes; 403).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(SessionStore) private readonly sessions: SessionStore,
    @Inject(ApiTokensService) private readonly tokens: ApiTokensService,
    @Inject(TenantsService) private readonly tenants: TenantsService,
    @Inject(OperatorGrantsService) private readonly grants: OperatorGrantsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const req = context.switchToHttp().getRequest<AuthedRequest>();
    const principal = await this.identify(req);
    req.principal = principal;

    if (principal.kind === 'session' && !SAFE_METHODS.has(req.method)) {
      // Compared as bytes: a header with non-ASCII characters has as many characters as the
      // token but more bytes, and timingSafeEqual throws on unequal lengths.
      const sent = Buffer.from(req.header('x-csrf-token') ?? '', 'utf8');
      const expected = Buffer.from(principal.session!.csrf, 'utf8');
      if (sent.length !== expected.length || !timingSafeEqual(sent, expected))
        throw new ForbiddenException({
          error: 'csrf',
          message: 'missing or wrong X-CSRF-Token header',
        });
    }
    if (principal.operator && this.reflector.getAllAndOverride<boolean>(OWN_TENANT_ONLY, targets))
      throw new ForbiddenException({
        error: 'operator_forbidden',
        message: "only the tenant's own administrators may do this, not an MSP operator",
      });
    if (this.reflector.getAllAndOverride<boolean>(ONBOARDING_ROUTE, targets)) return true;
    if (!principal.tenant || principal.tenant.status !== 'active')
      throw new ForbiddenException({
        error: 'tenant_not_onboarded',
        message:
          'Your organization is not onboarded: an administrator must grant consent first (GET /api/onboarding/consent).',
      });
    const required =
      this.reflector.getAllAndOverride<Role | undefined>(REQUIRED_ROLE, targets) ??
      (SAFE_METHODS.has(req.method) ? 'viewer' : 'admin');
    if (!principal.role || (required === 'admin' && principal.role !== 'admin'))
      throw new ForbiddenException({
        error: 'forbidden',
        message: `needs the ${required === 'admin' ? 'Sync.Admin' : 'Sync.Viewer or Sync.Admin'} role`,
      });
    return true;
  }

  private async identify(req: AuthedRequest): Promise<Principal> {
    const authorization = req.header('authorization');
    const actingFor = req.header(OPERATOR_TENANT_HEADER);
    if (authorization !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization);
      const found = match ? await this.tokens.authenticate(match[1]) : undefined;
      if (!found)
        throw new UnauthorizedException({
          error: 'unauthorized',
          message: 'invalid or revoked API token',
        });
      // A token belongs to one tenant; acting for another is for signed-in operators only.
      if (actingFor !== undefined)
        throw new ValidationFailed([
          {
            field: 'X-Tenant-Id',
            message:
              'not accepted with an API token (a token acts for its own tenant only); MSP operators sign in',
          },
        ]);
      // By our id: an EWS-only organisation has no Entra tenant id.
      const tenant = (await this.tenants.byId(found.tenantId)) ?? undefined;
      return {
        kind: 'api_token',
        azureTenantId: found.azureTenantId,
        tenant,
        role: found.role,
        actorId: found.tokenId,
      };
    }
    const sessionId = this.sessions.unsign(parseCookies(req.header('cookie'))[SESSION_COOKIE]);
    const session = sessionId ? await this.sessions.get(sessionId) : undefined;
    if (!sessionId || !session)
      throw new UnauthorizedException({
        error: 'unauthorized',
        message: 'sign in first (GET /api/auth/login)',
      });
    const tenant = (await this.tenants.byAzureId(session.tid)) ?? undefined;
    if (actingFor !== undefined && actingFor.toLowerCase() !== tenant?.id)
      return this.asOperator(actingFor, session, sessionId);
    let role = roleFromClaims(session.roles);
    if (tenant?.status === 'active' && tenant.consentedBy === session.oid) role = 'admin';
    return {
      kind: 'session',
      azureTenantId: session.tid,
      tenant,
      role,
      actorId: session.oid,
      sessionId,
      session,
    };
  }

  /**
   * A signed-in user acting for a managed tenant: the grant sets tenant and role (the user's
   * own token roles never raise it). Unknown id, no grant and a revoked grant answer the same.
   */
  private async asOperator(
    actingFor: string,
    session: SessionData,
    sessionId: string,
  ): Promise<Principal> {
    if (!UUID.test(actingFor))
      throw new ValidationFailed([{ field: 'X-Tenant-Id', message: 'expected a UUID' }]);
    const grant = await this.grants.resolve(session.tid, session.oid, actingFor);
    if (!grant)
      throw new ForbiddenException({
        error: 'operator_not_granted',
        message: 'you hold no operator grant for this tenant id (GET /api/operator/tenants)',
      });
    return {
      kind: 'session',
      azureTenantId: grant.tenant.azureTenantId,
      tenant: grant.tenant,
      role: grant.role,
      actorId: operatorActorId(session.tid, session.oid),
      operator: { tid: session.tid, oid: session.oid, grantId: grant.grantId },
      sessionId,
      session,
    };
  }
}
