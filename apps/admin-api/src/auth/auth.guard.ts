import { ApiTokensService, TenantsService } from '@app/admin';
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
  PUBLIC_ROUTE,
  REQUIRED_ROLE,
  type AuthedRequest,
  type Principal,
  type Role,
} from './principal';
import { parseCookies, SESSION_COOKIE, SessionStore } from './session-store';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function roleFromClaims(roles: readonly string[]): Role | null {
  if (roles.includes('Sync.Admin')) return 'admin';
  if (roles.includes('Sync.Viewer')) return 'viewer';
  return null;
}

/**
 * Every API route: who is calling (Bearer API token or session cookie; 401 otherwise), CSRF
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
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const req = context.switchToHttp().getRequest<AuthedRequest>();
    const principal = await this.identify(req);
    req.principal = principal;

    if (principal.kind === 'session' && !SAFE_METHODS.has(req.method)) {
      const sent = req.header('x-csrf-token') ?? '';
      const expected = principal.session!.csrf;
      if (
        sent.length !== expected.length ||
        !timingSafeEqual(Buffer.from(sent), Buffer.from(expected))
      )
        throw new ForbiddenException({
          error: 'csrf',
          message: 'missing or wrong X-CSRF-Token header',
        });
    }
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
    if (authorization !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization);
      const found = match ? await this.tokens.authenticate(match[1]) : undefined;
      if (!found)
        throw new UnauthorizedException({
          error: 'unauthorized',
          message: 'invalid or revoked API token',
        });
      const tenant = (await this.tenants.byAzureId(found.azureTenantId)) ?? undefined;
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
}
