import { ALL_QUEUES } from '@app/queue';
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort, ScratchRedis } from './support/redis-server';

const ROOT = join(__dirname, '..');

interface Line {
  kind: string;
  level?: string;
  message?: unknown;
  params?: unknown[];
}

/**
 * Review B7: SyncQueues' BullMQ queues have an 'error' listener. In a process of its own (so
 * its real `process` sees what would be uncaught), SyncQueues on a private redis-server whose
 * server then stops: every queue's connection error reaches the Nest logger with the queue's
 * name, nothing reaches 'uncaughtException' or 'unhandledRejection', nothing goes to
 * console.error.
 */
describe('SyncQueues when Redis goes away', () => {
  let redis: ScratchRedis;
  let child: ChildProcess;
  let stdout = '';
  let stderr = '';
  const lines = (): Line[] =>
    stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Line);

  async function until(probe: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!probe()) {
      if (child.exitCode !== null || Date.now() > deadline)
        throw new Error(`${what} (exit ${child.exitCode})\nstdout:\n${stdout}\nstderr:\n${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  beforeAll(async () => {
    redis = new ScratchRedis(await freePort());
    await redis.start();
    child = spawn(
      process.execPath,
      [
        join(ROOT, 'scripts/run-ts.js'),
        join(ROOT, 'test/support/queue-errors-probe.ts'),
        redis.url,
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout!.on('data', (chunk) => (stdout += chunk));
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    await until(() => lines().some((l) => l.kind === 'ready'), 'the probe did not connect');
  });
  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
    await redis?.stop();
  });

  it("logs every queue's connection error through the Nest logger, with the queue's name; nothing uncaught", async () => {
    expect(lines().filter((l) => l.kind === 'log' && l.level === 'warn')).toEqual([]);
    await redis.stop();
    const warned = () =>
      new Set(
        lines()
          .filter((l) => l.kind === 'log' && l.level === 'warn')
          .map((l) => (l.message as { queue?: string }).queue),
      );
    await until(
      () => ALL_QUEUES.every((q) => warned().has(q)),
      'not every queue logged its connection error',
    );
    const entry = lines().find(
      (l) => l.kind === 'log' && (l.message as { queue?: string }).queue === 'plan-run',
    )!;
    expect(entry).toEqual({
      kind: 'log',
      level: 'warn',
      message: { queue: 'plan-run', role: 'queue', code: 'ECONNREFUSED' },
      params: [
        expect.stringMatching(/^queue plan-run: queue connection error: .*ECONNREFUSED/),
        'SyncQueues',
      ],
    });

    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(
      lines().filter((l) => l.kind === 'uncaughtException' || l.kind === 'unhandledRejection'),
    ).toEqual([]);
    // An unlistened error that BullMQ catches ends in console.error (stderr): none here.
    expect(stderr).toBe('');
  });
});
