import {
  AlertDeliverer,
  AlertDetector,
  AlertSettingsService,
  AlertsService,
  EmailChannel,
  WebhookChannel,
} from '@app/admin';
import type { HostResolver } from '@app/outbound';
import type { AppConfig } from '@app/config';
import { FieldCipher } from '@app/crypto';
import {
  AlertOutboxRepository,
  AlertSettingsRepository,
  ContactListRepository,
  RowCipher,
  SyncRunEntity,
  SyncRunRepository,
  TenantEntity,
  TenantRepository,
  UnitOfWork,
} from '@app/persistence';
import { REDIS_CLIENT } from '@app/queue';
import { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateTls } from '../apps/m365-sim/src/core/tls';
import { AdminHarness, type Browser } from './support/admin-harness';

interface Problem {
  field: string;
  message: string;
}

const SECRET = 'whsec-0123456789abcdef';

describe('alert webhooks: SSRF guard', () => {
  let h: AdminHarness;
  let admin: Browser;
  let tenantId: string;

  beforeAll(async () => {
    // Defaults: https only, public addresses only. The poller stays quiet during the test.
    h = await AdminHarness.start({ env: { ALERT_POLL_SECONDS: '3600' } });
    const t = h.tenant(0);
    admin = h.browser();
    await admin.signIn(t.adminUpn);
    expect((await admin.consent(t.adminUpn)).status).toBe(200);
    tenantId = (
      await h.dataSource.getRepository(TenantEntity).findOneByOrFail({ azureTenantId: t.id })
    ).id;
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
  });

  describe('when saved (the API, the system resolver)', () => {
    it.each([
      ['http://127.0.0.1:8080/hook', /expected an https:\/\/ URL/],
      ['https://127.0.0.1:8443/hook', /is a non-public address \(loopback\)/],
      ['https://10.0.0.1/', /is a non-public address \(private\)/],
      ['https://172.16.5.4/', /is a non-public address \(private\)/],
      ['https://192.168.1.10/', /is a non-public address \(private\)/],
      ['https://169.254.169.254/latest/meta-data/', /is a non-public address \(linkLocal\)/],
      ['https://100.64.0.1/', /is a non-public address \(carrierGradeNat\)/],
      ['https://[::1]/', /is a non-public address \(loopback\)/],
      ['https://[fd00::1]/', /is a non-public address \(uniqueLocal\)/],
      ['https://[::ffff:127.0.0.1]/', /is a non-public address \(ipv4Mapped loopback\)/],
      ['https://0.0.0.0/', /an address that cannot receive webhooks \(unspecified\)/],
      ['https://localhost:8443/hook', /resolves to a non-public address \(loopback\)/],
    ])('refuses %s with 400 naming webhookUrl and changes nothing', async (webhookUrl, reason) => {
      const before = await admin.request('GET', '/api/alerts');
      const res = await admin.request<{ problems: Problem[] }>('PUT', '/api/alerts', {
        body: { quietMinutes: 5, webhookUrl, webhookSecret: SECRET },
      });
      expect(res.status).toBe(400);
      expect(res.body.problems).toEqual([{ field: 'webhookUrl', message: expect.any(String) }]);
      expect(res.body.problems[0].message).toMatch(reason);
      expect((await admin.request('GET', '/api/alerts')).body).toEqual(before.body);
    });

    it('accepts a public address (nothing is contacted when saving)', async () => {
      const res = await admin.request('PUT', '/api/alerts', {
        body: { quietMinutes: 5, webhookUrl: 'https://93.184.215.14/hook', webhookSecret: SECRET },
      });
      expect(res.status).toBe(200);
      await admin.request('PUT', '/api/alerts', { body: { quietMinutes: 5, webhookUrl: null } });
    });
  });

  describe('when sent (AlertsService with a resolver injected through its port)', () => {
    let receiver: Server;
    let port: number;
    let caFile: string;
    const received: Array<{ host: string | undefined; body: string }> = [];
    /** hooks.test (a name no real DNS answers) resolves to whatever the test says. */
    const answers = new Map<string, string[]>();
    const resolver: HostResolver = {
      resolve: (hostname) =>
        Promise.resolve(
          (answers.get(hostname) ?? []).map((address) => ({
            address,
            family: address.includes(':') ? 6 : 4,
          })),
        ),
    };

    beforeAll(async () => {
      const tlsDir = mkdtempSync(join(tmpdir(), 'hooks-tls-'));
      const tls = loadOrCreateTls(tlsDir, 'hooks.test');
      caFile = tls.caPath;
      receiver = createServer({ key: tls.keyPem, cert: tls.certPem }, (req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          received.push({ host: req.headers.host, body: Buffer.concat(chunks).toString('utf8') });
          res.writeHead(204).end();
        });
      });
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      port = (receiver.address() as AddressInfo).port;
    });
    afterAll(async () => {
      await new Promise<void>((resolve) =>
        receiver ? receiver.close(() => resolve()) : resolve(),
      );
    });

    /** An alerts service on the running API's database, Redis and cipher, with its own webhook policy. */
    function service(allowPrivateNetworks: boolean): AlertsService {
      const config: AppConfig = {
        ...h.config,
        redis: { ...h.config.redis, keyPrefix: `${h.config.redis.keyPrefix}-${randomUUID()}` },
        admin: {
          ...h.config.admin,
          alerts: {
            ...h.config.admin.alerts,
            webhookCaFile: caFile,
            webhookAllowPrivateNetworks: allowPrivateNetworks,
          },
        },
      };
      const get = <T>(token: abstract new (...args: never[]) => T): T =>
        h.app.get(token, { strict: false });
      const webhook = new WebhookChannel(config, resolver);
      const email = new EmailChannel(config);
      const settings = new AlertSettingsService(
        get(AlertSettingsRepository),
        get(AlertOutboxRepository),
        get(UnitOfWork),
        get(RowCipher),
        webhook,
        h.app.get<Redis>(REDIS_CLIENT),
        get(FieldCipher),
        config,
      );
      const outbox = get(AlertOutboxRepository);
      return new AlertsService(
        settings,
        new AlertDetector(
          get(UnitOfWork),
          get(SyncRunRepository),
          get(TenantRepository),
          get(ContactListRepository),
          settings,
          email,
        ),
        new AlertDeliverer(outbox, settings, webhook, email, config),
        outbox,
      );
    }

    const runs: string[] = [];
    async function failedRun(): Promise<void> {
      const now = new Date();
      const id = randomUUID();
      runs.push(id);
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
    }

    // Each test alerts about its own run only (a later pass would see an earlier test's run).
    afterEach(async () => {
      await h.dataSource.getRepository(SyncRunEntity).delete(runs.splice(0));
    });

    const actor = () => ({ tenantId, type: 'admin' as const, id: 'ssrf-test' });

    it('refuses, logs and records a host that moved to a private address after it was saved; nothing is sent', async () => {
      const alerts = service(false);
      answers.set('hooks.test', ['93.184.215.14']);
      const saved = await alerts.put(actor(), {
        emails: [],
        webhookUrl: `https://hooks.test:${port}/hook`,
        webhookSecret: SECRET,
        quietMinutes: 5,
      });
      expect(saved.webhookUrl).toBe(`https://hooks.test:${port}/hook`);
      answers.set('hooks.test', ['127.0.0.1']); // the name now points inside

      const warnings: unknown[] = [];
      const spy = jest
        .spyOn(Logger.prototype, 'warn')
        .mockImplementation((...args: unknown[]) => void warnings.push(args[0]));
      try {
        await alerts.checkOnce(); // first pass only sets the cursor
        await failedRun();
        const sent = await alerts.checkOnce();
        expect(sent).toHaveLength(1);
      } finally {
        spy.mockRestore();
      }
      expect(received).toEqual([]);
      expect(warnings).toContainEqual(
        expect.objectContaining({
          tenantId,
          code: 'WEBHOOK_ADDRESS_NOT_PUBLIC',
          reason: expect.stringMatching(/resolves to a non-public address \(loopback\)/),
        }),
      );
      expect((await alerts.get(tenantId)).lastWebhookDelivery).toMatchObject({
        kind: 'run_failed',
        outcome: 'failed',
        code: 'WEBHOOK_ADDRESS_NOT_PUBLIC',
      });
    });

    it('with private networks allowed, POSTs to exactly the address that was checked', async () => {
      const alerts = service(true);
      answers.set('hooks.test', ['127.0.0.1']);
      await alerts.put(actor(), {
        emails: [],
        webhookUrl: `https://hooks.test:${port}/hook`,
        webhookSecret: SECRET,
        quietMinutes: 5,
      });
      await alerts.checkOnce();
      await failedRun();
      expect(await alerts.checkOnce()).toHaveLength(1);
      // hooks.test exists only in the injected resolver: reaching the receiver means the
      // connection used the checked address, with TLS verified for the name.
      expect(received).toHaveLength(1);
      expect(received[0].host).toBe(`hooks.test:${port}`);
      expect(JSON.parse(received[0].body)).toMatchObject({ kind: 'run_failed', tenantId });
      expect((await alerts.get(tenantId)).lastWebhookDelivery).toMatchObject({
        outcome: 'sent',
        httpStatus: 204,
      });
    });
  });
});
