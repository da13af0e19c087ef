import { ApiTokensService } from '@app/admin';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { type ExecutionContext, Inject, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerException,
  ThrottlerGuard,
  type ThrottlerLimitDetail,
  type ThrottlerModuleOptions,
  type ThrottlerRequest,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import type { Request } from 'express';
import { createHash } from 'node:crypto';
import { parseCookies, SESSION_COOKIE, SessionStore } from '../auth/session-store';
import { clientIpTracker } from './rate-limit.module';
import { RateLimited } from './rate-limited.error';

const TOKEN_CACHE_MS = 60_000;
const TOKEN_CACHE_MAX = 10_000;

/**
 * Global rate limit of the admin API. It runs before the controllers' AuthGuard, so it
 * identifies the caller itself, from credentials it can verify: a valid API token counts as
 * `token:<id>` (under /api only, where API tokens are valid: elsewhere, as on /ops, a token is
 * not looked up, which would mark it used or audit a revoked one's use), a signed session cookie
 * of a live session as `user:<tenant>:<user>`, anything else (anonymous, bad token) as the
 * client IP. Unverified identities never pick a bucket, so
 * nobody can spend someone else's budget or spread over fresh ones. One budget per caller across
 * all routes (not per route). Health probes are never limited; /api/docs is served outside Nest's
 * routing and is not either. If Redis fails the request is let through (logged): the limiter must
 * not take the API down with it.
 */
@Injectable()
export class ApiThrottlerGuard extends ThrottlerGuard {
  private readonly log = new Logger('RateLimit');
  /** sha256(token) -> token id; only valid tokens, briefly, to spare a lookup per request. */
  private readonly tokenIds = new Map<string, { id: string; until: number }>();

  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    @Inject(Reflector) reflector: Reflector,
    @Inject(SessionStore) private readonly sessions: SessionStore,
    @Inject(ApiTokensService) private readonly tokens: ApiTokensService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super(options, storage, reflector);
  }

  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    const path = context.switchToHttp().getRequest<Request>().path;
    return path === '/health' || path.startsWith('/health/');
  }

  protected override async handleRequest(props: ThrottlerRequest): Promise<boolean> {
    try {
      return await super.handleRequest(props);
    } catch (error) {
      if (error instanceof ThrottlerException) throw error;
      this.log.warn({ err: error }, 'rate limit not checked (Redis or lookup failed)');
      return true;
    }
  }

  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    const request = req as unknown as Request;
    const authorization = request.header('authorization');
    if (authorization !== undefined) {
      const bearer = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
      const id = bearer && isApiPath(request.path) ? await this.tokenId(bearer) : undefined;
      if (id) return `token:${id}`;
    } else {
      const sessionId = this.sessions.unsign(
        parseCookies(request.header('cookie'))[SESSION_COOKIE],
      );
      const session = sessionId ? await this.sessions.get(sessionId) : undefined;
      if (session) return `user:${session.tid}:${session.oid}`;
    }
    return clientIpTracker(request);
  }

  protected override generateKey(_context: ExecutionContext, tracker: string): string {
    // The storage appends the throttler's name; the deployment's prefix keeps tests apart.
    return `${this.config.redis.keyPrefix}:rate:${tracker}`;
  }

  protected override async throwThrottlingException(
    _context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    const retryAfter = Math.max(1, detail.timeToBlockExpire);
    throw new RateLimited(
      retryAfter,
      `Too many requests: at most ${detail.limit} per ${Math.round(detail.ttl / 1000)} s. Retry after ${retryAfter} s.`,
    );
  }

  private async tokenId(token: string): Promise<string | undefined> {
    const hash = createHash('sha256').update(token).digest('base64url');
    const now = Date.now();
    const cached = this.tokenIds.get(hash);
    if (cached && cached.until > now) return cached.id;
    const found = await this.tokens.authenticate(token);
    if (!found) return undefined;
    if (this.tokenIds.size >= TOKEN_CACHE_MAX) this.tokenIds.clear();
    this.tokenIds.set(hash, { id: found.tokenId, until: now + TOKEN_CACHE_MS });
    return found.tokenId;
  }
}

/** The routes API tokens are valid on (every controller that takes them is under /api). */
function isApiPath(path: string): boolean {
  return path === '/api' || path.startsWith('/api/');
}
