import { EwsConnectionEntity, RowCipher, withTransaction } from '@app/persistence';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod/v4';
import { audit, type Actor } from './actor';
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

/** EWS connection of a tenant with on-premises mailboxes; the password is stored encrypted with RowCipher. */
@Injectable()
export class EwsService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(RowCipher) private readonly rows: RowCipher,
  ) {}

  async get(tenantId: string): Promise<EwsSettingsView> {
    return view(
      await this.dataSource.getRepository(EwsConnectionEntity).findOne({ where: { tenantId } }),
    );
  }

  async put(actor: Actor, input: EwsSettingsInput): Promise<EwsSettingsView> {
    return withTransaction(this.dataSource, async (manager) => {
      const repo = manager.getRepository(EwsConnectionEntity);
      const existing = await repo.findOne({ where: { tenantId: actor.tenantId } });
      if (!existing && input.password === undefined)
        throw new ValidationFailed([
          { field: 'password', message: 'required when no connection is stored yet' },
        ]);
      const row =
        existing ?? Object.assign(new EwsConnectionEntity(), { tenantId: actor.tenantId });
      row.serverUrl = input.serverUrl;
      row.username = input.username;
      row.impersonationAddress = input.impersonationAddress?.toLowerCase() ?? null;
      if (input.password !== undefined)
        this.rows.seal(EwsConnectionEntity, row, 'passwordEncrypted', input.password);
      await repo.save(row);
      await audit(
        manager,
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
    await withTransaction(this.dataSource, async (manager) => {
      const repo = manager.getRepository(EwsConnectionEntity);
      const row = await repo.findOne({ where: { tenantId: actor.tenantId } });
      if (!row) throw new NotFound('EWS connection');
      await repo.delete({ id: row.id, tenantId: actor.tenantId });
      await audit(manager, actor, 'ews.delete', { type: 'ews_connection', id: row.id });
    });
  }

  /** The stored password, for the engine's EWS client only (never for an API answer). */
  async password(tenantId: string): Promise<string | null> {
    const row = await this.dataSource
      .getRepository(EwsConnectionEntity)
      .findOne({ where: { tenantId } });
    return row ? this.rows.open(EwsConnectionEntity, row, 'passwordEncrypted') : null;
  }
}
