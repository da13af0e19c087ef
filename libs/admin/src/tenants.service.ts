import {
  AdminUserEntity,
  AdminUserRepository,
  AuditEventRepository,
  TenantEntity,
  TenantRepository,
  UnitOfWork,
  type AdminRole,
} from '@app/persistence';
import { MAILBOX_PERMISSIONS } from '@app/microsoft';
import { Inject, Injectable } from '@nestjs/common';
import type { AuditQueryInput } from './schemas';

/** Application permissions our registration needs (docs/entra-app.md). */
export const REQUIRED_PERMISSIONS = [
  'User.Read.All',
  'GroupMember.Read.All',
  'OrgContact.Read.All',
  'Contacts.ReadWrite',
  'Calendars.ReadWrite',
  'MailboxSettings.Read',
] as const;

export interface TenantView {
  id: string;
  /** Null for an EWS-only organisation (Exchange Server on-premises, no Microsoft 365). */
  azureTenantId: string | null;
  displayName: string | null;
  /** `orphaned`: the consent vanished from outside (the engine saw it revoked); re-consent restores it. */
  status: TenantEntity['status'];
  consentedBy: string | null;
  consentedAt: Date | null;
  grantedPermissions: string[];
  /**
   * Required permissions neither granted in Entra ID nor left to Exchange: the mailbox ones
   * (Contacts.ReadWrite, Calendars.ReadWrite) are not missing when mailbox access is scoped by
   * Exchange's RBAC for Applications (see mailboxAccess).
   */
  missingPermissions: string[];
  /**
   * `entra`: mailbox permissions granted tenant-wide; `exchange_rbac`: not in Entra, a probed
   * mailbox answered (Exchange RBAC for Applications scopes the app); `unverified`: not in
   * Entra and the probe was refused (mailboxes outside the app's scope are reported per run).
   */
  mailboxAccess: TenantEntity['mailboxAccess'];
  /** For an orphaned tenant: what happened and how to restore it. */
  reconsent?: { url: string; message: string };
}

export function tenantView(t: TenantEntity): TenantView {
  const granted = t.grantedPermissions ? (JSON.parse(t.grantedPermissions) as string[]) : [];
  const orphaned = t.status === 'consent_revoked' || t.status === 'orphaned';
  return {
    id: t.id,
    azureTenantId: t.azureTenantId,
    displayName: t.displayName,
    status: orphaned ? 'orphaned' : t.status,
    consentedBy: t.consentedBy,
    consentedAt: t.consentedAt,
    grantedPermissions: granted,
    missingPermissions: REQUIRED_PERMISSIONS.filter(
      (p) =>
        !granted.includes(p) &&
        !(
          (t.mailboxAccess === 'exchange_rbac' || t.mailboxAccess === 'unverified') &&
          (MAILBOX_PERMISSIONS as readonly string[]).includes(p)
        ),
    ),
    mailboxAccess: t.mailboxAccess ?? null,
    ...(orphaned
      ? {
          reconsent: {
            url: '/api/onboarding/consent',
            message:
              'The consent of our app was revoked or the app was removed in Entra ID, so syncing has stopped. An administrator can consent again to restore it; clean-up and revoke is possible after that.',
          },
        }
      : {}),
  };
}

/** Tenants, their admins and their audit log. */
@Injectable()
export class TenantsService {
  constructor(
    @Inject(TenantRepository) private readonly tenants: TenantRepository,
    @Inject(AdminUserRepository) private readonly adminUsers: AdminUserRepository,
    @Inject(AuditEventRepository) private readonly auditEvents: AuditEventRepository,
    @Inject(UnitOfWork) private readonly unitOfWork: UnitOfWork,
  ) {}

  async byId(id: string): Promise<TenantEntity | null> {
    return this.tenants.findById(id);
  }

  async byAzureId(azureTenantId: string): Promise<TenantEntity | null> {
    return this.tenants.findByAzureId(azureTenantId.toLowerCase());
  }

  /**
   * Records a verified consent in one transaction: the tenant (active, who, when, granted
   * permissions), the consenting admin as Admin, and the audit event.
   */
  async recordConsent(input: {
    azureTenantId: string;
    adminOid: string;
    grantedPermissions: string[];
  }): Promise<TenantEntity> {
    return this.unitOfWork.run(async (tx) => {
      const azureTenantId = input.azureTenantId.toLowerCase();
      const tenant =
        (await tx.tenants.findByAzureId(azureTenantId)) ??
        Object.assign(new TenantEntity(), { azureTenantId, displayName: null });
      const reconsent = tenant.consentedAt !== undefined && tenant.consentedAt !== null;
      tenant.status = 'active';
      tenant.consentedBy = input.adminOid.toLowerCase();
      tenant.consentedAt = new Date();
      tenant.grantedPermissions = JSON.stringify([...input.grantedPermissions].sort());
      await tx.tenants.save(tenant);
      const oid = input.adminOid.toLowerCase();
      const admin =
        (await tx.adminUsers.findByOid(tenant.id, oid)) ??
        Object.assign(new AdminUserEntity(), { tenantId: tenant.id, oid, profileEncrypted: null });
      admin.role = 'admin';
      admin.lastSignInAt = new Date();
      await tx.adminUsers.save(admin);
      await tx.audit.record(
        { tenantId: tenant.id, type: 'admin', id: oid },
        reconsent ? 'tenant.reconsent' : 'tenant.consent',
        { type: 'tenant', id: tenant.id },
        { grantedPermissions: input.grantedPermissions },
      );
      return tenant;
    });
  }

  /**
   * Audits a sign-in to a tenant we know: `auth.sign_in` (with the role it gave) or
   * `auth.sign_in_failed` (with why: `no_role`, `expired`, `revoked`). Never a token or a code.
   */
  async auditSignIn(
    actor: { tenantId: string; type: 'admin' | 'api_token'; id: string },
    outcome: { ok: true; role: AdminRole; via: 'microsoft' } | { ok: false; reason: string },
  ): Promise<void> {
    await this.unitOfWork.run((tx) =>
      tx.audit.record(
        actor,
        outcome.ok ? 'auth.sign_in' : 'auth.sign_in_failed',
        actor.type === 'api_token' ? { type: 'api_token', id: actor.id } : null,
        outcome.ok ? { role: outcome.role, via: outcome.via } : { reason: outcome.reason },
      ),
    );
  }

  /** Records how the app reaches mailboxes, as the consent check found it. */
  async recordMailboxAccess(
    tenant: TenantEntity,
    access: NonNullable<TenantEntity['mailboxAccess']>,
  ): Promise<TenantEntity> {
    tenant.mailboxAccess = access;
    return this.tenants.save(tenant);
  }

  /** Records a sign-in; returns the stored role (the consenting admin stays Admin). */
  async recordSignIn(
    tenantId: string,
    oid: string,
    tokenRole: AdminRole | null,
  ): Promise<AdminRole | null> {
    const key = oid.toLowerCase();
    const existing = await this.adminUsers.findByOid(tenantId, key);
    const role: AdminRole | null = existing?.role === 'admin' ? 'admin' : tokenRole;
    if (!role) return null;
    const row =
      existing ??
      Object.assign(new AdminUserEntity(), { tenantId, oid: key, profileEncrypted: null });
    row.role = role;
    row.lastSignInAt = new Date();
    await this.adminUsers.save(row);
    return role;
  }

  /**
   * The audit log. `forViewer`: operator identities are left out (who an MSP operator is, and
   * the details of grants), as `/api/tenant/operators` is for Admins only; the events stay.
   */
  async auditLog(tenantId: string, query: AuditQueryInput, options: { forViewer?: boolean } = {}) {
    const { limit, offset, from, to, ...filter } = query;
    // A Viewer does not see who an operator is, so may not look events up by it either.
    if (options.forViewer && filter.actorId?.includes('/')) return { items: [], total: 0 };
    const [rows, total] = await this.auditEvents.page(
      tenantId,
      { limit, offset },
      {
        ...filter,
        from: from ? new Date(from) : undefined,
        to: to ? new Date(to) : undefined,
      },
    );
    return {
      items: rows.map((r) => {
        const details = r.details ? (JSON.parse(r.details) as Record<string, unknown>) : null;
        const hideOperator = options.forViewer === true;
        return {
          id: r.id,
          at: r.createdAt,
          actorType: r.actorType,
          actorId: hideOperator && r.actorType === 'operator' ? null : r.actorId,
          action: r.action,
          targetType: r.targetType,
          targetId: r.targetId,
          details:
            hideOperator && r.targetType === 'operator_grant' && details
              ? { role: details.role ?? null, redacted: true }
              : details,
        };
      }),
      total,
    };
  }
}
