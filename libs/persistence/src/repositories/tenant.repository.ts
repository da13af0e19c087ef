import { In, type EntityManager } from 'typeorm';
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

  /** Tenants whose consent was revoked or whose app registration is gone. */
  async withLostConsent(): Promise<TenantEntity[]> {
    return this.manager
      .getRepository(TenantEntity)
      .find({ where: { status: In(['consent_revoked', 'orphaned']) } });
  }

  /** Microsoft says our consent is gone: an active or pending tenant becomes consent_revoked. */
  async markConsentRevoked(id: string): Promise<void> {
    await this.manager
      .getRepository(TenantEntity)
      .update({ id, status: In(['active', 'pending']) }, { status: 'consent_revoked' });
  }
}
