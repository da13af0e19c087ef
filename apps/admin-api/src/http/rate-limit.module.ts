import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { REDIS_CLIENT } from '@app/queue';
import type { DynamicModule, ExecutionContext } from '@nestjs/common';
import { normalizeIp, ThrottlerModule, type ThrottlerModuleOptions } from '@nestjs/throttler';
import type { Request } from 'express';
import type { Redis } from 'ioredis';

const MINUTE_MS = 60_000;

/**
 * Routes that start a sign-in or onboarding (Microsoft redirects, new sessions): limited per
 * client IP more strictly. /api/auth/me and /api/auth/logout need a session already: ordinary
 * signed-in requests under the per-caller limit.
 */
export function isSignInRoute(path: string): boolean {
  return /^\/api\/(auth\/(?!(me|logout)\/?$)[^/]+|onboarding\/.+)/.test(path);
}

export function clientIpTracker(req: Request): string {
  // req.ip honours Express's 'trust proxy', set in configureAdminApp: X-Forwarded-For counts
  // only behind the ingress (ADMIN_PUBLIC_URL set), so a client cannot pick its own bucket.
  return `ip:${normalizeIp(req.ip ?? req.socket.remoteAddress ?? 'unknown')}`;
}

/**
 * The throttlers of the admin API: `default` (API_RATE_LIMIT_PER_MINUTE per caller, every route)
 * and `auth` (API_AUTH_RATE_LIMIT_PER_MINUTE per IP, sign-in and onboarding routes). Counts live
 * in Redis (fixed one-minute windows, an atomic Lua script) so all API instances share them.
 */
export function rateLimitModule(): DynamicModule {
  return ThrottlerModule.forRootAsync({
    inject: [APP_CONFIG, REDIS_CLIENT],
    useFactory: (config: AppConfig, redis: Redis): ThrottlerModuleOptions => ({
      throttlers: [
        { name: 'default', ttl: MINUTE_MS, limit: config.admin.rateLimit.perMinute },
        {
          name: 'auth',
          ttl: MINUTE_MS,
          limit: config.admin.rateLimit.authPerMinute,
          skipIf: (context: ExecutionContext) =>
            !isSignInRoute(context.switchToHttp().getRequest<Request>().path),
          getTracker: (req) => clientIpTracker(req as Request),
        },
      ],
      // The shared client: the storage does not own it and will not disconnect it.
      storage: new ThrottlerStorageRedisService(redis),
    }),
  });
}
