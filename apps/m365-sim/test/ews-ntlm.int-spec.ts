/**
 * The EWS endpoint's authentication: NTLM bound to the TCP connection, Basic per account (off by
 * default), handshake requests counted apart from SOAP operations; ews-javascript-api signing in
 * with NTLM through @ewsjs/xhr on this Node (whose OpenSSL has no MD4).
 */
import { execFile } from 'node:child_process';
import * as https from 'node:https';
import * as path from 'node:path';
import type { Agent } from 'undici';
import { createType1Message, createType3Message, decodeType2Message } from '@ewsjs/ntlm-client';
import type { RunningSimulator } from '../src';
import { childEnv } from '../src/sim-options';
import { simDispatcher, simFetch, startTestSim, type Json } from './helpers';
import { checkEwsResponses } from './ews-schema';

const ROOT = path.resolve(__dirname, '../../..');
const PASSWORD = 'Sim-Ews-Passw0rd';

interface Reply {
  status: number;
  headers: Record<string, string[] | undefined>;
  body: string;
  localPort: number | undefined;
}

/** One request over `agent` (keep-alive, one socket: the requests share a TCP connection). */
function post(
  sim: RunningSimulator,
  agent: https.Agent,
  body: string,
  authorization?: string,
  method = 'POST',
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      sim.ewsUrl,
      {
        method,
        agent,
        headers: {
          'content-type': 'text/xml; charset=utf-8',
          ...(authorization ? { authorization } : {}),
        },
      },
      (res) => {
        let text = '';
        const localPort = res.socket?.localPort;
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            // one entry per header line (WWW-Authenticate comes once per provider)
            headers: res.headersDistinct,
            body: text,
            localPort,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(method === 'GET' ? undefined : body);
  });
}

describe('m365-sim EWS authentication (NTLM, Basic)', () => {
  let sim: RunningSimulator;
  let d: Agent;
  let upn: string;
  const agents: https.Agent[] = [];
  const newConnection = () => {
    const a = new https.Agent({ keepAlive: true, maxSockets: 1, ca: sim.caPem });
    agents.push(a);
    return a;
  };
  const findItem = () =>
    `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types" xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages"><soap:Header><t:RequestServerVersion Version="Exchange2013_SP1"/><t:ExchangeImpersonation><t:ConnectingSID><t:SmtpAddress>${upn}</t:SmtpAddress></t:ConnectingSID></t:ExchangeImpersonation></soap:Header><soap:Body><m:FindItem Traversal="Shallow"><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape></m:ItemShape><m:IndexedPageItemView MaxEntriesReturned="5" Offset="0" BasePoint="Beginning"/><m:ParentFolderIds><t:DistinguishedFolderId Id="contacts"/></m:ParentFolderIds></m:FindItem></soap:Body></soap:Envelope>`;
  const stats = async (): Promise<Json> => (await simFetch(sim, d, '/_sim/stats')).json.ews;
  const resetStats = () => simFetch(sim, d, '/_sim/stats', { method: 'DELETE' });

  beforeAll(async () => {
    sim = await startTestSim({ serviceTimeMs: { '*': 0 }, ewsRecordResponses: true });
    d = simDispatcher(sim);
    const users: Json[] = (await simFetch(sim, d, `/_sim/tenants/${sim.info.tenants[0].id}/users`))
      .json;
    upn = users.find((u) => u.mailbox === 'onprem').userPrincipalName;
  });
  afterAll(async () => {
    for (const a of agents) a.destroy();
    await d.close();
    await sim.close();
  });

  it('NTLM authenticates the connection: handshake once, later requests on it need no header; a new connection must handshake again', async () => {
    await resetStats();
    const conn = newConnection();
    const first = await post(sim, conn, '', createType1Message('WS01', 'SIM'), 'GET');
    expect(first.status).toBe(401);
    const challengeHeader = String(first.headers['www-authenticate']?.[0]);
    expect(challengeHeader).toMatch(/^NTLM \S+$/);
    const t2 = decodeType2Message(challengeHeader);
    const type3 = createType3Message(t2, 'svc-sync', PASSWORD, 'WS01', 'SIM');
    const signedIn = await post(sim, conn, findItem(), type3);
    expect(signedIn.status).toBe(200);
    expect(signedIn.localPort).toBe(first.localPort); // same TCP connection
    expect(signedIn.body).toContain('<m:ResponseCode>NoError</m:ResponseCode>');
    // the same connection: no Authorization header needed any more
    const again = await post(sim, conn, findItem());
    expect(again.status).toBe(200);
    expect(again.localPort).toBe(first.localPort);
    // another connection is anonymous, and the AUTHENTICATE cannot be replayed on it
    const other = newConnection();
    const anon = await post(sim, other, findItem());
    expect(anon.status).toBe(401);
    expect(anon.localPort).not.toBe(first.localPort);
    expect(anon.headers['www-authenticate']).toEqual(['Negotiate', 'NTLM']);
    const replay = await post(sim, other, findItem(), type3);
    expect(replay.status).toBe(401);
    const s = await stats();
    expect(s).toMatchObject({
      requests: 5,
      connections: 2,
      handshakeRequests: 1,
      ntlmSignIns: 1,
      connectionAuthenticated: 1,
      unauthorized: 2,
      operations: 2,
    });
  });

  it('the Negotiate provider accepts NTLM tokens too; a wrong password is refused with a fresh 401', async () => {
    const conn = newConnection();
    const t1 = createType1Message('WS01', '').replace(/^NTLM /, 'Negotiate ');
    const first = await post(sim, conn, '', t1, 'GET');
    expect(String(first.headers['www-authenticate']?.[0])).toMatch(/^Negotiate \S+$/);
    const t2 = decodeType2Message(
      String(first.headers['www-authenticate']).replace(/^Negotiate /, 'NTLM '),
    );
    const ok = await post(
      sim,
      conn,
      findItem(),
      createType3Message(t2, 'svc-sync', PASSWORD, 'WS01').replace(/^NTLM /, 'Negotiate '),
    );
    expect(ok.status).toBe(200);
    const conn2 = newConnection();
    const c2 = await post(sim, conn2, '', createType1Message('WS01', ''), 'GET');
    const wrong = await post(
      sim,
      conn2,
      findItem(),
      createType3Message(
        decodeType2Message(String(c2.headers['www-authenticate'])),
        'svc-sync',
        'nope',
        'WS01',
      ),
    );
    expect(wrong.status).toBe(401);
    expect(wrong.headers['www-authenticate']).toEqual(['Negotiate', 'NTLM']);
    // and the refused connection is not signed in
    expect((await post(sim, conn2, findItem())).status).toBe(401);
  });

  it('Basic is off by default and switchable per account', async () => {
    const basic = 'Basic ' + Buffer.from(`svc-sync:${PASSWORD}`).toString('base64');
    const off = await post(sim, newConnection(), findItem(), basic);
    expect(off.status).toBe(401);
    expect(off.headers['www-authenticate']).toEqual(['Negotiate', 'NTLM']);
    const sw = await simFetch(sim, d, '/_sim/ews/accounts/svc-sync', {
      method: 'PATCH',
      body: { basicAuth: true },
    });
    expect(sw.json.basicAuth).toBe(true);
    try {
      const on = await post(sim, newConnection(), findItem(), basic);
      expect(on.status).toBe(200);
      const wrong = await post(
        sim,
        newConnection(),
        findItem(),
        'Basic ' + Buffer.from('svc-sync:nope').toString('base64'),
      );
      expect(wrong.status).toBe(401);
      expect(wrong.headers['www-authenticate']).toContain('Basic realm="exch01.sim.local"');
    } finally {
      await simFetch(sim, d, '/_sim/ews/accounts/svc-sync', {
        method: 'PATCH',
        body: { basicAuth: false },
      });
    }
    expect((await post(sim, newConnection(), findItem(), basic)).status).toBe(401);
  });

  /** Runs the ews-javascript-api child (fixtures/ews-ntlm-client.ts) with the simulator's CA. */
  function runClient(operations: number, wrongPassword: string): Promise<Json> {
    return new Promise((resolve, reject) => {
      execFile(
        process.execPath,
        [
          'scripts/run-ts.js',
          'apps/m365-sim/test/fixtures/ews-ntlm-client.ts',
          sim.ewsUrl,
          'SIM\\svc-sync',
          PASSWORD,
          upn,
          String(operations),
          wrongPassword,
        ],
        { cwd: ROOT, env: childEnv({ NODE_EXTRA_CA_CERTS: sim.caPath }), timeout: 60000 },
        (err, stdout, stderr) => {
          const line = stdout.trim().split('\n').pop() ?? '';
          try {
            resolve(JSON.parse(line));
          } catch {
            reject(new Error(`no JSON from the client: ${String(err)} ${stdout} ${stderr}`));
          }
        },
      );
    });
  }

  it('ews-javascript-api signs in with NTLM through @ewsjs/xhr on Node 20; its provider handshakes on every operation, over a new connection; a wrong password gets 401', async () => {
    await resetStats();
    const r = await runClient(3, 'wrong-password');
    expect(r).toMatchObject({ ok: true, results: [0, 0, 0], wrong: { ok: false, status: 401 } });
    const s = await stats();
    // 3 SOAP operations, each preceded by its own NEGOTIATE (a GET answered 401) on a fresh
    // connection (@ewsjs/xhr makes a new keep-alive agent per call and closes it after); then
    // the wrong password: one NEGOTIATE, one AUTHENTICATE refused
    expect(s).toMatchObject({
      operations: 3,
      handshakeRequests: 4,
      ntlmSignIns: 3,
      requests: 8,
      connections: 4,
      unauthorized: 1,
    });
    expect(s.mailboxes[upn.toLowerCase()].operations).toBe(3);
  });

  it('every EWS response sent above validates against the published EWS schema (xmllint)', async () => {
    const recorded = sim.state.ewsStats.recorded;
    // 401 answers are IIS's HTML pages, as on Exchange; the SOAP answers are checked
    expect(
      recorded.filter((r) => r.status === 401 && r.contentType === 'text/html').length,
    ).toBeGreaterThan(0);
    const report = await checkEwsResponses(recorded);
    expect(report.failures).toEqual([]);
    expect(report.validated).toBeGreaterThanOrEqual(8);
  });
});
