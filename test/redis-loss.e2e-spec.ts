import { createRedisClient, SyncQueues } from '@app/queue';
import { AdminHarness, type Browser } from './support/admin-harness';
import {
  DIRECTORY_SETTINGS,
  ourItems,
  simContacts,
  simControl,
  waitRun,
} from './support/admin-sim';
import { freePort, ScratchRedis } from './support/redis-server';
import type { ServiceProcess } from './support/service-process';

interface RunBody {
  id: string;
  status: string;
  mailboxes: { total: number; succeeded: number; failed: number };
  items: { created: number };
  error: { code: string } | null;
}

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Issue #16 finding 3: a Redis without persistence restarted mid-run. SQL is the source of
 * truth: the run closes, the schedule comes back, the next "sync now" starts a new run that
 * converges, and the alert settings survive.
 */
describe('Redis loses its data mid-run', () => {
  let redis: ScratchRedis;
  let h: AdminHarness;
  let admin: Browser;
  let worker: ServiceProcess | undefined;

  /** A worker process on the same SQLite file and Redis (a crash is a SIGKILL of it). */
  async function startWorker(): Promise<void> {
    worker = await h.startWorkerProcess();
  }

  beforeAll(async () => {
    redis = new ScratchRedis(await freePort());
    await redis.start();
    h = await AdminHarness.start({
      env: {
        REDIS_URL: redis.url,
        SYNC_RUN_SWEEP_SECONDS: '2',
        SYNC_WORKER_CONCURRENCY: '1',
        SYNC_TENANT_MAILBOX_LIMIT: '1',
        // The webhook below names a loopback address (it is only stored, never reached here).
        ALERT_WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
      },
    });
    await startWorker();
    admin = h.browser();
    const t = h.tenant(0);
    await admin.signIn(t.adminUpn);
    expect((await admin.consent(t.adminUpn)).status).toBe(200);
  }, 120_000);
  afterAll(async () => {
    await worker?.stop('SIGKILL');
    await h?.stop();
    await redis?.stop();
  });

  it('closes the run as partial, restores the schedule, starts a new run on sync now that converges, and keeps alert settings', async () => {
    const list = await admin.request<{ id: string }>('POST', '/api/lists', {
      body: { name: 'Company', settings: DIRECTORY_SETTINGS },
    });
    const listId = list.body.id;
    await admin.request('POST', `/api/lists/${listId}/targets`, { body: { kind: 'all' } });
    const schedule = await admin.request<{ id: string }>('PUT', `/api/lists/${listId}/schedule`, {
      body: { cron: '0 3 * * *', timeZone: 'UTC' },
    });
    expect(schedule.status).toBe(200);
    const alerts = await admin.request<Record<string, unknown>>('PUT', '/api/alerts', {
      body: {
        emails: ['ops@example.com'],
        webhookUrl: 'https://127.0.0.1:9/contact-sync',
        webhookSecret: 'whsec-0123456789abcdef',
        quietMinutes: 45,
      },
    });
    expect(alerts.status).toBe(200);

    // Slow Graph down so the run is still going when Redis restarts.
    await simControl(h, 'PUT', '/faults', { latency: { minMs: 150, maxMs: 250 } });
    const first = await admin.request<{ runId: string; status: string }>(
      'POST',
      `/api/lists/${listId}/sync`,
    );
    expect(first.body.status).toBe('started');
    const midRun = await until(async () => {
      const r = await admin.request<RunBody>('GET', `/api/runs/${first.body.runId}`);
      return r.body.mailboxes.succeeded >= 2 ? r.body : undefined;
    }, 60_000);
    expect(midRun.status).toBe('running');
    expect(midRun.mailboxes.succeeded).toBeLessThan(midRun.mailboxes.total);

    // Redis restarts empty, and the worker crashes and restarts with it.
    await worker!.stop('SIGKILL');
    await redis.stop();
    await redis.start();
    await simControl(h, 'DELETE', '/faults');
    await startWorker();
    // Sessions lived in Redis: the admin signs in again (nothing else was lost).
    admin = h.browser();
    await admin.signIn(h.tenant(0).adminUpn);

    const closedAt = Date.now();
    const closed = await until(async () => {
      const r = await admin.request<RunBody>('GET', `/api/runs/${first.body.runId}`);
      return ['queued', 'running'].includes(r.body.status) ? undefined : r.body;
    }, 15_000);
    // Within the sweep interval (2 s) and its grace, with slack for a shared machine.
    expect(Date.now() - closedAt).toBeLessThan(10_000);
    expect(closed).toMatchObject({ status: 'partial', error: { code: 'RUN_LOST' } });
    expect(closed.mailboxes.succeeded + closed.mailboxes.failed).toBe(closed.mailboxes.total);
    expect(closed.mailboxes.failed).toBeGreaterThan(0);

    // The list's job scheduler exists again in the new Redis.
    const connection = createRedisClient(redis.url, { enableOfflineQueue: true });
    const queues = new SyncQueues(connection, h.config.redis.keyPrefix);
    try {
      await until(
        async () => ((await queues.scheduleIds()).includes(schedule.body.id) ? true : undefined),
        10_000,
      );
    } finally {
      await queues.close();
      connection.disconnect();
    }

    // Sync now starts a new run (not merged) that converges with no duplicates.
    const next = await admin.request<{ runId: string; status: string }>(
      'POST',
      `/api/lists/${listId}/sync`,
    );
    expect(next.status).toBe(202);
    expect(next.body.status).toBe('started');
    expect(next.body.runId).not.toBe(first.body.runId);
    const done = await waitRun<RunBody>(admin, next.body.runId, 120_000);
    expect(done.status).toBe('succeeded');
    const states = (await h.dataSource.query(
      `SELECT mailbox_id, status FROM mailbox_state WHERE list_id = '${listId}'`,
    )) as Array<{ mailbox_id: string; status: string }>;
    expect(states.length).toBe(done.mailboxes.total);
    // Every mailbox is in step again (or skipped for good: no mailbox, on-premises).
    expect(
      states.filter((st) => !['in_sync', 'skipped', 'needs_on_premises'].includes(st.status)),
    ).toEqual([]);
    const t = h.tenant(0);
    const perMailbox = new Set<number>();
    for (const { mailbox_id } of states.filter((st) => st.status === 'in_sync')) {
      const ours = ourItems(await simContacts(h, t.id, mailbox_id));
      const keys = ours.map((c) => JSON.stringify(c.singleValueExtendedProperties));
      expect(new Set(keys).size).toBe(ours.length); // no duplicates
      perMailbox.add(ours.length);
    }
    expect([...perMailbox]).toHaveLength(1); // every mailbox holds the same list
    expect([...perMailbox][0]).toBeGreaterThan(0);

    // The alert settings survived (the last delivery's outcome is Redis's, and may be lost).
    const after = await admin.request<Record<string, unknown>>('GET', '/api/alerts');
    const settings = ({ lastWebhookDelivery: _, ...rest }: Record<string, unknown>) => rest;
    expect(settings(after.body)).toEqual(settings(alerts.body));
    expect(after.body).toMatchObject({ quietMinutes: 45, webhookSecretSet: true });
  }, 240_000);
});
