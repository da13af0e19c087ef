import { loadConfigOrExit } from '@app/config';
import { createRedisClient } from '@app/queue';
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

/**
 * `npm start`: the whole product on one machine — the admin API and one worker as child
 * processes, on the embedded defaults unless configured otherwise. Checks what it can up front
 * (configuration, Redis) so a first-time user gets one clear sentence instead of a stack trace.
 */
const ROOT = join(__dirname, '..', '..', '..');

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

function startChild(name: string, entry: string): ChildProcess {
  const child = spawn(process.execPath, [join(ROOT, 'scripts/run-ts.js'), join(ROOT, entry)], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  child.once('exit', (code, signal) => onChildExit(name, code, signal));
  return child;
}

const children = new Map<string, ChildProcess>();
let stopping = false;

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
  children.set('admin-api', startChild('admin-api', 'apps/admin-api/src/main.ts'));
  children.set('worker', startChild('worker', 'apps/worker/src/main.ts'));
  process.stderr.write(
    `contact-sync: admin API on http://${config.api.host}:${config.api.port} (readiness: /health/ready), ` +
      `worker health on port ${config.worker.healthPort}, database ${config.database.kind}. Ctrl+C stops all.\n`,
  );
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => stopAll('SIGTERM'));
}

main().catch((error: Error) => {
  process.stderr.write(`contact-sync failed to start: ${error.message}\n`);
  process.exit(1);
});
