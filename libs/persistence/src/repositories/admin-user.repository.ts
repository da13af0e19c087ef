import type { EntityManager } from 'typeorm';
import { AdminUserEntity } from '../entities/admin-user.entity';

/** Admins of a tenant who signed in, with their stored role. */
export class AdminUserRepository {
  constructor(private readonly manager: EntityManager) {}

  /** `oid` as stored: lower case. */
  async findByOid(tenantId: string, oid: string): Promise<AdminUserEntity | null> {
    return this.manager.getRepository(AdminUserEntity).findOne({ where: { tenantId, oid } });
  }

  async save(user: AdminUserEntity): Promise<AdminUserEntity> {
    return this.manager.getRepository(AdminUserEntity).save(user);
  }
}
