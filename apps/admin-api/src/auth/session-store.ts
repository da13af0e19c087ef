import { APP_CONFIG, type AppConfig } from '@app/config';
import { REDIS_CLIENT } from '@app/queue';
import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

export interface SessionData {
  tid: string;
  oid: string;
  name?: string;
  username?: string;
  /** App roles from the ID token. */
  roles: string[];
  /**
   * Active Entra directory roles (role template ids, lower-case) proven at sign-in: the ID
   * token's `wids`, or Graph `/me/memberOf` with the sign-in's delegated token; null when
   * neither could be read.
   */
  directoryRoles?: string[] | null;
  directoryRolesSource?: 'wids' | 'graph' | null;
  /** Per-session CSRF token, required in X-CSRF-Token on state-changing requests. */
  csrf: string;
  createdAt: number;
}

export const SESSION_COOKIE = 'cs_session';
export const LOGIN_COOKIE = 'cs_login';

/**
 * Server-side sessions in Redis with expiry; the cookie holds only a random id and its HMAC,
 * so a forged or altered cookie is refused before Redis is asked.
 */
@Injectable()
export class SessionStore {
  private readonly secret: Buffer;
  private readonly ttlSeconds: number;
  private readonly prefix: string;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
  ) {
    const active = config.encryption.keys.find((k) => k.id === config.encryption.activeKeyId)!;
    this.secret = config.admin.sessionSecret
      ? Buffer.from(config.admin.sessionSecret, 'utf8')
      : Buffer.from(hkdfSync('sha256', active.material, 'admin-api', 'session-cookie', 32));
    this.ttlSeconds = config.admin.sessionTtlMinutes * 60;
    this.prefix = `${config.redis.keyPrefix}:admin`;
  }

  get ttl(): number {
    return this.ttlSeconds;
  }

  sign(value: string): string {
    return `${value}.${createHmac('sha256', this.secret).update(value).digest('base64url')}`;
  }

  /** The value of a signed cookie, or undefined when the signature does not match. */
  unsign(signed: string | undefined): string | undefined {
    if (!signed) return undefined;
    const dot = signed.lastIndexOf('.');
    if (dot < 1) return undefined;
    const value = signed.slice(0, dot);
    const expected = Buffer.from(this.sign(value));
    const got = Buffer.from(signed);
    return expected.length === got.length && timingSafeEqual(expected, got) ? value : undefined;
  }

  async create(
    data: Omit<SessionData, 'csrf' | 'createdAt'>,
  ): Promise<{ id: string; data: SessionData }> {
    const id = randomBytes(32).toString('base64url');
    const full: SessionData = {
      ...data,
      csrf: randomBytes(24).toString('base64url'),
      createdAt: Date.now(),
    };
    await this.redis.set(
      `${this.prefix}:session:${id}`,
      JSON.stringify(full),
      'EX',
      this.ttlSeconds,
    );
    return { id, data: full };
  }

  async get(id: string): Promise<SessionData | undefined> {
    const raw = await this.redis.get(`${this.prefix}:session:${id}`);
    return raw ? (JSON.parse(raw) as SessionData) : undefined;
  }

  async destroy(id: string): Promise<void> {
    await this.redis.del(`${this.prefix}:session:${id}`);
  }

  /** A one-time value (login or consent state), readable once within `ttlSeconds`. */
  async putOnce(
    kind: 'login' | 'consent',
    key: string,
    value: object,
    ttlSeconds = 600,
  ): Promise<void> {
    await this.redis.set(`${this.prefix}:${kind}:${key}`, JSON.stringify(value), 'EX', ttlSeconds);
  }

  async takeOnce<T>(kind: 'login' | 'consent', key: string): Promise<T | undefined> {
    if (!/^[A-Za-z0-9_-]{16,128}$/.test(key)) return undefined;
    const raw = await this.redis.getdel(`${this.prefix}:${kind}:${key}`);
    return raw ? (JSON.parse(raw) as T) : undefined;
  }
}

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 1) continue;
    const name = part.slice(0, eq).trim();
    try {
      out[name] = decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      /* ignore a malformed cookie */
    }
  }
  return out;
}
