import type { EntityManager } from 'typeorm';
import { TargetEntity } from '../entities/target.entity';

/** Who receives a list: its targets, each included or excluded. */
export class TargetRepository {
  constructor(private readonly manager: EntityManager) {}

  /** Oldest first. */
  async listForList(tenantId: string, listId: string): Promise<TargetEntity[]> {
    return this.manager
      .getRepository(TargetEntity)
      .find({ where: { tenantId, listId }, order: { createdAt: 'ASC' } });
  }

  async findInList(tenantId: string, listId: string, id: string): Promise<TargetEntity | null> {
    return this.manager.getRepository(TargetEntity).findOne({ where: { id, tenantId, listId } });
  }

  async insert(target: TargetEntity): Promise<void> {
    await this.manager.getRepository(TargetEntity).insert(target);
  }

  /** Changes who the target selects (kind, mode, value). */
  async update(
    tenantId: string,
    id: string,
    changes: Pick<TargetEntity, 'kind' | 'mode' | 'value'>,
  ): Promise<void> {
    await this.manager.getRepository(TargetEntity).update({ id, tenantId }, changes);
  }

  async deleteInTenant(tenantId: string, id: string): Promise<void> {
    await this.manager.getRepository(TargetEntity).delete({ id, tenantId });
  }

  async deleteForList(tenantId: string, listId: string): Promise<void> {
    await this.manager.getRepository(TargetEntity).delete({ tenantId, listId });
  }
}
