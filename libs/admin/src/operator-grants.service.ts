import {
  OperatorGrantEntity,
  OperatorGrantRepository,
  UnitOfWork,
  type TenantEntity,
} from '@app/persistence';
import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod/v4';
import type { Actor } from './actor';
import { Forbidden } from './forbidden';
import type { PageInput } from './schemas';
import { Conflict, NotFound, UUID, ValidationFailed } from './validation';

const uuid = z.string().regex(UUID, 'expected a UUID');

export const createOperatorGrantSchema = z.strictObject({
  /** The operator's home Entra tenant id (the `tid` of their sign-in). */
  operatorTenantId: uuid,
  /** The operator's Entra object id in that tenant (the `oid` of their sign-in). */
  operatorObjectId: uuid,
  role: z.enum(['admin', 'viewer']),
  /** A free label for the admins of this tenant, e.g. the MSP's company; not a person's name. */
  label: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(100, 'at most 100 characters')
    .optional(),
});
export type CreateOperatorGrantInput = z.output<typeof createOperatorGrantSchema>;

export interface OperatorGrantView {
  id: string;
  operatorTenantId: string;
  operatorObjectId: string;
  role: 'admin' | 'viewer';
  label: string | null;
  grantedBy: string;
  createdAt: Date;
}

/** A tenant an operator may manage, as GET /api/operator/tenants lists it. */
export interface ManagedTenantView {
  /** Our tenant id: the value of X-Tenant-Id. */
  tenantId: string;
  azureTenantId: string | null;
  displayName: string | null;
  /** Orphaned and suspended tenants are listed too: the same routes stay open as for their own admins. */
  status: string;
  role: 'admin' | 'viewer';
}

/** An operator's grant on a tenant, with that tenant, as the auth guard resolves it. */
export interface ResolvedGrant {
  grantId: string;
  role: 'admin' | 'viewer';
  tenant: TenantEntity;
}

function view(g: OperatorGrantEntity): OperatorGrantView {
  return {
    id: g.id,
    operatorTenantId: g.operatorTenantId,
    operatorObjectId: g.operatorObjectId,
    role: g.role,
    label: g.label,
    grantedBy: g.grantedBy,
    createdAt: g.createdAt,
  };
}

/** The audit actor id of an MSP operator: home tenant id and object id. */
export function operatorActorId(tid: string, oid: string): string {
  return `${tid.toLowerCase()}/${oid.toLowerCase()}`;
}

/**
 * MSP operators: a tenant's admins grant a user of another Entra tenant Admin or Viewer on
 * their tenant; the operator then acts for it with X-Tenant-Id. Grants are managed only by the
 * tenant's own admins (never by an operator), and revoking deletes the grant at once.
 */
@Injectable()
export class OperatorGrantsService {
  constructor(
    @Inject(OperatorGrantRepository) private readonly grants: OperatorGrantRepository,
    @Inject(UnitOfWork) private readonly unitOfWork: UnitOfWork,
  ) {}

  async list(
    tenantId: string,
    page: PageInput,
  ): Promise<{ items: OperatorGrantView[]; total: number }> {
    const [rows, total] = await this.grants.page(tenantId, page);
    return { items: rows.map(view), total };
  }

  async create(actor: Actor, input: CreateOperatorGrantInput): Promise<OperatorGrantView> {
    ownTenantOnly(actor);
    const operatorTenantId = input.operatorTenantId.toLowerCase();
    const operatorObjectId = input.operatorObjectId.toLowerCase();
    return this.unitOfWork.run(async (tx) => {
      const tenant = await tx.tenants.findById(actor.tenantId);
      if (!tenant) throw new NotFound('tenant');
      if (tenant.azureTenantId === operatorTenantId)
        throw new ValidationFailed([
          {
            field: 'operatorTenantId',
            message:
              'is this organization itself: give its own users an app role (Sync.Admin or Sync.Viewer) instead',
          },
        ]);
      const operator = { operatorTenantId, operatorObjectId };
      if (await tx.operatorGrants.findForOperator(actor.tenantId, operator))
        throw new Conflict('this operator already has a grant on the tenant: revoke it first', [
          { field: 'operatorObjectId', message: 'already granted' },
        ]);
      const row = Object.assign(new OperatorGrantEntity(), {
        tenantId: actor.tenantId,
        ...operator,
        role: input.role,
        label: input.label ?? null,
        grantedBy: actor.id.slice(0, 100),
      });
      await tx.operatorGrants.insert(row);
      await tx.audit.record(
        actor,
        'operator_grant.create',
        { type: 'operator_grant', id: row.id },
        { operatorTenantId, operatorObjectId, role: row.role, label: row.label },
      );
      return view(row);
    });
  }

  async revoke(actor: Actor, id: string): Promise<void> {
    ownTenantOnly(actor);
    await this.unitOfWork.run(async (tx) => {
      const row = await tx.operatorGrants.findInTenant(actor.tenantId, id.toLowerCase());
      if (!row) throw new NotFound('operator grant');
      await tx.operatorGrants.deleteInTenant(actor.tenantId, row.id);
      await tx.audit.record(
        actor,
        'operator_grant.revoke',
        { type: 'operator_grant', id: row.id },
        {
          operatorTenantId: row.operatorTenantId,
          operatorObjectId: row.operatorObjectId,
          role: row.role,
        },
      );
    });
  }

  /** The tenants a signed-in user (home tenant id, object id) holds grants on. */
  async tenantsOf(
    tid: string,
    oid: string,
    page: PageInput,
  ): Promise<{ items: ManagedTenantView[]; total: number }> {
    const [rows, total] = await this.grants.pageForOperator(
      { operatorTenantId: tid.toLowerCase(), operatorObjectId: oid.toLowerCase() },
      page,
    );
    return {
      items: rows.map((g) => ({
        tenantId: g.tenantId,
        azureTenantId: g.tenant!.azureTenantId,
        displayName: g.tenant!.displayName,
        status: g.tenant!.status === 'consent_revoked' ? 'orphaned' : g.tenant!.status,
        role: g.role,
      })),
      total,
    };
  }

  /** The grant of this operator on our tenant `tenantId`, or undefined (unknown id, no grant, revoked). */
  async resolve(tid: string, oid: string, tenantId: string): Promise<ResolvedGrant | undefined> {
    const row = await this.grants.findForOperator(
      tenantId.toLowerCase(),
      { operatorTenantId: tid.toLowerCase(), operatorObjectId: oid.toLowerCase() },
      { withTenant: true },
    );
    if (!row?.tenant || (row.role !== 'admin' && row.role !== 'viewer')) return undefined;
    return { grantId: row.id, role: row.role, tenant: row.tenant };
  }
}

/** Operators never create or change grants, whatever their role: only the tenant's own admins do. */
function ownTenantOnly(actor: Actor): void {
  if (actor.type === 'operator')
    throw new Forbidden(
      'operator_forbidden',
      "operator grants are managed only by the tenant's own administrators",
    );
}
