import type { EntityManager } from 'typeorm';
import { EwsConnectionEntity } from '../entities/ews-connection.entity';
import type { RowCipher } from '../encryption/row-cipher';

/** A tenant's EWS connection; the password is sealed with the row cipher here, never stored plain. */
export class EwsConnectionRepository {
  constructor(
    private readonly manager: EntityManager,
    private readonly rows: RowCipher,
  ) {}

  async findForTenant(tenantId: string): Promise<EwsConnectionEntity | null> {
    return this.manager.getRepository(EwsConnectionEntity).findOne({ where: { tenantId } });
  }

  /** Saves the row; `password` (when given) is sealed into it first, bound to tenant and row. */
  async save(row: EwsConnectionEntity, password?: string): Promise<EwsConnectionEntity> {
    if (password !== undefined)
      this.rows.seal(EwsConnectionEntity, row, 'passwordEncrypted', password);
    return this.manager.getRepository(EwsConnectionEntity).save(row);
  }

  async deleteInTenant(tenantId: string, id: string): Promise<void> {
    await this.manager.getRepository(EwsConnectionEntity).delete({ id, tenantId });
  }

  /** The stored password in plain text, or null when there is no connection. */
  async password(tenantId: string): Promise<string | null> {
    const row = await this.findForTenant(tenantId);
    return row ? this.rows.open(EwsConnectionEntity, row, 'passwordEncrypted') : null;
  }
}
