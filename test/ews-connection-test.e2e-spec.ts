import { testEwsConnection, type EwsConnection } from '@app/microsoft';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from 'undici';
import { startSimulator, type RunningSimulator } from '../apps/m365-sim/src';

// Test connection against the simulator's EWS endpoint over HTTPS: each failure a connection
// can have answers its own code and a sentence saying what to fix.
describe('EWS test connection', () => {
  let sim: RunningSimulator;
  let good: EwsConnection;
  let mailbox: string;

  beforeAll(async () => {
    sim = await startSimulator({
      port: 0,
      tenants: 1,
      usersPerTenant: 12,
      seed: 5,
      quiet: true,
      dataDir: join(mkdtempSync(join(tmpdir(), 'ews-test-')), 'sim'),
      ewsAccounts: [
        { userName: 'svc-sync', password: 'Sim-Ews-Passw0rd', impersonation: true },
        { userName: 'svc-plain', password: 'Plain-Passw0rd', impersonation: false },
      ],
    });
    const dispatcher = new Agent({ connect: { ca: sim.caPem } });
    const res = await fetch(`${sim.baseUrl}/_sim/tenants/${sim.info.tenants[0].id}/users`, {
      dispatcher,
    } as RequestInit);
    const users = (await res.json()) as Array<{ mailbox: string; mail?: string }>;
    await dispatcher.close();
    mailbox = users.find((u) => u.mailbox === 'onprem' && u.mail)!.mail!;
    good = {
      serverUrl: sim.info.ewsUrl,
      username: 'CONTOSO\\svc-sync',
      password: 'Sim-Ews-Passw0rd',
      authMode: 'ntlm',
      caPem: sim.caPem,
    };
  });
  afterAll(async () => {
    await sim?.close();
  });

  it('a working connection opens the mailbox through impersonation', async () => {
    expect(await testEwsConnection(good, mailbox)).toMatchObject({ ok: true });
  });

  it.each([
    ['a wrong password', () => ({ ...good, password: 'wrong' }), 'ews_sign_in_failed', /password/],
    [
      'a missing impersonation right',
      () => ({ ...good, username: 'svc-plain', password: 'Plain-Passw0rd' }),
      'ews_impersonation_denied',
      /ApplicationImpersonation/,
    ],
    [
      'an untrusted certificate',
      () => ({ ...good, caPem: null }),
      'ews_certificate_untrusted',
      /CA/,
    ],
    [
      'a wrong EWS URL (404)',
      () => ({ ...good, serverUrl: `${sim.baseUrl}/EWS/Nothing.asmx` }),
      'ews_endpoint_not_found',
      /EWS\/Exchange\.asmx/,
    ],
    [
      'a host name that does not resolve',
      () => ({ ...good, serverUrl: 'https://ews.host.invalid/EWS/Exchange.asmx' }),
      'ews_host_unreachable',
      /DNS|resolve/,
    ],
  ])('%s answers its own code and a sentence', async (_what, connection, code, sentence) => {
    const result = await testEwsConnection(connection(), mailbox);
    expect(result).toMatchObject({ ok: false, code, message: expect.stringMatching(sentence) });
    expect(result.message).not.toContain('Passw0rd');
  });

  it('an unknown mailbox answers mailbox_not_found', async () => {
    const result = await testEwsConnection(good, 'nobody@nowhere.example');
    expect(result).toMatchObject({ ok: false, code: 'mailbox_not_found' });
  });
});
