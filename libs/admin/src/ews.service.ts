import { EwsConnectionEntity, EwsConnectionRepository, UnitOfWork } from '@app/persistence';
import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod/v4';
import type { Actor } from './actor';
import { NotFound, ValidationFailed } from './validation';

export const ewsSettingsSchema = z.strictObject({
  /** EWS endpoint of Exchange Server on-premises, e.g. https://mail.contoso.com/EWS/Exchange.asmx. */
  serverUrl: z
    .string()
    .max(500, 'at most 500 characters')
    .refine((v) => {
      try {
        const u = new URL(v);
        return u.protocol === 'https:' && u.hostname !== '' && !u.username && !u.password;
      } catch {
        return false;
      }
    }, 'expected an https:// URL without credentials'),
  /** Service account, e.g. CONTOSO\\svc-sync or svc-sync@contoso.com. */
  username: z.string().trim().min(1, 'required').max(256, 'at most 256 characters'),
  /** Write-only; required the first time, omitted = keep the stored one. */
  password: z.string().min(1, 'must not be empty').max(256, 'at most 256 characters').optional(),
  /** Mailbox to impersonate for a test (ApplicationImpersonation); null = none. */
  impersonationAddress: z
    .email('expected an e-mail address')
    .max(320, 'at most 320 characters')
    .nullable()
    .default(null),
});
export type EwsSettingsInput = z.output<typeof ewsSettingsSchema>;

export interface EwsSettingsView {
  configured: boolean;
  serverUrl?: string;
  username?: string;
  impersonationAddress?: string | null;
  /** The password is never returned; only whether one is stored. */
  passwordSet: boolean;
  updatedAt?: Date;
}

function view(row: EwsConnectionEntity | null): EwsSettingsView {
  if (!row) return { configured: false, passwordSet: false };
  return {
    configured: true,
    serverUrl: row.serverUrl,
    username: row.username,
    impersonationAddress: row.impersonationAddress,
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
  ) {}

  async get(tenantId: string): Promise<EwsSettingsView> {
    return view(await this.connections.findForTenant(tenantId));
  }

  async put(actor: Actor, input: EwsSettingsInput): Promise<EwsSettingsView> {
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
      row.impersonationAddress = input.impersonationAddress?.toLowerCase() ?? null;
      await tx.ewsConnections.save(row, input.password);
      await tx.audit.record(
        actor,
        existing ? 'ews.update' : 'ews.create',
        { type: 'ews_connection', id: row.id },
        {
          serverUrl: row.serverUrl,
          username: row.username,
          impersonationAddress: row.impersonationAddress,
          passwordChanged: input.password !== undefined,
        },
      );
      return view(row);
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

  /** The stored password, for the engine's EWS client only (never for an API answer). */
  async password(tenantId: string): Promise<string | null> {
    return this.connections.password(tenantId);
  }
}
