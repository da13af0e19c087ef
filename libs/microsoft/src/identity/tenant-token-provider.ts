import type { FieldCipher } from '@app/crypto';
import type { TokenCredential } from '@azure/identity';
import type { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { MicrosoftError } from '../microsoft-error';
import { CONSENT_LOST_AADSTS } from './aadsts-codes';
import { tokenCacheContext, tokenCacheKey } from './token-cache';
import type { TokenCredentialFactory } from './token-credential-factory';

export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';
const REFRESH_MARGIN_MS = 5 * 60_000;
const LOCK_MS = 15_000;

interface CachedToken {
  token: string;
  expiresAt: number;
  /** Refresh from here on: 5 minutes before expiry, or a quarter of a short token's life. */
  refreshAt: number;
}

/**
 * App-only Graph tokens per tenant, shared by the whole fleet: a token is fetched once,
 * stored encrypted in Redis until shortly before it expires, and every worker reuses it.
 * Refresh is single-flight: one process per tenant asks Entra ID, the others wait for its
 * result, so N workers do not fetch N tokens.
 */
export class TenantTokenProvider {
  private readonly local = new Map<string, CachedToken>();
  private readonly pending = new Map<string, Promise<string>>();
  private readonly credentials = new Map<string, TokenCredential>();

  constructor(
    private readonly credentialFactory: TokenCredentialFactory,
    private readonly redis: Redis,
    private readonly cipher: FieldCipher,
    private readonly keyPrefix: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** @param tenantId our tenant row id (cache key and encryption context) */
  async getToken(tenantId: string, azureTenantId: string): Promise<string> {
    const local = this.local.get(tenantId);
    if (local && local.refreshAt > this.now()) return local.token;
    let pending = this.pending.get(tenantId);
    if (!pending) {
      pending = this.fetchShared(tenantId, azureTenantId).finally(() =>
        this.pending.delete(tenantId),
      );
      this.pending.set(tenantId, pending);
    }
    return pending;
  }

  /** Forgets the tenant's token everywhere (after revocation, or a 401 with a cached token). */
  async invalidate(tenantId: string): Promise<void> {
    this.local.delete(tenantId);
    this.credentials.delete(tenantId);
    await this.redis.del(this.cacheKey(tenantId)).catch(() => undefined);
  }

  private async fetchShared(tenantId: string, azureTenantId: string): Promise<string> {
    const shared = await this.readShared(tenantId);
    if (shared) return this.remember(tenantId, shared);
    const lockKey = `${this.keyPrefix}:token-lock:${tenantId}`;
    const owner = randomUUID();
    const locked = await this.redis.set(lockKey, owner, 'PX', LOCK_MS, 'NX').catch(() => null);
    if (!locked) {
      // Someone else is asking Entra ID: wait for their token rather than asking too.
      for (let waited = 0; waited < LOCK_MS; waited += 100) {
        await new Promise((r) => setTimeout(r, 100));
        const token = await this.readShared(tenantId);
        if (token) return this.remember(tenantId, token);
      }
    }
    try {
      const token = await this.acquire(tenantId, azureTenantId);
      const ttl = token.refreshAt - this.now();
      if (ttl > 0) {
        const sealed = this.cipher.encrypt(JSON.stringify(token), this.context(tenantId));
        await this.redis.set(this.cacheKey(tenantId), sealed, 'PX', ttl).catch(() => undefined);
      }
      return this.remember(tenantId, token);
    } finally {
      if (locked) {
        await this.redis
          .eval(
            "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0",
            1,
            lockKey,
            owner,
          )
          .catch(() => undefined);
      }
    }
  }

  private async acquire(tenantId: string, azureTenantId: string): Promise<CachedToken> {
    let credential = this.credentials.get(tenantId);
    if (!credential) {
      credential = this.credentialFactory.create(azureTenantId);
      this.credentials.set(tenantId, credential);
    }
    try {
      const result = await credential.getToken(GRAPH_SCOPE);
      if (!result) throw new Error('no token returned');
      const lifetime = result.expiresOnTimestamp - this.now();
      return {
        token: result.token,
        expiresAt: result.expiresOnTimestamp,
        refreshAt: result.expiresOnTimestamp - Math.min(REFRESH_MARGIN_MS, lifetime / 4),
      };
    } catch (error) {
      const message = (error as Error).message ?? String(error);
      const aadsts = CONSENT_LOST_AADSTS.find((code) => message.includes(code));
      if (aadsts) {
        throw new MicrosoftError(
          'CONSENT_REVOKED',
          `Entra ID refused a token for tenant ${azureTenantId} (${aadsts}): admin consent is missing or was revoked`,
        );
      }
      throw new MicrosoftError(
        'TRANSIENT',
        `Token request for tenant ${azureTenantId} failed: ${message.split('\n')[0]}`,
      );
    }
  }

  private async readShared(tenantId: string): Promise<CachedToken | undefined> {
    const sealed = await this.redis.get(this.cacheKey(tenantId)).catch(() => null);
    if (!sealed) return undefined;
    try {
      const token = JSON.parse(this.cipher.decrypt(sealed, this.context(tenantId))) as CachedToken;
      return token.refreshAt > this.now() ? token : undefined;
    } catch {
      return undefined; // a value under a removed key, or tampered: fetch a new token
    }
  }

  private remember(tenantId: string, token: CachedToken): string {
    this.local.set(tenantId, token);
    return token.token;
  }

  private cacheKey(tenantId: string): string {
    return tokenCacheKey(this.keyPrefix, tenantId);
  }

  private context(tenantId: string) {
    return tokenCacheContext(tenantId);
  }
}
