import { ApiTokenEntity, TenantEntity, withTransaction } from '@app/persistence';
import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource, IsNull } from 'typeorm';
import { audit, type Actor } from './actor';
import type { CreateTokenInput } from './schemas';
import { NotFound } from './validation';

export const API_TOKEN_PREFIX = 'csf_';

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export interface ApiTokenView {
  id: string;
  name: string;
  prefix: string;
  role: string;
  createdBy: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

function view(t: ApiTokenEntity): ApiTokenView {
  return {
    id: t.id,
    name: t.name,
    prefix: t.prefix,
    role: t.role,
    createdBy: t.createdBy,
    createdAt: t.createdAt,
    lastUsedAt: t.lastUsedAt,
    expiresAt: t.expiresAt,
    revokedAt: t.revokedAt,
  };
}

export interface TokenPrincipal {
  tokenId: string;
  tenantId: string;
  azureTenantId: string;
  role: 'admin' | 'viewer';
}

/** API tokens for scripts and MSPs: shown once, stored as a SHA-256 hash, scoped to a tenant and role. */
@Injectable()
export class ApiTokensService {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async list(tenantId: string): Promise<ApiTokenView[]> {
    const rows = await this.dataSource
      .getRepository(ApiTokenEntity)
      .find({ where: { tenantId }, order: { createdAt: 'DESC' } });
    return rows.map(view);
  }

  async create(actor: Actor, input: CreateTokenInput): Promise<ApiTokenView & { token: string }> {
    const token = `${API_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    return withTransaction(this.dataSource, async (manager) => {
      const row = Object.assign(new ApiTokenEntity(), {
        tenantId: actor.tenantId,
        name: input.name,
        tokenHash: hashToken(token),
        prefix: token.slice(0, 12),
        role: input.role,
        createdBy: actor.id.slice(0, 36),
        lastUsedAt: null,
        expiresAt: input.expiresInDays
          ? new Date(Date.now() + input.expiresInDays * 86_400_000)
          : null,
        revokedAt: null,
      });
      await manager.getRepository(ApiTokenEntity).insert(row);
      await audit(
        manager,
        actor,
        'api_token.create',
        { type: 'api_token', id: row.id },
        {
          name: row.name,
          role: row.role,
          prefix: row.prefix,
        },
      );
      return { ...view(row), token };
    });
  }

  async revoke(actor: Actor, id: string): Promise<void> {
    await withTransaction(this.dataSource, async (manager) => {
      const repo = manager.getRepository(ApiTokenEntity);
      const row = await repo.findOne({ where: { id: id.toLowerCase(), tenantId: actor.tenantId } });
      if (!row) throw new NotFound('token');
      if (!row.revokedAt)
        await repo.update({ id: row.id, tenantId: actor.tenantId }, { revokedAt: new Date() });
      await audit(
        manager,
        actor,
        'api_token.revoke',
        { type: 'api_token', id: row.id },
        {
          prefix: row.prefix,
        },
      );
    });
  }

  /** The token's tenant and role, or undefined when unknown, revoked, expired or its tenant is not active. */
  async authenticate(token: string): Promise<TokenPrincipal | undefined> {
    if (!token.startsWith(API_TOKEN_PREFIX) || token.length > 200) return undefined;
    const repo = this.dataSource.getRepository(ApiTokenEntity);
    const row = await repo.findOne({ where: { tokenHash: hashToken(token), revokedAt: IsNull() } });
    if (!row || (row.expiresAt && row.expiresAt.getTime() <= Date.now())) return undefined;
    if (row.role !== 'admin' && row.role !== 'viewer') return undefined;
    const tenant = await this.dataSource
      .getRepository(TenantEntity)
      .findOne({ where: { id: row.tenantId } });
    if (!tenant || tenant.status !== 'active') return undefined;
    if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000)
      await repo.update({ id: row.id }, { lastUsedAt: new Date() });
    return {
      tokenId: row.id,
      tenantId: row.tenantId,
      azureTenantId: tenant.azureTenantId,
      role: row.role,
    };
  }
}
