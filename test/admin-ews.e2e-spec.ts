import { EwsService } from '@app/admin';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import { AdminHarness, type Browser } from './support/admin-harness';

interface Problem {
  field: string;
  message: string;
}

const PASSWORD = 'Ews-Pa55word-7f3c1a9e';
const NEW_PASSWORD = 'Second-Pa55word-b81d04';

describe('EWS connection settings', () => {
  let h: AdminHarness;
  const lines: string[] = [];
  const answers: string[] = [];
  let admin: Browser;
  let adminB: Browser;
  let viewer: Browser;

  const call = async <T = unknown>(b: Browser, method: string, body?: unknown) => {
    const res = await b.request<T>(method, '/api/ews', {
      body,
      ...(typeof body === 'string' ? { headers: { 'content-type': 'application/json' } } : {}),
    });
    res.headers.forEach((value, name) => answers.push(`${name}: ${value}`));
    answers.push(res.text);
    return res;
  };
  const row = async () =>
    (await h.dataSource.query('SELECT * FROM ews_connection')) as Array<Record<string, unknown>>;

  beforeAll(async () => {
    const logs = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    h = await AdminHarness.start({ logs, env: { LOG_LEVEL: 'trace' } });
    const t = h.tenant(0);
    admin = h.browser();
    await admin.signIn(t.adminUpn);
    expect((await admin.consent(t.adminUpn)).status).toBe(200);
    viewer = h.browser();
    await viewer.signIn(t.viewerUpn);
    const tb = h.tenant(1);
    adminB = h.browser();
    await adminB.signIn(tb.adminUpn);
    expect((await adminB.consent(tb.adminUpn)).status).toBe(200);
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
  });

  it('stores the password encrypted and answers only passwordSet', async () => {
    expect((await call(admin, 'GET')).body).toEqual({ configured: false, passwordSet: false });
    const first = await call(adminB, 'PUT', {
      serverUrl: 'https://mail.contoso.example/EWS/Exchange.asmx',
      username: 'svc-sync',
    });
    expect(first.status).toBe(400);
    expect((first.body as { problems: Problem[] }).problems.map((p) => p.field)).toEqual([
      'password',
    ]);

    const put = await call(admin, 'PUT', {
      serverUrl: 'https://mail.contoso.example/EWS/Exchange.asmx',
      username: 'CONTOSO\\svc-sync',
      password: PASSWORD,
      impersonationAddress: 'Room.1@contoso.example',
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({
      configured: true,
      serverUrl: 'https://mail.contoso.example/EWS/Exchange.asmx',
      username: 'CONTOSO\\svc-sync',
      impersonationAddress: 'room.1@contoso.example',
      passwordSet: true,
    });
    expect(Object.keys(put.body as object)).not.toContain('password');
    expect((await call(viewer, 'GET')).body).toMatchObject({ passwordSet: true });
    // Tenant B sees nothing of A's connection.
    expect((await call(adminB, 'GET')).body).toEqual({ configured: false, passwordSet: false });

    const stored = await row();
    expect(stored).toHaveLength(1);
    expect(String(stored[0].password_encrypted)).toMatch(/^v1\./);
    expect(JSON.stringify(stored)).not.toContain(PASSWORD);
    const tenantA = (await h.dataSource.query('SELECT id FROM tenant WHERE azure_tenant_id = ?', [
      h.tenant(0).id,
    ])) as Array<{ id: string }>;
    expect(await h.app.get(EwsService).password(tenantA[0].id)).toBe(PASSWORD);
  });

  it('refuses bad input naming the fields, with no change', async () => {
    const before = await row();
    const counts = await h.counts();
    const cases: Array<[unknown, string[]]> = [
      [{}, ['serverUrl', 'username']],
      [
        { serverUrl: 'http://mail.contoso.example/EWS', username: 'u', password: PASSWORD },
        ['serverUrl'],
      ],
      [{ serverUrl: 'https://u:p@mail.contoso.example/EWS', username: 'u' }, ['serverUrl']],
      [
        { serverUrl: 'https://mail.contoso.example/EWS', username: '', password: PASSWORD },
        ['username'],
      ],
      [{ serverUrl: 'https://mail.contoso.example/EWS', username: 'u', password: 5 }, ['password']],
      [
        { serverUrl: 'https://mail.contoso.example/EWS', username: 'u', password: 'x'.repeat(300) },
        ['password'],
      ],
      [
        {
          serverUrl: 'https://mail.contoso.example/EWS',
          username: 'u',
          impersonationAddress: 'nobody',
        },
        ['impersonationAddress'],
      ],
      [
        {
          serverUrl: 'https://mail.contoso.example/EWS',
          username: 'u',
          password: PASSWORD,
          pass: PASSWORD,
        },
        ['pass'],
      ],
    ];
    for (const [body, fields] of cases) {
      const res = await call<{ problems: Problem[] }>(admin, 'PUT', body);
      expect([JSON.stringify(body).slice(0, 60), res.status]).toEqual([
        JSON.stringify(body).slice(0, 60),
        400,
      ]);
      expect(res.body.problems.map((p) => p.field).sort()).toEqual(fields);
    }
    const malformed = await call(
      admin,
      'PUT',
      `{"serverUrl":"https://x.example","password":"${PASSWORD}",`,
    );
    expect(malformed.status).toBe(400);
    expect(
      (
        await call(viewer, 'PUT', {
          serverUrl: 'https://x.example',
          username: 'u',
          password: PASSWORD,
        })
      ).status,
    ).toBe(403);
    expect((await call(viewer, 'DELETE')).status).toBe(403);
    expect(await row()).toEqual(before);
    expect(await h.counts()).toEqual(counts);
  });

  it('keeps the password when omitted, replaces it when sent, and deletes the connection', async () => {
    const keep = await call(admin, 'PUT', {
      serverUrl: 'https://mail2.contoso.example/EWS/Exchange.asmx',
      username: 'svc-sync2',
    });
    expect(keep.status).toBe(200);
    const tenantA = (await row())[0].tenant_id as string;
    expect(await h.app.get(EwsService).password(tenantA)).toBe(PASSWORD);
    const replaced = await call(admin, 'PUT', {
      serverUrl: 'https://mail2.contoso.example/EWS/Exchange.asmx',
      username: 'svc-sync2',
      password: NEW_PASSWORD,
    });
    // Omitted, the impersonation address and the Global Address List id are kept too.
    expect(replaced.body).toMatchObject({
      passwordSet: true,
      impersonationAddress: 'room.1@contoso.example',
      addressListId: null,
    });
    expect(await h.app.get(EwsService).password(tenantA)).toBe(NEW_PASSWORD);
    const GAL = '8D3F1C2A-4B5E-4F60-9A7B-1C2D3E4F5A6B';
    const withGal = await call(admin, 'PUT', {
      serverUrl: 'https://mail2.contoso.example/EWS/Exchange.asmx',
      username: 'svc-sync2',
      addressListId: GAL,
    });
    expect(withGal.body).toMatchObject({
      impersonationAddress: 'room.1@contoso.example',
      addressListId: GAL.toLowerCase(),
    });
    const kept = await call(admin, 'PUT', {
      serverUrl: 'https://mail2.contoso.example/EWS/Exchange.asmx',
      username: 'svc-sync2',
    });
    expect(kept.body).toMatchObject({
      impersonationAddress: 'room.1@contoso.example',
      addressListId: GAL.toLowerCase(),
    });
    // null clears each (a hybrid tenant's directory is Entra ID: neither is required).
    const nulled = await call(admin, 'PUT', {
      serverUrl: 'https://mail2.contoso.example/EWS/Exchange.asmx',
      username: 'svc-sync2',
      impersonationAddress: null,
      addressListId: null,
    });
    expect(nulled.status).toBe(200);
    expect(nulled.body).toMatchObject({ impersonationAddress: null, addressListId: null });
    expect((await row())[0]).toMatchObject({ impersonation_address: null, address_list_id: null });
    // The CA certificate, like the password, is kept when omitted and removed by null.
    const PEM = '-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----';
    const base = { serverUrl: 'https://mail2.contoso.example/EWS/Exchange.asmx', username: 'u' };
    const withCa = await call(admin, 'PUT', { ...base, caCertificate: PEM });
    expect(withCa.body).toMatchObject({ caCertificateSet: true });
    expect((await call(admin, 'PUT', base)).body).toMatchObject({ caCertificateSet: true });
    expect((await row())[0].ca_certificate).toBe(PEM);
    const cleared = await call(admin, 'PUT', { ...base, caCertificate: null });
    expect(cleared.body).toMatchObject({ caCertificateSet: false });
    expect((await row())[0].ca_certificate).toBeNull();
    expect((await call(adminB, 'DELETE')).status).toBe(404);
    expect(await row()).toHaveLength(1);
    const audit = await admin.request<{ items: Array<{ action: string }> }>('GET', '/api/audit');
    answers.push(audit.text);
    expect(audit.body.items.map((e) => e.action)).toEqual(
      expect.arrayContaining(['ews.create', 'ews.update']),
    );
    expect((await call(admin, 'DELETE')).status).toBe(204);
    expect((await call(admin, 'GET')).body).toEqual({ configured: false, passwordSet: false });
    expect(await row()).toHaveLength(0);
  });

  it('an http:// EWS URL is refused naming serverUrl in PUT and in test connection, unless EWS_ALLOW_HTTP (a lab) allows it', async () => {
    const httpUrl = 'http://mail.contoso.example/EWS/Exchange.asmx';
    const refused = await call<{ problems: Problem[] }>(admin, 'PUT', {
      serverUrl: httpUrl,
      username: 'svc-sync',
      password: PASSWORD,
    });
    expect(refused.status).toBe(400);
    expect(refused.body.problems).toEqual([
      { field: 'serverUrl', message: expect.stringMatching(/https:\/\/.*EWS_ALLOW_HTTP/) },
    ]);
    expect(await row()).toHaveLength(0);

    // A lab answering on plain http: it sees whether anything arrives over http.
    const seen: string[] = [];
    const lab: Server = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      req.resume();
      req.on('end', () => res.writeHead(404, { 'content-type': 'text/html' }).end('Not Found'));
    });
    await new Promise<void>((resolve) => lab.listen(0, '127.0.0.1', resolve));
    const labUrl = `http://127.0.0.1:${(lab.address() as AddressInfo).port}/EWS/Exchange.asmx`;
    try {
      await h.restart({ EWS_ALLOW_HTTP: 'true', LOG_LEVEL: 'silent' });
      await admin.signIn(h.tenant(0).adminUpn);
      const stored = await call(admin, 'PUT', {
        serverUrl: labUrl,
        username: 'svc-sync',
        password: PASSWORD,
      });
      expect(stored.status).toBe(200);
      // allowed: the test goes out over http (the lab answers 404: not the EWS endpoint)
      const allowed = await admin.request<{ ok: boolean; code?: string }>('POST', '/api/ews/test', {
        body: { mailbox: 'someone@contoso.example' },
      });
      answers.push(allowed.text);
      expect(allowed.body).toMatchObject({ ok: false, code: 'ews_endpoint_not_found' });
      expect(seen.length).toBeGreaterThan(0);

      // The same stored http URL once the lab setting is off: refused before anything is sent.
      await h.restart({ EWS_ALLOW_HTTP: 'false', LOG_LEVEL: 'silent' });
      await admin.signIn(h.tenant(0).adminUpn);
      const before = seen.length;
      const test = await admin.request<{ ok: boolean; code?: string; message: string }>(
        'POST',
        '/api/ews/test',
        { body: { mailbox: 'someone@contoso.example' } },
      );
      answers.push(test.text);
      expect(test.status).toBe(200);
      expect(test.body).toMatchObject({
        ok: false,
        code: 'ews_https_required',
        message: expect.stringMatching(/^serverUrl: .*https:\/\//),
      });
      expect(seen.length).toBe(before);
      expect((await call(admin, 'DELETE')).status).toBe(204);
    } finally {
      await new Promise((resolve) => lab.close(resolve));
    }
  }, 60_000);

  it('test connection against a server that accepts and never answers: transient and a sentence within about EWS_TIMEOUT_MS, not a hang', async () => {
    // a hung Exchange: the TCP connection is accepted, the TLS handshake never answered
    const open = new Set<Socket>();
    const hung = createTcpServer((s) => {
      open.add(s);
      s.on('close', () => open.delete(s));
      s.resume();
    });
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
    const hungUrl = `https://127.0.0.1:${(hung.address() as AddressInfo).port}/EWS/Exchange.asmx`;
    try {
      // A server that never answers: each request ends at the timeout, so it is kept short.
      await h.restart({ EWS_TIMEOUT_MS: '150', LOG_LEVEL: 'silent' });
      await admin.signIn(h.tenant(0).adminUpn);
      for (const authMode of ['ntlm', 'basic']) {
        const stored = await call(admin, 'PUT', {
          serverUrl: hungUrl,
          username: 'CONTOSO\\svc-sync',
          password: PASSWORD,
          authMode,
        });
        expect(stored.status).toBe(200);
        const started = Date.now();
        const test = await admin.request<{ ok: boolean; code?: string; message: string }>(
          'POST',
          '/api/ews/test',
          { body: { mailbox: 'someone@contoso.example' } },
        );
        answers.push(test.text);
        expect([authMode, test.status, test.body]).toEqual([
          authMode,
          200,
          {
            ok: false,
            code: 'transient',
            message: expect.stringMatching(
              /^the EWS server did not answer in time \(ETIMEDOUT: no answer within 150 ms\): .*firewall/,
            ),
            handshakes: 0,
          },
        ]);
        // about the timeout (the request would hang for good without one)
        expect(Date.now() - started).toBeLessThan(10_000);
      }
      expect((await call(admin, 'DELETE')).status).toBe(204);
    } finally {
      for (const s of open) s.destroy();
      await new Promise((resolve) => hung.close(resolve));
    }
  }, 60_000);

  it('the password appears in no response and in no captured log line', () => {
    // The capture works: the API logged the EWS requests.
    expect(lines.some((l) => l.includes('/api/ews'))).toBe(true);
    expect(lines.some((l) => l.includes('Mapped {/api/ews, PUT} route'))).toBe(true);
    expect(lines.length).toBeGreaterThan(10);
    for (const secret of [PASSWORD, NEW_PASSWORD]) {
      expect(lines.filter((l) => l.includes(secret))).toEqual([]);
      expect(answers.filter((a) => a.includes(secret))).toEqual([]);
    }
  });
});
