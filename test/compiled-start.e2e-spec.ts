import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startCompiledService, type ServiceProcess } from './support/service-process';
import { serviceEnv } from './support/test-env';

// Issue #24, acceptance 5: the production start path runs compiled JavaScript. This builds with
// the build script itself (what `npm run build` and the image's build stage run) into a scratch
// folder inside the repository (so the compiled files resolve node_modules as dist/ does), then
// starts the API and a worker from it with plain `node`: no require hook, no SWC.
const ROOT = join(__dirname, '..');
const OUT = join(ROOT, 'tmp', `compiled-start-${process.pid}`);
const { build } = require('../scripts/build.js') as { build(outDir: string): void };

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

beforeAll(() => build(OUT), 240_000);
afterAll(() => rmSync(OUT, { recursive: true, force: true }));

it('builds JavaScript only, with every @app/ alias rewritten to a relative path', () => {
  const all = files(OUT);
  expect(all.filter((f) => f.endsWith('.ts'))).toEqual([]);
  expect(all.filter((f) => /\.spec\.js$/.test(f))).toEqual([]);
  const main = readFileSync(join(OUT, 'apps/admin-api/src/main.js'), 'utf8');
  expect(main).toContain('require("../../../libs/config/src/index.js")');
  expect(main).not.toMatch(/require\("@app\//);
  // every entry point the image, compose.yaml, the manifests and the runbook start
  for (const entry of [
    'apps/admin-api/src/main.js',
    'apps/worker/src/main.js',
    'libs/persistence/src/cli/migrate.js',
    'libs/admin/src/cli/rotate-keys.js',
  ])
    expect(all).toContain(join(OUT, entry));
});

/** Exit code of the image's HEALTHCHECK script (deploy/healthcheck.js) with this environment. */
function healthcheck(env: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [join(ROOT, 'deploy/healthcheck.js')], {
      env: { ...process.env, ...env },
    });
    child.once('exit', (code) => resolve(code ?? -1));
  });
}

describe.each([
  ['admin-api', 'apps/admin-api/src/main.js', 'API_PORT'],
  ['worker', 'apps/worker/src/main.js', 'WORKER_HEALTH_PORT'],
])('the compiled %s', (_name, entry, portVariable) => {
  let service: ServiceProcess;
  let port: number;

  beforeAll(async () => {
    service = startCompiledService(
      join(OUT, entry),
      serviceEnv({ REDIS_KEY_PREFIX: `compiled-${process.pid}` }),
    );
    // generous: a cold start of the compiled API under a loaded CI machine (2 cores, shared)
    port = await service.listening(90_000);
  }, 120_000);
  afterAll(() => service?.stop());

  it('starts from dist and answers ready 200', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/health/ready`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      status: 'ready',
      checks: { database: { status: 'up' }, redis: { status: 'up' } },
    });
  });

  it("passes the image's health check on its own port, which fails once it stops", async () => {
    // the other service's port: nothing listens there (port 1 needs root to bind)
    const other = portVariable === 'API_PORT' ? 'WORKER_HEALTH_PORT' : 'API_PORT';
    expect(await healthcheck({ [portVariable]: String(port), [other]: '1' })).toBe(0);
    expect(await service.stop('SIGTERM')).toBe(0);
    expect(await healthcheck({ [portVariable]: String(port), [other]: '1' })).toBe(1);
  });
});
