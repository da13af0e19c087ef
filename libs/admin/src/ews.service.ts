import { APP_CONFIG, type AppConfig } from '@app/config';
import { ewsUrlProblem, testEwsConnection, type EwsConnectionTestResult } from '@app/microsoft';
import { EwsConnectionEntity, EwsConnectionRepository, UnitOfWork } from '@app/persistence';
import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod/v4';
import type { Actor } from './actor';
import { NotFound, UUID, ValidationFailed } from './validation';

export const ewsSettingsSchema = z.strictObject({
  /** EWS endpoint of Exchange Server on-premises, e.g. https://mail.contoso.com/EWS/Exchange.asmx. */
  serverUrl: z
    .string()
    .max(500, 'at most 500 characters')
    .refine((v) => {
      try {
        const u = new URL(v);
        // http:// passes here and is refused by the service unless EWS_ALLOW_HTTP (a lab) allows it
        return (
          (u.protocol === 'https:' || u.protocol === 'http:') &&
          u.hostname !== '' &&
          !u.username &&
          !u.password
        );
      } catch {
        return false;
      }
    }, 'expected an https:// URL without credentials'),
  /** Service account, e.g. CONTOSO\\svc-sync or svc-sync@contoso.com. */
  username: z.string().trim().min(1, 'required').max(256, 'at most 256 characters'),
  /** Write-only; required the first time, omitted = keep the stored one. */
  password: z.string().min(1, 'must not be empty').max(256, 'at most 256 characters').optional(),
  /**
   * Mailbox to impersonate for a test (ApplicationImpersonation), and the mailbox an EWS-only
   * organisation's directory is read as. Omitted = keep the stored one; null = none (refused for
   * an EWS-only organisation, whose directory needs it).
   */
  impersonationAddress: z
    .email('expected an e-mail address')
    .max(320, 'at most 320 characters')
    .nullable()
    .optional()
    .meta({
      description:
        'Mailbox to impersonate (ApplicationImpersonation); an EWS-only organisation reads its directory as it. Omitted = keep the stored one; null = none (refused for an EWS-only organisation).',
    }),
  /**
   * An EWS-only organisation's directory (ADR 0047): the GUID of the Global Address List that
   * FindPeople pages (`Get-GlobalAddressList | Format-List Name,Guid`), read as the
   * impersonation address's mailbox. Omitted = keep the stored one; null = none (a hybrid
   * tenant's directory is Entra ID; refused for an EWS-only organisation).
   */
  addressListId: z
    .string()
    .regex(UUID, 'expected the Global Address List GUID (Get-GlobalAddressList | Format-List Guid)')
    .transform((v) => v.toLowerCase())
    .nullable()
    .optional()
    .meta({
      description:
        "An EWS-only organisation's directory: the GUID of its Global Address List (Get-GlobalAddressList | Format-List Name,Guid). Omitted = keep the stored one; null = none (a hybrid tenant's directory is Entra ID; refused for an EWS-only organisation).",
    }),
  /** How the service account signs in: NTLM (default; on-premises EWS offers it) or Basic. */
  authMode: z.enum(['ntlm', 'basic']).default('ntlm'),
  /**
   * PEM of the CA that signs the server's certificate (the customer's own CA); null = system CAs.
   * Omitted = keep the stored one, as for the password (a form need not resend it to save).
   */
  caCertificate: z
    .string()
    .max(20_000, 'at most 20,000 characters')
    .regex(
      /-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/,
      'expected a PEM certificate',
    )
    .nullable()
    .optional()
    .meta({
      description:
        "PEM of the CA that signs the server's certificate. Omitted = keep the stored one; null = none (system CAs).",
    }),
});
export type EwsSettingsInput = z.output<typeof ewsSettingsSchema>;

export const ewsTestSchema = z.strictObject({
  /** Mailbox to open through impersonation; omitted = the stored impersonation address. */
  mailbox: z.email('expected an e-mail address').max(320, 'at most 320 characters').optional(),
});
export type EwsTestInput = z.output<typeof ewsTestSchema>;

export interface EwsSettingsView {
  configured: boolean;
  serverUrl?: string;
  username?: string;
  impersonationAddress?: string | null;
  addressListId?: string | null;
  authMode?: 'ntlm' | 'basic';
  caCertificateSet?: boolean;
  /** The password is never returned; only whether one is stored. */
  passwordSet: boolean;
  updatedAt?: Date;
}

export function ewsSettingsView(row: EwsConnectionEntity | null): EwsSettingsView {
  if (!row) return { configured: false, passwordSet: false };
  return {
    configured: true,
    serverUrl: row.serverUrl,
    username: row.username,
    impersonationAddress: row.impersonationAddress,
    addressListId: row.addressListId ?? null,
    authMode: row.authMode ?? 'ntlm',
    caCertificateSet: !!row.caCertificate,
    passwordSet: !!row.passwordEncrypted,
    updatedAt: row.updatedAt,
  };
}

/** EWS connection of a tenant with on-premises mailboxes; its repository seals the password. */
@Injectable()
export class EwsService {
  constructor(
    @Inject(EwsConnectionRepository) private readonly connections: EwsConnectionRepository,
    @Inject(UnitOfWork) private readonly unitOfWork: UnitOfWork,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async get(tenantId: string): Promise<EwsSettingsView> {
    return ewsSettingsView(await this.connections.findForTenant(tenantId));
  }

  async put(actor: Actor, input: EwsSettingsInput): Promise<EwsSettingsView> {
    const problem = ewsUrlProblem(input.serverUrl, this.config.ews.allowHttp);
    if (problem)
      throw new ValidationFailed([
        { field: 'serverUrl', message: problem.replace(/^serverUrl: /, '') },
      ]);
    return this.unitOfWork.run(async (tx) => {
      const existing = await tx.ewsConnections.findForTenant(actor.tenantId);
      if (!existing && input.password === undefined)
        throw new ValidationFailed([
          { field: 'password', message: 'required when no connection is stored yet' },
        ]);
      const row =
        existing ?? Object.assign(new EwsConnectionEntity(), { tenantId: actor.tenantId });
      row.serverUrl = input.serverUrl;
      row.username = input.username;
      // Omitted = keep the stored value (a script or form need not resend it); null clears.
      if (input.impersonationAddress !== undefined)
        row.impersonationAddress = input.impersonationAddress?.toLowerCase() ?? null;
      else row.impersonationAddress ??= null;
      if (input.addressListId !== undefined) row.addressListId = input.addressListId;
      else row.addressListId ??= null;
      row.authMode = input.authMode;
      if (input.caCertificate !== undefined) row.caCertificate = input.caCertificate;
      else row.caCertificate ??= null;
      const tenant = await tx.tenants.findById(actor.tenantId);
      if (tenant && tenant.azureTenantId === null) {
        // An EWS-only organisation's directory is this Global Address List, read as this mailbox.
        const problems = [];
        if (!row.addressListId)
          problems.push({
            field: 'addressListId',
            message:
              'required for an EWS-only organisation (its directory is this Global Address List): Get-GlobalAddressList | Format-List Name,Guid',
          });
        if (!row.impersonationAddress)
          problems.push({
            field: 'impersonationAddress',
            message:
              'required for an EWS-only organisation (the mailbox its Global Address List is read as)',
          });
        if (problems.length) throw new ValidationFailed(problems);
      }
      await tx.ewsConnections.save(row, input.password);
      await tx.audit.record(
        actor,
        existing ? 'ews.update' : 'ews.create',
        { type: 'ews_connection', id: row.id },
        {
          serverUrl: row.serverUrl,
          username: row.username,
          impersonationAddress: row.impersonationAddress,
          addressListId: row.addressListId,
          authMode: row.authMode,
          caCertificateSet: !!row.caCertificate,
          passwordChanged: input.password !== undefined,
        },
      );
      return ewsSettingsView(row);
    });
  }

  async remove(actor: Actor): Promise<void> {
    await this.unitOfWork.run(async (tx) => {
      const row = await tx.ewsConnections.findForTenant(actor.tenantId);
      if (!row) throw new NotFound('EWS connection');
      await tx.ewsConnections.deleteInTenant(actor.tenantId, row.id);
      await tx.audit.record(actor, 'ews.delete', { type: 'ews_connection', id: row.id });
    });
  }

  /**
   * Tests the stored connection as a sync would use it (sign-in, TLS, impersonation of the
   * mailbox): ok, or a distinct code and a sentence saying what to fix. Changes nothing.
   */
  async test(tenantId: string, input: EwsTestInput): Promise<EwsConnectionTestResult> {
    const row = await this.connections.findForTenant(tenantId);
    const password = row ? await this.connections.password(tenantId) : null;
    if (!row || password === null) throw new NotFound('EWS connection');
    return testEwsConnection(
      {
        serverUrl: row.serverUrl,
        username: row.username,
        password,
        authMode: row.authMode === 'basic' ? 'basic' : 'ntlm',
        caPem: row.caCertificate ?? null,
      },
      input.mailbox?.toLowerCase() ?? row.impersonationAddress ?? null,
      // a test answers within 20 s (or the configured request timeout when shorter)
      {
        allowHttp: this.config.ews.allowHttp,
        timeoutMs: Math.min(this.config.ews.timeoutMs, 20_000),
      },
    );
  }

  /** The stored password, for the engine's EWS client only (never for an API answer). */
  async password(tenantId: string): Promise<string | null> {
    return this.connections.password(tenantId);
  }
}
