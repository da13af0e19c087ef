import { ewsUrlProblem } from '@app/microsoft';
import { EwsConnectionEntity, TenantEntity, UnitOfWork, type AuditActor } from '@app/persistence';
import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod/v4';
import { ApiTokensService, type ApiTokenView } from './api-tokens.service';
import { ewsSettingsSchema, ewsSettingsView, type EwsSettingsView } from './ews.service';
import { tenantView, type TenantView } from './tenants.service';

/**
 * An EWS-only organisation as the installation's operator creates it (ADR 0047): Exchange
 * Server on-premises without Microsoft 365, so nobody of it can sign in with Microsoft or
 * grant a consent. Its EWS connection carries everything the directory and the mailboxes need
 * (password, Global Address List id and the mailbox to read it as are required here), and an
 * Admin API token is its administrators' way in (shown once). An http:// EWS URL is accepted
 * only where EWS_ALLOW_HTTP (a lab) allows it, and refused with the body's other problems in one
 * 400, as PUT /api/ews refuses it.
 */
export function createEwsOrganisationSchemaFor(allowHttp: boolean) {
  return z.strictObject({
    displayName: z.string().trim().min(1, 'required').max(256, 'at most 256 characters'),
    ews: ewsSettingsSchema.extend({
      serverUrl: ewsSettingsSchema.shape.serverUrl.superRefine((url, ctx) => {
        const problem = url.startsWith('http:') ? ewsUrlProblem(url, allowHttp) : undefined;
        if (problem) ctx.addIssue({ code: 'custom', message: problem.replace(/^serverUrl: /, '') });
      }),
      password: z.string().min(1, 'required').max(256, 'at most 256 characters'),
      impersonationAddress: z
        .email('expected the e-mail address of a mailbox to read the Global Address List as')
        .max(320, 'at most 320 characters'),
      addressListId: z
        .string()
        .regex(
          /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
          'expected the Global Address List GUID (Get-GlobalAddressList | Format-List Guid)',
        )
        .transform((v) => v.toLowerCase()),
    }),
    /** The organisation's first Admin API token. */
    adminToken: z
      .strictObject({
        name: z.string().trim().min(1, 'required').max(100, 'at most 100 characters'),
        expiresInDays: z.number().int().min(1).max(3650).optional(),
      })
      .default({ name: 'First administrator' }),
  });
}
export type CreateEwsOrganisationInput = z.output<
  ReturnType<typeof createEwsOrganisationSchemaFor>
>;

export interface EwsOrganisationCreated {
  organization: TenantView;
  ews: EwsSettingsView;
  /** Shown once: the organisation's administrators use it as `Authorization: Bearer`. */
  apiToken: ApiTokenView & { token: string };
}

/** The installation operator's audit identity in the new organisation's log. */
export const INSTALLATION_OPERATOR_ID = 'installation-operator';

@Injectable()
export class OrganisationsService {
  constructor(
    @Inject(UnitOfWork) private readonly unitOfWork: UnitOfWork,
    @Inject(ApiTokensService) private readonly tokens: ApiTokensService,
  ) {}

  async createEwsOnly(input: CreateEwsOrganisationInput): Promise<EwsOrganisationCreated> {
    // One transaction: an organisation is never left without the token that is its only way in.
    return this.unitOfWork.run(async (tx) => {
      const tenant = await tx.tenants.save(
        Object.assign(new TenantEntity(), {
          azureTenantId: null,
          displayName: input.displayName,
          status: 'active',
          consentedBy: null,
          consentedAt: null,
          grantedPermissions: null,
          mailboxAccess: null,
        }),
      );
      const actor: AuditActor = {
        tenantId: tenant.id,
        type: 'system',
        id: INSTALLATION_OPERATOR_ID,
      };
      const e = input.ews;
      const connection = Object.assign(new EwsConnectionEntity(), {
        tenantId: tenant.id,
        serverUrl: e.serverUrl,
        username: e.username,
        impersonationAddress: e.impersonationAddress.toLowerCase(),
        addressListId: e.addressListId,
        authMode: e.authMode,
        caCertificate: e.caCertificate,
      });
      await tx.ewsConnections.save(connection, e.password);
      await tx.audit.record(
        actor,
        'tenant.create_ews_only',
        { type: 'tenant', id: tenant.id },
        { displayName: tenant.displayName, serverUrl: e.serverUrl, username: e.username },
      );
      const apiToken = await this.tokens.createIn(
        tx,
        actor,
        {
          name: input.adminToken.name,
          role: 'admin',
          expiresInDays: input.adminToken.expiresInDays,
        },
        'adminToken.expiresInDays',
      );
      return { organization: tenantView(tenant), ews: ewsSettingsView(connection), apiToken };
    });
  }
}
