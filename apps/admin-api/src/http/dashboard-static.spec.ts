import express from 'express';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DASHBOARD_CSP, dashboardStatic } from './dashboard-static';

describe('dashboardStatic', () => {
  let server: Server;
  let base: string;
  let dist: string;

  beforeAll(async () => {
    dist = mkdtempSync(join(tmpdir(), 'dash-dist-'));
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>app</title>');
    writeFileSync(join(dist, 'assets', 'index-AbC123.js'), 'console.log(1)');
    const app = express();
    app.use(dashboardStatic(dist));
    app.use((req, res) => res.status(404).json({ error: 'not_found', path: req.path }));
    await new Promise<void>((resolve) => {
      server = app.listen(0, '127.0.0.1', () => resolve());
    });
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('serves index.html at / and at client routes, revalidated on each load, under the CSP', async () => {
    for (const path of ['/', '/lists/123', '/runs']) {
      const res = await fetch(base + path);
      expect([path, res.status]).toEqual([path, 200]);
      expect(await res.text()).toContain('<title>app</title>');
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(res.headers.get('content-security-policy')).toBe(DASHBOARD_CSP);
      expect(res.headers.get('x-frame-options')).toBe('DENY');
    }
  });

  it('caches hashed assets for a year as immutable; a missing asset is a 404, not the app', async () => {
    const res = await fetch(`${base}/assets/index-AbC123.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await fetch(`${base}/assets/index-Gone99.js`)).status).toBe(404);
  });

  it('leaves /api and /health, and anything but GET and HEAD, to the API', async () => {
    for (const [method, path] of [
      ['GET', '/api/lists'],
      ['GET', '/api'],
      ['GET', '/health/ready'],
      ['POST', '/lists'],
    ]) {
      const res = await fetch(base + path, { method });
      expect([method, path, res.status]).toEqual([method, path, 404]);
      expect(await res.json()).toEqual({ error: 'not_found', path });
    }
  });

  it('the policy allows scripts from our origin only, and inline styles only for styles', () => {
    expect(DASHBOARD_CSP).toContain("script-src 'self';");
    expect(DASHBOARD_CSP).toContain("style-src 'self' 'unsafe-inline';");
    expect(DASHBOARD_CSP).not.toMatch(/https?:|\*/);
    expect(DASHBOARD_CSP.match(/'unsafe-inline'/g)).toHaveLength(1);
  });

  it('steps aside when there is no build', async () => {
    const app = express();
    app.use(dashboardStatic(join(dist, 'nothing-here')));
    app.use((_req, res) => res.status(404).end());
    const s = await new Promise<Server>((resolve) => {
      const srv = app.listen(0, '127.0.0.1', () => resolve(srv));
    });
    const res = await fetch(`http://127.0.0.1:${(s.address() as { port: number }).port}/`);
    expect(res.status).toBe(404);
    await new Promise((resolve) => s.close(resolve));
  });
});
