import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { TenantEntity, type TenantStatus } from '../entities/tenant.entity';

/** Stores a tenant of a random Azure tenant id (active unless said otherwise); resolves to its id. */
export async function saveTenant(
  dataSource: DataSource,
  status: TenantStatus = 'active',
): Promise<string> {
  const tenant = await dataSource
    .getRepository(TenantEntity)
    .save(Object.assign(new TenantEntity(), { azureTenantId: randomUUID(), status }));
  return tenant.id;
}
