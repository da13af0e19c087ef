import { DataSource, In } from 'typeorm';
import { TenantEntity } from '../entities/tenant.entity';

export class TenantRepository {
  constructor(private readonly dataSource: DataSource) {}

  findById(id: string): Promise<TenantEntity | null> {
    return this.dataSource.getRepository(TenantEntity).findOne({ where: { id } });
  }

  /** Consent was found revoked while syncing: an active or pending tenant stops planning runs. */
  async markConsentRevoked(id: string): Promise<void> {
    await this.dataSource
      .getRepository(TenantEntity)
      .update({ id, status: In(['active', 'pending']) }, { status: 'consent_revoked' });
  }
}
