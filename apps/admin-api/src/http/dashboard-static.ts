import express, {
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
} from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Where `npm run dashboard:build` (vite) writes the single-page app. */
export const DASHBOARD_DIST = join(__dirname, '..', '..', '..', 'dashboard', 'dist');

/**
 * The dashboard's policy: scripts only from our origin (no inline script, no third party);
 * styles from our origin plus inline styles, because the component library (Mantine) sets CSS
 * variables in `style` attributes, which a nonce cannot cover (docs/adr/0034-dashboard-react-mantine.md).
 */
export const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

function pageHeaders(res: Response): void {
  res.setHeader('Content-Security-Policy', DASHBOARD_CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
}

/**
 * Serves the built dashboard at `/`: hashed files under /assets/ are cached for a year
 * (immutable: a new build has new names), everything else, index.html above all, is revalidated
 * on every load (no-cache), and any other GET outside /api and /health answers index.html so
 * the app's own routes (/lists/…, /runs/…) survive a reload. Without a build it steps aside.
 */
export function dashboardStatic(dist: string = DASHBOARD_DIST): RequestHandler {
  const files = express.static(dist, {
    index: false,
    fallthrough: true,
    setHeaders: (res, path) => {
      pageHeaders(res);
      res.setHeader(
        'Cache-Control',
        /[\\/]assets[\\/]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
  const index = join(dist, 'index.html');
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (/^\/(api|health)(\/|$)/.test(req.path)) return next();
    if (!existsSync(index)) return next();
    files(req, res, () => {
      // A missing hashed asset is a 404, not the app (a stale tab after a deploy reloads).
      if (req.path.startsWith('/assets/')) return next();
      pageHeaders(res);
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(index);
    });
  };
}
