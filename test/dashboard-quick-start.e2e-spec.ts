import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DashboardBrowser } from './support/dashboard-browser';
import { freePort } from './support/redis-server';
import { REDIS_URL } from './support/test-env';

/**
 * Issue #22, acceptance 4: `npm start` with no dashboard build present builds it, serves it,
 * prints one URL to open; that URL shows the sign-in, and one click on the simulated tenant's
 * page (its admin prefilled) signs in.
 */
describe('npm start without a dashboard build', () => {
  it('builds the dashboard, prints the URL, and the demo admin signs in with one click', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'quick-dash-'));
    const dist = join(dir, 'dashboard-dist');
    const [api, worker, sim] = [await freePort(), await freePort(), await freePort()];
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'test',
      DATA_DIR: dir,
      DATABASE_URL: `sqlite:${join(dir, 'app.db')}`,
      REDIS_URL,
      REDIS_KEY_PREFIX: `qd-${api}`,
      API_PORT: String(api),
      WORKER_HEALTH_PORT: String(worker),
      DEMO_SIMULATOR_PORT: String(sim),
      // A checkout whose build was deleted: the build goes to a folder that does not exist yet.
      DASHBOARD_DIST_DIR: dist,
    };
    for (const name of ['MICROSOFT_CLIENT_ID', 'ENCRYPTION_KEYS', 'DEMO_LOGIN_HINT'])
      delete env[name];
    expect(existsSync(dist)).toBe(false);
    const child = spawn(process.execPath, ['scripts/start.js'], {
      cwd: join(__dirname, '..'),
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (c) => (output += c));
    child.stderr!.on('data', (c) => (output += c));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    let browser: DashboardBrowser | undefined;
    try {
      const deadline = Date.now() + 90_000;
      while (!/Open (http:\/\/\S+) to sign in/.test(output) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100));
      expect(output).toContain('contact-sync: building the dashboard');
      const urls = [...output.matchAll(/Open (http:\/\/\S+) to sign in/g)].map((m) => m[1]);
      expect(urls).toEqual([`http://127.0.0.1:${api}/`]);
      expect(existsSync(join(dist, 'index.html'))).toBe(true);
      for (let i = 0; i < 300; i++) {
        const res = await fetch(`http://127.0.0.1:${api}/health/ready`).catch(() => undefined);
        if (res?.status === 200) break;
        await new Promise((r) => setTimeout(r, 200));
      }

      browser = await DashboardBrowser.launch();
      const page = await browser.page();
      await page.goto(urls[0]);
      await page.getByRole('link', { name: 'Sign in with Microsoft' }).click();
      await page.waitForURL((u) => u.port === String(sim));
      // The simulated tenant's sign-in page with the demo admin prefilled: one click.
      const adminUpn = /admin sign-in (\S+@\S+),/.exec(output)![1];
      expect(await page.locator('#login').inputValue()).toBe(adminUpn);
      await page.locator('#signin').click();
      await page.waitForURL(`http://127.0.0.1:${api}/onboarding`);
      await page.getByText(adminUpn).first().waitFor();
      await page.getByRole('heading', { name: 'Getting started' }).waitFor();
      expect(browser.cspViolations).toEqual([]);
    } finally {
      await browser?.close();
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
  }, 180_000);
});
