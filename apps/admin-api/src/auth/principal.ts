import type { Actor } from '@app/admin';
import type { TenantEntity } from '@app/persistence';
import {
  applyDecorators,
  createParamDecorator,
  ExecutionContext,
  SetMetadata,
} from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import type { Request } from 'express';
import type { SessionData } from './session-store';

export type Role = 'admin' | 'viewer';

/**
 * Who is calling: a signed-in user (session) or an API token, and for which tenant. An MSP
 * operator (a session sending X-Tenant-Id) acts for the managed tenant: `azureTenantId`,
 * `tenant` and `role` are that tenant's and the grant's, never the operator's own.
 */
export interface Principal {
  kind: 'session' | 'api_token';
  azureTenantId: string | null;
  /** Our tenant row, once the tenant is onboarded and active. */
  tenant?: TenantEntity;
  role: Role | null;
  /** Entra object id of the user, the token's id, or `${tid}/${oid}` of an operator. */
  actorId: string;
  /** Set when a signed-in user acts for another tenant through an operator grant. */
  operator?: { tid: string; oid: string; grantId: string };
  sessionId?: string;
  session?: SessionData;
}

export type AuthedRequest = Request & { principal?: Principal };

export const PUBLIC_ROUTE = 'admin:public';
export const ONBOARDING_ROUTE = 'admin:onboarding';
export const REQUIRED_ROLE = 'admin:role';
export const OWN_TENANT_ONLY = 'admin:own-tenant-only';

/** No sign-in needed (sign-in itself, the API docs). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE, true);
/** Reachable by a signed-in user whose tenant is not onboarded yet. */
export const Onboarding = (): MethodDecorator & ClassDecorator =>
  SetMetadata(ONBOARDING_ROUTE, true);
/** The role a route needs; by default GET needs Viewer and every other method Admin. */
export const RequireRole = (role: Role): MethodDecorator & ClassDecorator =>
  SetMetadata(REQUIRED_ROLE, role);

/** OpenAPI extension of the operations that take no X-Tenant-Id (buildOpenApi skips them). */
export const NO_OPERATOR_HEADER = 'x-operator-tenant-header';

/** Refused to MSP operators (403 operator_forbidden): consent, operator grants, new API tokens. */
export const OwnTenantOnly = (): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(OWN_TENANT_ONLY, true), ApiExtension(NO_OPERATOR_HEADER, false));

export const CurrentPrincipal = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Principal => {
    const principal = ctx.switchToHttp().getRequest<AuthedRequest>().principal;
    if (!principal) throw new Error('no principal on an authenticated route');
    return principal;
  },
);

/** The audit actor of an onboarded principal. */
export function actorOf(p: Principal): Actor {
  if (!p.tenant) throw new Error('tenant not onboarded');
  return {
    tenantId: p.tenant.id,
    type: p.operator ? 'operator' : p.kind === 'api_token' ? 'api_token' : 'admin',
    id: p.actorId,
  };
}

export function tenantIdOf(p: Principal): string {
  if (!p.tenant) throw new Error('tenant not onboarded');
  return p.tenant.id;
}
