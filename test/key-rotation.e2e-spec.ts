import { FieldCipher, KeyRing, keyIdOf } from '@app/crypto';
import { EmbeddedLogStore, LOG_STORE, type LogStore } from '@app/logstore';
import { tokenCacheContext, tokenCacheKey } from '@app/microsoft';
import { ENCRYPTED_COLUMNS } from '@app/persistence';
import { REDIS_CLIENT } from '@app/queue';
import type { Redis } from 'ioredis';
import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { loadOrCreateTls } from '../apps/m365-sim/src/core/tls';
import { AdminHarness, type Browser } from './support/admin-harness';
import { DIRECTORY_SETTINGS, simContacts, simControl, waitRun } from './support/admin-sim';
import { importCsv } from './support/csv-import';
import { startService } from './support/service-process';

const SECRET = 'whsec-rotation-0123456789';
const material = () => randomBytes(32);
const keys = { old: material(), bidx: material(), new: material() };
const listed = (...ids: Array<keyof typeof keys>) =>
  ids.map((id) => `${id}:${keys[id].toString('base64')}`).join(',');
const ringOf = (active: keyof typeof keys, ...ids: Array<keyof typeof keys>) =>
  new FieldCipher(
    new KeyRing({ activeKeyId: active, keys: ids.map((id) => ({ id, material: keys[id] })) }),
  );

interface Hook {
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Issue #19, acceptance 8: after `keys:rotate` and the removal of the old key, every encrypted
 * value the product keeps — SQL columns, the log store, the Redis token cache — still decrypts
 * (or counts as a cache miss), and alert webhooks still deliver.
 */
describe('key rotation covers every encrypted value', () => {
  let h: AdminHarness;
  let hooks: Server;
  let hookUrl: string;
  const received: Hook[] = [];
  let admin: Browser;
  let listId: string;
  let tenantId: string;

  const redis = () => h.app.get<Redis>(REDIS_CLIENT);
  const tokenKey = () => tokenCacheKey(h.config.redis.keyPrefix, tenantId);
  const snapshotKeyIds = () =>
    (
      (h.app.get<LogStore>(LOG_STORE) as EmbeddedLogStore).connection
        .prepare('SELECT payload FROM snapshots WHERE part_no > 0')
        .all() as Array<{ payload: string }>
    ).map((r) => keyIdOf(r.payload));
  /** Every encrypted SQL value, by table.column, with the id of its key. */
  const sqlValues = async () => {
    const out: Array<{ at: string; id: string; tenantId: string; value: string }> = [];
    for (const c of ENCRYPTED_COLUMNS) {
      const rows = (await h.dataSource.query(
        `SELECT id, tenant_id AS "tenantId", ${c.column} AS value FROM ${c.table} WHERE ${c.column} IS NOT NULL`,
      )) as Array<{ id: string; tenantId: string; value: string }>;
      out.push(...rows.map((r) => ({ at: `${c.table}.${c.column}`, ...r })));
    }
    return out;
  };
  const sync = async (b: Browser) => {
    const started = await b.request<{ runId: string }>('POST', `/api/lists/${listId}/sync`);
    expect(started.status).toBe(202);
    return waitRun<{ status: string; mailboxesSucceeded: number }>(b, started.body.runId);
  };

  beforeAll(async () => {
    h = await AdminHarness.start({
      worker: true,
      // The EWS connection below reaches the simulator's EWS endpoint with this account, so the
      // run's on-premises mailboxes sync through it (after the rotation too).
      sim: {
        ewsAccounts: [{ userName: 'svc-sync', password: 'ews-password-1', impersonation: true }],
      },
      env: (sim) => ({
        // The blind-index key is a key of its own, so the old one can really go afterwards.
        ENCRYPTION_KEYS: listed('old', 'bidx'),
        ENCRYPTION_ACTIVE_KEY: 'old',
        ENCRYPTION_BLIND_INDEX_KEY: 'bidx',
        ALERT_POLL_SECONDS: '1',
        ALERT_WEBHOOK_CA_FILE: sim.caPath,
        ALERT_WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
      }),
    });
    const tls = loadOrCreateTls(join(h.config.dataDir, 'sim'), '127.0.0.1');
    hooks = createServer({ key: tls.keyPem, cert: tls.certPem }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => hooks.listen(0, '127.0.0.1', resolve));
    hookUrl = `https://127.0.0.1:${(hooks.address() as AddressInfo).port}/hooks/contact-sync`;
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
    await new Promise<void>((resolve) => (hooks ? hooks.close(() => resolve()) : resolve()));
  });

  it('after keys:rotate and removing the old key, SQL, log store and token cache still open, and webhooks deliver', async () => {
    const t = h.tenant(0);
    admin = h.browser();
    await admin.signIn(t.adminUpn);
    expect((await admin.consent(t.adminUpn)).status).toBe(200);
    tenantId = (
      (await h.dataSource.query('SELECT id FROM tenant WHERE azure_tenant_id = ?', [
        t.id,
      ])) as Array<{
        id: string;
      }>
    )[0].id;
    const list = await admin.request<{ id: string }>('POST', '/api/lists', {
      body: {
        name: 'Company',
        settings: { sources: [...DIRECTORY_SETTINGS.sources, { id: 'm', kind: 'manual' }] },
      },
    });
    listId = list.body.id;
    await admin.request('POST', `/api/lists/${listId}/targets`, { body: { kind: 'all' } });
    const csv =
      'displayName,emailAddresses,businessPhones\n' +
      'Supplier Alpha,alpha@suppliers.example,+1 425 555 0100\n' +
      'Supplier Beta,beta@suppliers.example,+1 425 555 0101\n';
    expect((await importCsv(admin, listId, csv)).status).toBe('succeeded');
    const alerts = await admin.request('PUT', '/api/alerts', {
      body: { emails: [], webhookUrl: hookUrl, webhookSecret: SECRET, quietMinutes: 5 },
    });
    expect(alerts.status).toBe(200);
    const ews = await admin.request('PUT', '/api/ews', {
      body: {
        serverUrl: h.sim.info.ewsUrl,
        username: 'svc-sync',
        password: 'ews-password-1',
        authMode: 'ntlm',
        caCertificate: h.sim.caPem,
      },
    });
    expect(ews.status).toBe(200);
    // Alert settings as an earlier version kept them in Redis: the worker's first alert pass after
    // a start moves them to SQL (the SQL row wins the move), so they are rotated with SQL.
    const legacyKey = `${h.config.redis.keyPrefix}:alerts:settings:${tenantId}`;
    await redis().set(
      legacyKey,
      JSON.stringify({
        emails: [],
        webhookUrl: hookUrl,
        webhookSecretEncrypted: ringOf('old', 'old').encrypt(SECRET, {
          tenantId,
          table: 'alert_settings',
          rowId: tenantId,
          column: 'webhook_secret',
        }),
        quietMinutes: 5,
        updatedAt: new Date().toISOString(),
      }),
    );
    expect((await sync(admin)).status).toBe('succeeded');

    // Everything sealed so far is under the old key: SQL, the log store, the token cache.
    const before = await sqlValues();
    const tables = new Set(before.map((v) => v.at));
    // (admin profiles and CSV uploads are kept only while needed: none is left at this point)
    for (const at of [
      'ews_connection.password_encrypted',
      'list_entry.data_encrypted',
      'alert_settings.webhook_secret_encrypted',
    ])
      expect(tables).toContain(at);
    expect(new Set(before.map((v) => keyIdOf(v.value)))).toEqual(new Set(['old']));
    expect(snapshotKeyIds().length).toBeGreaterThan(0);
    expect(new Set(snapshotKeyIds())).toEqual(new Set(['old']));
    expect(keyIdOf((await redis().get(tokenKey()))!)).toBe('old');

    // The documented procedure: add the new key and make it active, restart, rotate online.
    await h.restart({
      ENCRYPTION_KEYS: listed('old', 'new', 'bidx'),
      ENCRYPTION_ACTIVE_KEY: 'new',
    });
    await until(async () => (await redis().exists(legacyKey)) === 0);
    const rotation = startService('libs/admin/src/cli/rotate-keys.ts', {
      ...h.env,
      LOG_LEVEL: 'silent',
    });
    expect(await rotation.exited(120_000)).toBe(0);
    expect(rotation.output()).toContain('all values are now under key "new"');
    expect(rotation.output()).toMatch(/done log store snapshots: [1-9]\d* re-encrypted/);
    expect(rotation.output()).toMatch(/done redis token cache: 1 re-encrypted/);
    expect(rotation.output()).toMatch(/done redis legacy alert settings: 0 re-encrypted/);

    // The old key removed from the ring.
    await h.restart({ ENCRYPTION_KEYS: listed('new', 'bidx') });
    const onlyNew = ringOf('new', 'new', 'bidx');
    const after = await sqlValues();
    expect(after.map((v) => v.at).sort()).toEqual(before.map((v) => v.at).sort());
    for (const v of after) {
      expect([v.at, keyIdOf(v.value)]).toEqual([v.at, 'new']);
      const column = ENCRYPTED_COLUMNS.find((c) => `${c.table}.${c.column}` === v.at)!;
      const plain = onlyNew.decrypt(v.value, {
        tenantId: v.tenantId,
        table: column.table,
        rowId: v.id,
        column: column.column,
      });
      if (v.at === 'alert_settings.webhook_secret_encrypted') expect(plain).toBe(SECRET);
      if (v.at === 'ews_connection.password_encrypted') expect(plain).toBe('ews-password-1');
    }
    // Nothing of the legacy settings is left in Redis to open under a removed key.
    expect(await redis().exists(legacyKey)).toBe(0);
    // The log store's snapshot opens under the new key alone, item for item.
    expect(new Set(snapshotKeyIds())).toEqual(new Set(['new']));
    const snapshot = await h.app.get<LogStore>(LOG_STORE).getSnapshot(tenantId, listId);
    expect(snapshot!.items.length).toBeGreaterThan(2);
    expect(JSON.stringify(snapshot!.items)).toContain('Supplier Beta');
    // The token cache was re-sealed, its time to live kept.
    const sealed = (await redis().get(tokenKey()))!;
    expect(keyIdOf(sealed)).toBe('new');
    expect(JSON.parse(onlyNew.decrypt(sealed, tokenCacheContext(tenantId)))).toHaveProperty(
      'token',
    );
    expect(await redis().pttl(tokenKey())).toBeGreaterThan(0);

    // A token a straggler sealed under the removed key is a cache miss, not an error: the next
    // run fetches a fresh token, and the manual entries (decrypted from SQL) reach the mailboxes.
    const stale = ringOf('old', 'old').encrypt(
      JSON.stringify({
        token: 'stale',
        expiresAt: Date.now() + 3_600_000,
        refreshAt: Date.now() + 3_000_000,
      }),
      tokenCacheContext(tenantId),
    );
    await redis().set(tokenKey(), stale, 'PX', 600_000);
    admin = h.browser(); // the session cookie was signed under the old active key: sign in again
    await admin.signIn(t.adminUpn);
    expect((await sync(admin)).status).toBe('succeeded');
    expect(keyIdOf((await redis().get(tokenKey()))!)).toBe('new');
    const synced = (await h.dataSource.query(
      `SELECT mailbox_id AS "mailboxId" FROM mailbox_state WHERE list_id = ? AND status = 'in_sync'`,
      [listId],
    )) as Array<{ mailboxId: string }>;
    expect(synced.length).toBeGreaterThan(0);
    const names = (await simContacts(h, t.id, synced[0].mailboxId)).map((c) => c.displayName);
    expect(names).toEqual(expect.arrayContaining(['Supplier Alpha', 'Supplier Beta']));

    // The webhook secret, re-sealed in SQL, still signs alerts: a failing run is delivered.
    const clientId = h.sim.info.apps[0].clientId;
    await simControl(h, 'DELETE', `/tenants/${t.id}/consent/${clientId}/roles/Contacts.ReadWrite`);
    await simControl(h, 'POST', `/tenants/${t.id}/expire-tokens`);
    const failing = await sync(admin);
    // Graph mailboxes are refused (the role is gone); the on-premises ones still sync through
    // EWS, which needs no Graph role: the run is partial.
    expect(failing.status).toBe('partial');
    await until(() => received.length >= 1);
    const hook = received[0];
    const expected = createHmac('sha256', SECRET).update(hook.body).digest('hex');
    expect(hook.headers['x-contact-sync-signature']).toBe(`sha256=${expected}`);
    expect(JSON.parse(hook.body)).toMatchObject({ azureTenantId: t.id, list: { id: listId } });
  }, 240_000);
});
