import { APP_CONFIG, type AppConfig } from '@app/config';
import {
  ApiTokenEntity,
  ApiTokenRepository,
  AuditEventRepository,
  TenantRepository,
  UnitOfWork,
  type TransactionRepositories,
} from '@app/persistence';
import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import type { Actor } from './actor';
import { ADMIN_CLOCK, type AdminClock } from './admin-clock';
import type { CreateTokenInput } from './schemas';
import { NotFound, ValidationFailed } from './validation';

const DAY_MS = 86_400_000;
/** A refused token's use is audited at most this often per token (a script retrying in a loop). */
const FAILED_USE_AUDIT_EVERY_MS = 60_000;
const FAILED_USE_TRACKED = 10_000;

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
  azureTenantId: string | null;
  role: 'admin' | 'viewer';
}

/** API tokens for scripts and MSPs: shown once, stored as a SHA-256 hash, scoped to a tenant and role. */
@Injectable()
export class ApiTokensService {
  /** Token id → when its last refused use was audited. */
  private readonly failedUseAudited = new Map<string, number>();

  constructor(
    @Inject(ApiTokenRepository) private readonly tokens: ApiTokenRepository,
    @Inject(TenantRepository) private readonly tenants: TenantRepository,
    @Inject(AuditEventRepository) private readonly audit: AuditEventRepository,
    @Inject(UnitOfWork) private readonly unitOfWork: UnitOfWork,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(ADMIN_CLOCK) private readonly clock: AdminClock,
  ) {}

  /** Every token with when it stops working (older tokens without an expiry included). */
  async list(tenantId: string): Promise<ApiTokenView[]> {
    return (await this.tokens.listForTenant(tenantId)).map((row) => ({
      ...view(row),
      expiresAt: this.expiryOf(row),
    }));
  }

  async create(actor: Actor, input: CreateTokenInput): Promise<ApiTokenView & { token: string }> {
    return this.unitOfWork.run((tx) => this.createIn(tx, actor, input));
  }

  /**
   * Creates the token (and its audit event) inside the caller's transaction: whatever else the
   * caller writes there (a new organisation) is kept only with its token, and the other way
   * round. `expiryField` names expiresInDays in the caller's body for a 400.
   */
  async createIn(
    tx: TransactionRepositories,
    actor: Actor,
    input: CreateTokenInput,
    expiryField = 'expiresInDays',
  ): Promise<ApiTokenView & { token: string }> {
    const lifetime = this.config.admin.apiTokenDays;
    if (input.expiresInDays !== undefined && input.expiresInDays > lifetime.max)
      throw new ValidationFailed([
        {
          field: expiryField,
          message: `at most ${lifetime.max} days (API_TOKEN_MAX_DAYS)`,
        },
      ]);
    const days = input.expiresInDays ?? lifetime.default;
    const now = this.clock.now();
    const token = `${API_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    const row = Object.assign(new ApiTokenEntity(), {
      tenantId: actor.tenantId,
      name: input.name,
      tokenHash: hashToken(token),
      prefix: token.slice(0, 12),
      role: input.role,
      createdBy: actor.id.slice(0, 36),
      lastUsedAt: null,
      expiresAt: new Date(now.getTime() + days * DAY_MS),
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
        expiresAt: row.expiresAt!.toISOString(),
      },
    );
    return { ...view(row), token };
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

  /**
   * When the token stops working: its expiry, or for a token made before every token had one,
   * its creation plus the longest lifetime allowed now.
   */
  expiryOf(row: ApiTokenEntity): Date {
    return (
      row.expiresAt ??
      new Date(new Date(row.createdAt).getTime() + this.config.admin.apiTokenDays.max * DAY_MS)
    );
  }

  /**
   * The token's tenant and role, or undefined when unknown, revoked, expired or its tenant is
   * not active. The use of a known but revoked or expired token is audited as a failed sign-in.
   */
  async authenticate(token: string): Promise<TokenPrincipal | undefined> {
    if (!token.startsWith(API_TOKEN_PREFIX) || token.length > 200) return undefined;
    const row = await this.tokens.findByHash(hashToken(token));
    if (!row) return undefined;
    const now = this.clock.now();
    if (row.revokedAt) return this.refused(row, 'revoked', now);
    if (this.expiryOf(row).getTime() <= now.getTime()) return this.refused(row, 'expired', now);
    if (row.role !== 'admin' && row.role !== 'viewer') return undefined;
    const tenant = await this.tenants.findById(row.tenantId);
    if (!tenant || tenant.status !== 'active') return undefined;
    if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 60_000)
      await this.tokens.markUsed(row.id, now);
    return {
      tokenId: row.id,
      tenantId: row.tenantId,
      azureTenantId: tenant.azureTenantId,
      role: row.role,
    };
  }

  private async refused(
    row: ApiTokenEntity,
    reason: 'revoked' | 'expired',
    now: Date,
  ): Promise<undefined> {
    const last = this.failedUseAudited.get(row.id);
    if (last !== undefined && now.getTime() - last < FAILED_USE_AUDIT_EVERY_MS) return undefined;
    if (this.failedUseAudited.size >= FAILED_USE_TRACKED) this.failedUseAudited.clear();
    this.failedUseAudited.set(row.id, now.getTime());
    const tenant = await this.tenants.findById(row.tenantId);
    if (tenant)
      await this.audit.record(
        { tenantId: row.tenantId, type: 'api_token', id: row.id },
        'auth.sign_in_failed',
        { type: 'api_token', id: row.id },
        { reason, prefix: row.prefix },
      );
    return undefined;
  }
}
