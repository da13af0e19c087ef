import { IsNull, type EntityManager } from 'typeorm';
import { ApiTokenEntity } from '../entities/api-token.entity';

/** API tokens, stored as SHA-256 hashes of the token. */
export class ApiTokenRepository {
  constructor(private readonly manager: EntityManager) {}

  /** Newest first. */
  async listForTenant(tenantId: string): Promise<ApiTokenEntity[]> {
    return this.manager
      .getRepository(ApiTokenEntity)
      .find({ where: { tenantId }, order: { createdAt: 'DESC' } });
  }

  async findInTenant(tenantId: string, id: string): Promise<ApiTokenEntity | null> {
    return this.manager.getRepository(ApiTokenEntity).findOne({ where: { id, tenantId } });
  }

  /** The token with this hash that is not revoked (expiry is the caller's check). */
  async findUnrevokedByHash(tokenHash: string): Promise<ApiTokenEntity | null> {
    return this.manager
      .getRepository(ApiTokenEntity)
      .findOne({ where: { tokenHash, revokedAt: IsNull() } });
  }

  /** The token with this hash, revoked or not (to audit the use of a revoked or expired token). */
  async findByHash(tokenHash: string): Promise<ApiTokenEntity | null> {
    return this.manager.getRepository(ApiTokenEntity).findOne({ where: { tokenHash } });
  }

  async insert(token: ApiTokenEntity): Promise<void> {
    await this.manager.getRepository(ApiTokenEntity).insert(token);
  }

  async markRevoked(tenantId: string, id: string, at: Date): Promise<void> {
    await this.manager.getRepository(ApiTokenEntity).update({ id, tenantId }, { revokedAt: at });
  }

  async markUsed(id: string, at: Date): Promise<void> {
    await this.manager.getRepository(ApiTokenEntity).update({ id }, { lastUsedAt: at });
  }
}
