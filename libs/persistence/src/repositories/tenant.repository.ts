import type { EntityManager } from 'typeorm';
import { TenantEntity } from '../entities/tenant.entity';

/** Our customer tenants, one row per Entra tenant. */
export class TenantRepository {
  constructor(private readonly manager: EntityManager) {}

  async findById(id: string): Promise<TenantEntity | null> {
    return this.manager.getRepository(TenantEntity).findOne({ where: { id } });
  }

  /** `azureTenantId` as stored: lower case. */
  async findByAzureId(azureTenantId: string): Promise<TenantEntity | null> {
    return this.manager.getRepository(TenantEntity).findOne({ where: { azureTenantId } });
  }

  async save(tenant: TenantEntity): Promise<TenantEntity> {
    return this.manager.getRepository(TenantEntity).save(tenant);
  }

  async update(id: string, changes: Partial<TenantEntity>): Promise<void> {
    await this.manager.getRepository(TenantEntity).update({ id }, changes);
  }
}
