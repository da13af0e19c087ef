import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from 'undici';
import { freePort } from './support/redis-server';
import { REDIS_URL } from './support/test-env';

describe('npm start (the launcher) without Microsoft settings', () => {
  it('runs the simulator as the demo tenant with the API and the worker, and stops them all', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'quick-start-'));
    const [api, worker, sim] = [await freePort(), await freePort(), await freePort()];
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATA_DIR: dir,
      // A first start on a fresh clone builds the dashboard (here into a folder of its own).
      DASHBOARD_DIST_DIR: join(dir, 'dashboard'),
      DATABASE_URL: `sqlite:${join(dir, 'app.db')}`,
      REDIS_URL,
      API_PORT: String(api),
      WORKER_HEALTH_PORT: String(worker),
      DEMO_SIMULATOR_PORT: String(sim),
    };
    // As on a developer's machine: no NODE_ENV (Jest sets 'test'), no keys, no Microsoft app.
    for (const name of ['NODE_ENV', 'MICROSOFT_CLIENT_ID', 'ENCRYPTION_KEYS']) delete env[name];
    const child = spawn(process.execPath, ['scripts/start.js'], {
      cwd: join(__dirname, '..'),
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (c) => (output += c));
    child.stderr!.on('data', (c) => (output += c));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      // A deadline, not a count of tries: on a loaded machine the three processes take longer
      // than 30 s to start; a launcher that exits early ends the wait at once.
      let ended = false;
      void exited.then(() => (ended = true));
      const ready = async (port: number) => {
        const deadline = Date.now() + 150_000;
        while (Date.now() < deadline && !ended) {
          const res = await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => undefined);
          if (res?.status === 200) return true;
          await new Promise((r) => setTimeout(r, 200));
        }
        return false;
      };
      expect(await ready(api)).toBe(true);
      expect(output).toContain('contact-sync: building the dashboard');
      expect(await ready(worker)).toBe(true);
      expect(output).toMatch(
        /the demo runs against the simulated Microsoft 365 at https:\/\/127\.0\.0\.1:\d+ \(tenant "[^"]+" [0-9a-f-]{36}, admin sign-in \S+@\S+, CA \S+ca\.pem\)/,
      );
      const caPath = /CA (\S+ca\.pem)/.exec(output)![1];
      const dispatcher = new Agent({
        connect: { ca: require('node:fs').readFileSync(caPath, 'utf8') },
      });
      const info = await fetch(`https://127.0.0.1:${sim}/_sim/info`, { dispatcher } as RequestInit);
      expect(info.status).toBe(200);
      expect(
        ((await info.json()) as { tenants: Array<{ consented: string[] }> }).tenants[0].consented
          .length,
      ).toBe(1);
      await dispatcher.close();
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    expect(output).toContain('"msg":"admin-api stopped"');
    expect(output).toContain('"msg":"worker stopped"');
  }, 240_000);
});
