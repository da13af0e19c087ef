import type { EntityManager } from 'typeorm';
import { AlertSettingsEntity } from '../entities/alert-settings.entity';

/** A tenant's alert settings (one row per tenant; the webhook secret sealed by the caller). */
export class AlertSettingsRepository {
  constructor(private readonly manager: EntityManager) {}

  async find(tenantId: string): Promise<AlertSettingsEntity | null> {
    return this.manager.getRepository(AlertSettingsEntity).findOne({ where: { tenantId } });
  }

  async save(row: AlertSettingsEntity): Promise<void> {
    await this.manager.getRepository(AlertSettingsEntity).save(row);
  }

  /** Inserts settings moved from an earlier store; false when the tenant has some already. */
  async insertIfAbsent(row: AlertSettingsEntity): Promise<boolean> {
    try {
      await this.manager.getRepository(AlertSettingsEntity).insert(row);
      return true;
    } catch (error) {
      if (await this.find(row.tenantId)) return false;
      throw error;
    }
  }

  async delete(tenantId: string): Promise<void> {
    await this.manager.getRepository(AlertSettingsEntity).delete({ tenantId });
  }
}
