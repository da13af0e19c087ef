import type { EntityManager } from 'typeorm';
import { OperatorGrantEntity } from '../entities/operator-grant.entity';
import type { Page } from './page';

/** The operator (home tenant id, object id) a grant is for; ids as stored: lower case. */
export interface OperatorKey {
  operatorTenantId: string;
  operatorObjectId: string;
}

/** MSP operators' grants on tenants. */
export class OperatorGrantRepository {
  constructor(private readonly manager: EntityManager) {}

  /** The grants on a tenant, oldest first. */
  async page(tenantId: string, page: Page): Promise<[OperatorGrantEntity[], number]> {
    return this.manager.getRepository(OperatorGrantEntity).findAndCount({
      where: { tenantId },
      order: { createdAt: 'ASC', id: 'ASC' },
      take: page.limit,
      skip: page.offset,
    });
  }

  /** The grants an operator holds, with their tenants, oldest first. */
  async pageForOperator(
    operator: OperatorKey,
    page: Page,
  ): Promise<[OperatorGrantEntity[], number]> {
    return this.manager.getRepository(OperatorGrantEntity).findAndCount({
      where: operator,
      relations: { tenant: true },
      order: { createdAt: 'ASC', id: 'ASC' },
      take: page.limit,
      skip: page.offset,
    });
  }

  /** The operator's grant on this tenant, with the tenant, or null. */
  async findForOperator(
    tenantId: string,
    operator: OperatorKey,
    options: { withTenant?: boolean } = {},
  ): Promise<OperatorGrantEntity | null> {
    return this.manager.getRepository(OperatorGrantEntity).findOne({
      where: { tenantId, ...operator },
      ...(options.withTenant ? { relations: { tenant: true } } : {}),
    });
  }

  async findInTenant(tenantId: string, id: string): Promise<OperatorGrantEntity | null> {
    return this.manager.getRepository(OperatorGrantEntity).findOne({ where: { id, tenantId } });
  }

  async insert(grant: OperatorGrantEntity): Promise<void> {
    await this.manager.getRepository(OperatorGrantEntity).insert(grant);
  }

  async deleteInTenant(tenantId: string, id: string): Promise<void> {
    await this.manager.getRepository(OperatorGrantEntity).delete({ id, tenantId });
  }
}
