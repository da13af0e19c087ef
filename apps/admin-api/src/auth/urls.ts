import type { AppConfig } from '@app/config';
import type { CookieOptions, Request } from 'express';

/** Our public base URL (redirect URIs): ADMIN_PUBLIC_URL, or the request's own origin. */
export function baseUrl(req: Request, config: AppConfig): string {
  return config.admin.publicUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}

export function cookieOptions(config: AppConfig): CookieOptions {
  return { httpOnly: true, sameSite: 'lax', secure: config.admin.cookieSecure, path: '/' };
}
