import { childProcessEnv, loadConfigOrExit, type AppConfig } from '@app/config';
import { createRedisClient } from '@app/queue';
import { WORKER_NODE_ARGS } from '@app/runtime/worker-node-args';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `npm start`: the whole product on one machine — the admin API and one worker as child
 * processes, on the embedded defaults unless configured otherwise, and, when no Microsoft app
 * registration is configured, the simulator as the demo tenant. Checks what it can up front
 * (configuration, Redis) so a first-time user gets one clear sentence instead of a stack trace.
 */
const ROOT = join(__dirname, '..', '..', '..');

// A plain script (vite is an ES module it imports itself), shared with `npm run dashboard:build`.
const { buildDashboard } = require(join(ROOT, 'scripts', 'build-dashboard.js')) as {
  buildDashboard: (options: { outDir?: string }) => Promise<'built' | 'current'>;
};

interface SimInfo {
  baseUrl: string;
  caPath: string;
  apps: Array<{ clientId: string; clientSecret: string }>;
  tenants: Array<{ displayName: string; id: string; adminUpn: string }>;
}

async function redisReachable(url: string): Promise<string | undefined> {
  const client = createRedisClient(url, { retryStrategy: () => null });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no answer within 3 s')), 3_000);
      client.once('ready', () => {
        clearTimeout(timer);
        resolve();
      });
      client.once('end', () => {
        clearTimeout(timer);
        reject(new Error('connection refused'));
      });
    });
    await client.ping();
    return undefined;
  } catch (error) {
    return (error as Error).message;
  } finally {
    client.disconnect();
  }
}

const children = new Map<string, ChildProcess>();
let stopping = false;

function startChild(
  name: string,
  entry: string,
  args: string[] = [],
  env: Record<string, string> = {},
  nodeArgs: readonly string[] = [],
): ChildProcess {
  const child = spawn(
    process.execPath,
    [...nodeArgs, join(ROOT, 'scripts/run-ts.js'), join(ROOT, entry), ...args],
    {
      cwd: ROOT,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: childProcessEnv(env),
    },
  );
  child.once('exit', (code, signal) => onChildExit(name, code, signal));
  children.set(name, child);
  return child;
}

function stopAll(signal: NodeJS.Signals): void {
  stopping = true;
  for (const child of children.values()) if (child.exitCode === null) child.kill(signal);
}

function onChildExit(name: string, code: number | null, signal: NodeJS.Signals | null): void {
  children.delete(name);
  if (!stopping) {
    process.stderr.write(
      `${name} stopped unexpectedly (${signal ?? `exit ${code}`}); stopping the others\n`,
    );
    process.exitCode = code || 1;
    stopAll('SIGTERM');
  }
  if (children.size === 0) process.exit(process.exitCode ?? 0);
}

function demoRedirectUris(config: AppConfig): string[] {
  const bases = ['http://localhost', 'http://127.0.0.1'];
  if (config.admin.publicUrl) bases.push(config.admin.publicUrl);
  return bases.flatMap((base) => [`${base}/api/auth/callback`, `${base}/api/onboarding/callback`]);
}

/** Starts the simulator and returns the settings that point the product at it. */
async function startDemoSimulator(config: AppConfig): Promise<Record<string, string>> {
  const dataDir = join(config.dataDir, 'm365-sim');
  const infoFile = join(dataDir, 'info.json');
  rmSync(infoFile, { force: true });
  startChild('m365-sim', 'apps/m365-sim/src/main.ts', [
    '--port',
    String(config.demo.simulatorPort),
    '--tenants',
    '1',
    '--users',
    '50',
    '--pre-consent',
    '--quiet',
    '--data-dir',
    dataDir,
    '--info-file',
    infoFile,
    // The simulated app registration accepts only registered redirect URIs, as Entra does:
    // the loopback callbacks (any port) and, when set, those under ADMIN_PUBLIC_URL.
    ...demoRedirectUris(config).flatMap((uri) => ['--redirect-uri', uri]),
  ]);
  const deadline = Date.now() + 30_000;
  while (!existsSync(infoFile)) {
    if (Date.now() > deadline || !children.has('m365-sim'))
      throw new Error('the demo simulator did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  const info = JSON.parse(readFileSync(infoFile, 'utf8')) as SimInfo;
  const tenant = info.tenants[0];
  process.stderr.write(
    `contact-sync: no MICROSOFT_CLIENT_ID set, so the demo runs against the simulated Microsoft 365 at ${info.baseUrl} ` +
      `(tenant "${tenant.displayName}" ${tenant.id}, admin sign-in ${tenant.adminUpn}, CA ${info.caPath}).\n`,
  );
  return {
    MICROSOFT_CLIENT_ID: info.apps[0].clientId,
    MICROSOFT_CLIENT_SECRET: info.apps[0].clientSecret,
    MICROSOFT_AUTHORITY_HOST: info.baseUrl,
    MICROSOFT_GRAPH_URL: info.baseUrl,
    MICROSOFT_CA_FILE: info.caPath,
    // The dashboard's sign-in opens the simulated sign-in page with the demo admin prefilled.
    DEMO_LOGIN_HINT: tenant.adminUpn,
  };
}

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const redisProblem = await redisReachable(config.redis.url);
  if (redisProblem) {
    process.stderr.write(
      `Redis is not reachable at ${config.redis.url} (REDIS_URL): ${redisProblem}.\n` +
        `Start one with "redis-server --daemonize yes" (Debian/Ubuntu: apt-get install redis-server) ` +
        `or "docker run -d -p 6379:6379 redis:7", or set REDIS_URL to yours.\n`,
    );
    process.exit(1);
  }
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => stopAll('SIGTERM'));
  // The dashboard the API serves at /: built when missing or built from other sources.
  try {
    await buildDashboard(config.dashboard.distDir ? { outDir: config.dashboard.distDir } : {});
  } catch (error) {
    process.stderr.write(
      `contact-sync: the dashboard could not be built (${(error as Error).message}); the API runs without it.\n`,
    );
  }
  const microsoft = config.microsoft ? {} : await startDemoSimulator(config);
  startChild('admin-api', 'apps/admin-api/src/main.ts', [], microsoft);
  startChild('worker', 'apps/worker/src/main.ts', [], microsoft, WORKER_NODE_ARGS);
  const host = ['0.0.0.0', '::'].includes(config.api.host) ? 'localhost' : config.api.host;
  process.stderr.write(
    `contact-sync: admin API on port ${config.api.port} (readiness: /health/ready), ` +
      `worker health on port ${config.worker.healthPort}, database ${config.database.kind}. Ctrl+C stops all.\n` +
      `\n  Open http://${host}:${config.api.port}/ to sign in.\n\n`,
  );
}

main().catch((error: Error) => {
  process.stderr.write(`contact-sync failed to start: ${error.message}\n`);
  stopAll('SIGTERM');
  process.exitCode = 1;
  if (children.size === 0) process.exit(1);
});
