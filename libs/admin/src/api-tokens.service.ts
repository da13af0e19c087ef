import { ApiTokenEntity, ApiTokenRepository, TenantRepository, UnitOfWork } from '@app/persistence';
import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import type { Actor } from './actor';
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
  constructor(
    @Inject(ApiTokenRepository) private readonly tokens: ApiTokenRepository,
    @Inject(TenantRepository) private readonly tenants: TenantRepository,
    @Inject(UnitOfWork) private readonly unitOfWork: UnitOfWork,
  ) {}

  async list(tenantId: string): Promise<ApiTokenView[]> {
    return (await this.tokens.listForTenant(tenantId)).map(view);
  }

  async create(actor: Actor, input: CreateTokenInput): Promise<ApiTokenView & { token: string }> {
    const token = `${API_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    return this.unitOfWork.run(async (tx) => {
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
      await tx.apiTokens.insert(row);
      await tx.audit.record(
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
    await this.unitOfWork.run(async (tx) => {
      const row = await tx.apiTokens.findInTenant(actor.tenantId, id.toLowerCase());
      if (!row) throw new NotFound('token');
      if (!row.revokedAt) await tx.apiTokens.markRevoked(actor.tenantId, row.id, new Date());
      await tx.audit.record(
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
    const row = await this.tokens.findUnrevokedByHash(hashToken(token));
    if (!row || (row.expiresAt && row.expiresAt.getTime() <= Date.now())) return undefined;
    if (row.role !== 'admin' && row.role !== 'viewer') return undefined;
    const tenant = await this.tenants.findById(row.tenantId);
    if (!tenant || tenant.status !== 'active') return undefined;
    if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000)
      await this.tokens.markUsed(row.id, new Date());
    return {
      tokenId: row.id,
      tenantId: row.tenantId,
      azureTenantId: tenant.azureTenantId,
      role: row.role,
    };
  }
}
