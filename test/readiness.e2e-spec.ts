import { ALL_QUEUES, QueueName } from '@app/queue';
import { startService, type ServiceProcess } from './support/service-process';
import { freePort, ScratchRedis } from './support/redis-server';
import { serviceEnv } from './support/test-env';

async function ready(port: number): Promise<{
  status: number;
  body: {
    status: string;
    failing?: string[];
    checks: Record<string, { status: string; error?: string }>;
  };
}> {
  const res = await fetch(`http://127.0.0.1:${port}/health/ready`);
  return { status: res.status, body: (await res.json()) as never };
}

async function eventually<T>(
  probe: () => Promise<T>,
  accept: (value: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe.each(['apps/admin-api/src/main.ts', 'apps/worker/src/main.ts'])(
  '%s readiness',
  (entry) => {
    let redis: ScratchRedis;
    let service: ServiceProcess;
    let port: number;

    beforeAll(async () => {
      redis = new ScratchRedis(await freePort());
      await redis.start();
      service = startService(entry, serviceEnv({ REDIS_URL: redis.url }));
      port = await service.listening();
    });
    afterAll(async () => {
      await service?.stop();
      await redis?.stop();
    });

    it('is live and ready with the database and Redis up', async () => {
      expect((await fetch(`http://127.0.0.1:${port}/health/live`)).status).toBe(200);
      const { status, body } = await ready(port);
      expect(status).toBe(200);
      expect(body.checks.database.status).toBe('up');
      expect(body.checks.redis).toMatchObject({ status: 'up', maxmemoryPolicy: 'noeviction' });
    });

    it('answers 503 naming Redis while Redis is down, keeps running, and recovers', async () => {
      await redis.stop();
      const down = await eventually(
        () => ready(port),
        (r) => r.status === 503,
      );
      expect(down.status).toBe(503);
      expect(down.body.failing).toEqual(['redis']);
      expect(down.body.checks.redis.error).toMatch(/^Redis is unreachable/);
      expect(down.body.checks.database.status).toBe('up');
      expect((await fetch(`http://127.0.0.1:${port}/health/live`)).status).toBe(200);
      expect(service.child.exitCode).toBeNull();
      // Every BullMQ queue and worker of the process logs its connection error, naming its
      // queue (review B7): the admin API's producers; the worker's producers, its workers and
      // the queues BullModule.registerQueue made for them (no billing here: no Stripe worker).
      const expected = [
        ...ALL_QUEUES.map((q) => `SyncQueues queue ${q}`),
        ...(entry.includes('worker')
          ? ALL_QUEUES.filter((q) => q !== QueueName.StripeEvent).flatMap((q) => [
              `JobSupervisor queue ${q}`,
              `JobSupervisor worker ${q}`,
            ])
          : []),
      ].sort();
      const logged = () =>
        [
          ...new Set(
            service
              .logs()
              .filter((l) => l.role && l.queue)
              .map((l) => `${String(l.context)} ${String(l.role)} ${String(l.queue)}`),
          ),
        ].sort();
      expect(
        await eventually(
          async () => logged(),
          (l) => l.length >= expected.length,
        ),
      ).toEqual(expected);

      await redis.start();
      const up = await eventually(
        () => ready(port),
        (r) => r.status === 200,
      );
      expect(up.status).toBe(200);
    });

    it('exits 0 on SIGTERM', async () => {
      expect(await service.stop('SIGTERM')).toBe(0);
    });
  },
);

describe('readiness with an evicting Redis', () => {
  it('answers 503 naming the maxmemory-policy', async () => {
    const redis = new ScratchRedis(await freePort(), 'allkeys-lru');
    await redis.start();
    const service = startService(
      'apps/admin-api/src/main.ts',
      serviceEnv({ REDIS_URL: redis.url }),
    );
    try {
      const port = await service.listening();
      const { status, body } = await ready(port);
      expect(status).toBe(503);
      expect(body.failing).toEqual(['redis']);
      expect(body.checks.redis.error).toMatch(
        /maxmemory-policy is allkeys-lru; it must be noeviction/,
      );
    } finally {
      await service.stop();
      await redis.stop();
    }
  });
});
