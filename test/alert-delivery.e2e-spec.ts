import { AlertDeliverer, AlertsService } from '@app/admin';
import { AlertDeliveryEntity, SyncRunEntity, TenantEntity } from '@app/persistence';
import { createHmac, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { loadOrCreateTls } from '../apps/m365-sim/src/core/tls';
import { AdminHarness, type Browser } from './support/admin-harness';
import type { ServiceProcess } from './support/service-process';

const SECRET = 'whsec-delivery-0123456789';

interface Hook {
  deliveryId: string;
  signature: string;
  body: string;
  answered: number;
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Alert delivery through the SQL outbox (issue #17, acceptance 4): a webhook that fails once is
 * delivered exactly once afterwards with the same delivery id; a worker killed between sending
 * and marking leaves at most a duplicate with the same id, never a lost alert.
 */
describe('alert delivery: outbox, retries, crash', () => {
  let h: AdminHarness;
  let admin: Browser;
  let tenantId: string;
  let receiver: Server;
  const hooks: Hook[] = [];
  /** What the receiver does with the next POST: an HTTP status, or a function run first. */
  let answer: (req: IncomingMessage) => number | Promise<number> = () => 200;

  beforeAll(async () => {
    h = await AdminHarness.start({
      env: (sim) => ({
        ALERT_WEBHOOK_CA_FILE: sim.caPath,
        ALERT_WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
        // The in-process API has no alert pass; worker processes below pass every second.
        ALERT_POLL_SECONDS: '1',
        ALERT_DELIVERY_LEASE_SECONDS: '2',
      }),
    });
    const tls = loadOrCreateTls(join(h.config.dataDir, 'sim'), '127.0.0.1');
    receiver = createServer({ key: tls.keyPem, cert: tls.certPem }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', async () => {
        const status = await answer(req);
        hooks.push({
          deliveryId: String(req.headers['x-contact-sync-delivery']),
          signature: String(req.headers['x-contact-sync-signature']),
          body: Buffer.concat(chunks).toString('utf8'),
          answered: status,
        });
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const t = h.tenant(0);
    admin = h.browser();
    await admin.signIn(t.adminUpn);
    expect((await admin.consent(t.adminUpn)).status).toBe(200);
    tenantId = (
      await h.dataSource.getRepository(TenantEntity).findOneByOrFail({ azureTenantId: t.id })
    ).id;
    const put = await admin.request('PUT', '/api/alerts', {
      body: {
        quietMinutes: 1,
        webhookUrl: `https://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`,
        webhookSecret: SECRET,
      },
    });
    expect(put.status).toBe(200);
    await h.app.get(AlertsService).checkOnce(); // the first pass of the deployment sets the cursor
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
    await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
  });

  /** A sync run of a list of its own that just ended failed (what alerts are about). */
  async function failedRun(): Promise<string> {
    const id = randomUUID();
    const now = new Date();
    await h.dataSource.getRepository(SyncRunEntity).insert(
      Object.assign(new SyncRunEntity(), {
        id,
        tenantId,
        listKind: 'contacts',
        listId: randomUUID(),
        activeListId: null,
        mode: 'sync',
        trigger: 'manual',
        status: 'failed',
        startedAt: new Date(now.getTime() - 1000),
        finishedAt: now,
        errorCode: 'CONSENT_REVOKED',
      }),
    );
    return id;
  }

  const rowOf = (runId: string) =>
    h.dataSource
      .getRepository(AlertDeliveryEntity)
      .findOneByOrFail({ tenantId, dedupeKey: `run:${runId}` });

  function expectSigned(hook: Hook): void {
    const expected = createHmac('sha256', SECRET).update(hook.body).digest('hex');
    expect(hook.signature).toBe(`sha256=${expected}`);
  }

  it('a webhook that answers 500 and then 200 gets the alert exactly once more, with the same delivery id', async () => {
    hooks.length = 0;
    const alerts = h.app.get(AlertsService);
    const deliverer = h.app.get(AlertDeliverer);
    const statuses = [500, 200];
    answer = () => statuses.shift() ?? 200;
    const runId = await failedRun();

    const first = await alerts.checkOnce();
    expect(first).toEqual([expect.objectContaining({ webhook: 'failed', state: 'pending' })]);
    expect(hooks.map((x) => x.answered)).toEqual([500]);
    const failedRow = await rowOf(runId);
    expect(failedRow).toMatchObject({ state: 'pending', attempts: 1, webhookHttpStatus: 500 });
    expect(failedRow.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + 20_000);
    expect((await admin.request('GET', '/api/alerts')).body).toMatchObject({
      lastWebhookDelivery: {
        deliveryId: hooks[0].deliveryId,
        outcome: 'failed',
        code: 'WEBHOOK_HTTP_STATUS',
        httpStatus: 500,
      },
    });

    // Not due yet: another pass sends nothing.
    expect(await alerts.checkOnce()).toEqual([]);
    expect(hooks).toHaveLength(1);

    // Its retry time (the deliverer's clock moved past it, no waiting).
    const retried = await deliverer.deliverDue(new Date(failedRow.nextAttemptAt.getTime() + 1));
    expect(retried).toEqual([
      expect.objectContaining({ deliveryId: failedRow.id, webhook: 'sent', state: 'delivered' }),
    ]);
    expect(hooks.map((x) => x.answered)).toEqual([500, 200]);
    expect(hooks[1].deliveryId).toBe(hooks[0].deliveryId);
    expect(hooks[1].deliveryId).toBe(failedRow.id);
    expect(hooks[1].body).toBe(hooks[0].body);
    expectSigned(hooks[1]);
    expect(JSON.parse(hooks[1].body)).toMatchObject({ id: failedRow.id, run: { id: runId } });

    // Delivered: neither a later pass nor a much later clock sends it again.
    expect(await alerts.checkOnce()).toEqual([]);
    expect(await deliverer.deliverDue(new Date(Date.now() + 86_400_000))).toEqual([]);
    expect(hooks).toHaveLength(2);
    expect(await rowOf(runId)).toMatchObject({ state: 'delivered', attempts: 2 });
    expect((await admin.request('GET', '/api/alerts')).body).toMatchObject({
      lastWebhookDelivery: { deliveryId: failedRow.id, outcome: 'sent', httpStatus: 200 },
    });
  });

  it('a worker killed after sending and before marking: the alert goes out again with the same id, once', async () => {
    hooks.length = 0;
    let first: ServiceProcess | undefined;
    let second: ServiceProcess | undefined;
    try {
      // The receiver kills the worker while the POST is in flight: it sent, it never marks.
      let started: (worker: ServiceProcess) => void;
      const firstStarted = new Promise<ServiceProcess>((resolve) => (started = resolve));
      let posts = 0;
      answer = async () => {
        if (posts++ === 0) {
          const worker = await firstStarted;
          worker.child.kill('SIGKILL');
          await worker.exited(10_000);
        }
        return 200;
      };
      const runId = await failedRun();
      first = await h.startWorkerProcess();
      started!(first);
      await until(() => hooks.length >= 1);
      expect(await first.exited(10_000)).toBeNull(); // killed, not exited
      const leased = await rowOf(runId);
      expect(leased).toMatchObject({ state: 'pending', attempts: 0 });
      expect(leased.leaseUntil).not.toBeNull();

      second = await h.startWorkerProcess();
      await until(async () => (await rowOf(runId)).state === 'delivered');
      const delivered = await rowOf(runId);
      // Full passes after it, one with a clock a day ahead: nothing more goes out.
      await h.app.get(AlertsService).checkOnce();
      await h.app.get(AlertDeliverer).deliverDue(new Date(Date.now() + 86_400_000));
      expect(hooks.map((x) => x.deliveryId)).toEqual([delivered.id, delivered.id]);
      expect(hooks[1].body).toBe(hooks[0].body);
      hooks.forEach(expectSigned);
      expect(delivered).toMatchObject({ state: 'delivered', attempts: 1, leaseUntil: null });
    } finally {
      await first?.stop('SIGKILL');
      await second?.stop();
    }
  }, 120_000);
});
