import { createEwsService } from '@app/microsoft';
import { Fleet, tag, type SimUser } from './support/fleet';
import { startService, type ServiceProcess } from './support/service-process';

const PASSWORD = 'Ews-Ops-Passw0rd-never-logged';
const PLAIN_PASSWORD = 'Plain-Ops-Passw0rd-never-logged';
const WRONG_PASSWORD = 'Wrong-Ops-Passw0rd-never-logged';
/** EWS_MAX_CONCURRENCY of the worker: below the mailboxes in progress, so the gate has to hold. */
const MAX_CONCURRENCY = 3;

interface EwsStats {
  connections: number;
  unauthorized: number;
  handshakeRequests: number;
  operations: number;
  serverBusy: number;
  earlyOperations: number;
  accounts: Record<string, { maxConcurrent: number }>;
}

/** Waits until no connection that carried EWS requests is open at the simulator. */
async function closedWithin(fleet: Fleet, timeoutMs: number): Promise<void> {
  const live = fleet.sim.state.ewsStats;
  const deadline = Date.now() + timeoutMs;
  while (live.openConnections > 0) {
    if (Date.now() > deadline)
      throw new Error(`${live.openConnections} EWS connections still open after the run`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Issue #21, acceptance 3 (run side), 4 and 5, and the concurrency per service account: the whole
 * product (worker processes, SQL, Redis) against the simulator's EWS endpoint, NTLM only, every
 * targeted mailbox on-premises. The worker processes log at debug; their output is scanned for
 * the EWS passwords at the end. Every EWS response of the simulator is schema-checked after the
 * file (test/support/ews-schema-guard.ts).
 */
describe('EWS operations: failures, throttling storms, crash, concurrency', () => {
  let fleet: Fleet;
  let onPrem: SimUser[];
  const workers: ServiceProcess[] = [];
  let worker: ServiceProcess;

  const startWorker = async (env: Record<string, string> = {}) => {
    const w = startService('apps/worker/src/main.ts', {
      ...fleet.env,
      LOG_LEVEL: 'debug',
      EWS_MAX_CONCURRENCY: String(MAX_CONCURRENCY),
      ...env,
    });
    workers.push(w);
    await w.listening(60_000);
    return w;
  };
  const setConnection = async (
    change: Partial<{
      serverUrl: string;
      username: string;
      password: string;
      caPem: string | null;
    }> = {},
  ) =>
    fleet.setEwsConnection({
      serverUrl: change.serverUrl,
      username: change.username ?? 'CONTOSO\\svc-sync',
      password: change.password ?? PASSWORD,
      caCertificate: change.caPem,
      impersonationAddress: null,
      addressListId: null,
    });
  const ews = async () => (await fleet.stats()) as unknown as { ews: EwsStats };
  const states = (listId: string) => fleet.mailboxStates(listId);
  /** Every on-premises mailbox holds the list's items exactly once; answers the count per mailbox. */
  const expectExactlyOnce = async (listId: string): Promise<number> => {
    let perMailbox: number | undefined;
    for (const u of onPrem) {
      const keys = (await fleet.contacts(u.id))
        .filter((c) => tag(c, 'CsListId') === listId)
        .map((c) => tag(c, 'CsSourceKey'));
      expect([u.id, new Set(keys).size]).toEqual([u.id, keys.length]);
      perMailbox ??= keys.length;
      expect([u.id, keys.length]).toEqual([u.id, perMailbox]);
    }
    return perMailbox ?? 0;
  };
  const newList = (name: string, dedicated = false) =>
    fleet.createList(
      name,
      {
        sources: [{ id: 'dir', kind: 'directory' }],
        ...(dedicated ? { folder: { mode: 'dedicated' as const, name } } : {}),
      },
      onPrem.map((u) => ({ kind: 'user' as const, mode: 'include' as const, value: u.id })),
    );

  beforeAll(async () => {
    fleet = await Fleet.start({
      worker: false,
      sim: {
        usersPerTenant: 30,
        seed: 21,
        ewsAccounts: [
          { userName: 'svc-sync', password: PASSWORD, impersonation: true },
          { userName: 'svc-plain', password: PLAIN_PASSWORD, impersonation: false },
        ],
        // EWS operations take long enough that mailboxes overlap (concurrency is measurable)
        serviceTimeMs: { '*': 3, 'ews.CreateItem': 40, 'ews.FindItem': 15, 'ews.FindFolder': 10 },
        // Exchange's own EWSMaxConcurrency stays out of the way: the product's limit is measured
        ewsMaxConcurrency: 27,
        // idle connections stay open as long as IIS keeps them (120 s): one a job left open is seen
        keepAliveTimeoutMs: 120_000,
      },
    });
    const users = await fleet.users();
    const candidates = users.filter(
      (u) => (u.purpose ?? 'user') === 'user' && u.licensed !== false && u.mailbox !== 'none',
    );
    // ten mailboxes on-premises (an on-premises organisation in a hybrid tenant)
    for (const u of candidates.filter((c) => c.mailbox === 'cloud').slice(0, 10))
      await fleet.simFetch(`/_sim/tenants/${fleet.simTenantId}/users/${u.id}`, {
        method: 'PATCH',
        body: { mailbox: 'onprem' },
      });
    onPrem = (await fleet.users()).filter(
      (u) => u.mailbox === 'onprem' && (u.purpose ?? 'user') === 'user' && u.licensed !== false,
    );
    expect(onPrem.length).toBeGreaterThan(10);
    await setConnection();
    worker = await startWorker();
  }, 120_000);
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop('SIGKILL')));
    await fleet?.stop();
  });

  let listId: string;

  it(`concurrency: never more than EWS_MAX_CONCURRENCY (${MAX_CONCURRENCY}) SOAP requests in flight for the service account`, async () => {
    listId = await newList('EWS operations');
    await fleet.resetStats();
    const run = await fleet.runNow(listId);
    expect(run).toMatchObject({ status: 'succeeded', mailboxesFailed: 0 });
    // the planner's mailboxes (it skips a user it may not write to, e.g. a disabled account)
    const planned = await states(listId);
    onPrem = onPrem.filter((u) => planned.has(u.id));
    expect(onPrem.length).toBeGreaterThanOrEqual(10);
    expect(run.mailboxesTotal).toBe(onPrem.length);
    expect(await expectExactlyOnce(listId)).toBeGreaterThan(15);
    const { ews: stats } = await ews();
    const peak = stats.accounts['svc-sync'].maxConcurrent;
    // the mailboxes did overlap (16 jobs at once, 20 tenant slots), and the gate held them to 3
    expect(peak).toBeLessThanOrEqual(MAX_CONCURRENCY);
    expect(peak).toBeGreaterThanOrEqual(2);
    expect(stats.serverBusy).toBe(0);
    // Every job closed its session: no EWS connection stays open (each job had its own).
    expect(stats.connections).toBeGreaterThanOrEqual(onPrem.length);
    await closedWithin(fleet, 15_000);

    // Control: the same run with a limit above the mailboxes in progress goes past 3, so the
    // measurement would see the gate fail.
    await worker.stop('SIGTERM');
    worker = await startWorker({ EWS_MAX_CONCURRENCY: '16' });
    const control = await newList('EWS operations, loose limit');
    await fleet.resetStats();
    expect(await fleet.runNow(control)).toMatchObject({ status: 'succeeded', mailboxesFailed: 0 });
    expect((await ews()).ews.accounts['svc-sync'].maxConcurrent).toBeGreaterThan(MAX_CONCURRENCY);
    await worker.stop('SIGTERM');
    worker = await startWorker();
  }, 180_000);

  describe('acceptance 3, run side: each connection failure is its own code and sentence per mailbox', () => {
    /** Every mailbox's state and its outcome in the run (what GET /api/runs/:id/mailboxes serves). */
    const expectAll = async (runId: string, code: string, sentence: RegExp) => {
      const outcomes = (await fleet.dataSource.query(
        `SELECT mailbox_id, outcome, code, message FROM run_mailbox WHERE run_id = '${runId}'`,
      )) as Array<{ mailbox_id: string; outcome: string; code: string; message: string }>;
      expect(outcomes).toHaveLength(onPrem.length);
      for (const o of outcomes)
        expect(o).toMatchObject({
          outcome: 'failed',
          code,
          message: expect.stringMatching(sentence),
        });
      const byMailbox = await states(listId);
      for (const u of onPrem)
        expect([u.id, byMailbox.get(u.id)]).toEqual([
          u.id,
          expect.objectContaining({
            status: 'failed',
            last_error_code: code,
            last_error_message: expect.stringMatching(sentence),
          }),
        ]);
    };

    it('a wrong password: EWS_SIGN_IN_FAILED, one sign-in attempt for the whole run and none in the next (no lock-out)', async () => {
      await setConnection({ password: WRONG_PASSWORD });
      await fleet.resetStats();
      const run = await fleet.runNow(listId);
      expect(run.mailboxesFailed).toBe(onPrem.length);
      await expectAll(run.id, 'EWS_SIGN_IN_FAILED', /password/);
      // One refused sign-in for ten mailboxes; the others were not sent (and not retried).
      expect((await ews()).ews.unauthorized).toBe(1);
      await fleet.resetStats();
      const again = await fleet.runNow(listId);
      expect(again.mailboxesFailed).toBe(onPrem.length);
      expect((await ews()).ews).toMatchObject({ unauthorized: 0, operations: 0 });
      await expectAll(again.id, 'EWS_SIGN_IN_FAILED', /password/);
    }, 120_000);

    it('a missing impersonation right: EWS_IMPERSONATION_DENIED', async () => {
      await setConnection({ username: 'CONTOSO\\svc-plain', password: PLAIN_PASSWORD });
      const run = await fleet.runNow(listId);
      expect(run.mailboxesFailed).toBe(onPrem.length);
      await expectAll(run.id, 'EWS_IMPERSONATION_DENIED', /ApplicationImpersonation/);
    }, 120_000);

    it('an untrusted certificate: EWS_CERTIFICATE_UNTRUSTED', async () => {
      await setConnection({ caPem: null });
      const run = await fleet.runNow(listId);
      expect(run.mailboxesFailed).toBe(onPrem.length);
      await expectAll(run.id, 'EWS_CERTIFICATE_UNTRUSTED', /certificate.*CA/);
    }, 120_000);

    it('a wrong EWS URL (404): EWS_ENDPOINT_NOT_FOUND', async () => {
      await setConnection({ serverUrl: `${fleet.sim.baseUrl}/EWS/Nothing.asmx` });
      const run = await fleet.runNow(listId);
      expect(run.mailboxesFailed).toBe(onPrem.length);
      await expectAll(run.id, 'EWS_ENDPOINT_NOT_FOUND', /EWS\/Exchange\.asmx/);
    }, 120_000);

    it('an unknown mailbox: MAILBOX_NOT_FOUND for it alone, the others back in sync', async () => {
      await setConnection();
      const gone = onPrem[0];
      await fleet.simFetch(`/_sim/tenants/${fleet.simTenantId}/users/${gone.id}`, {
        method: 'PATCH',
        body: { mailbox: 'none' },
      });
      try {
        const run = await fleet.runNow(listId);
        expect(run.mailboxesFailed).toBe(1);
        const byMailbox = await states(listId);
        expect(byMailbox.get(gone.id)).toMatchObject({
          status: 'failed',
          last_error_code: 'MAILBOX_NOT_FOUND',
          last_error_message: expect.stringMatching(/no mailbox for .*ErrorNonExistentMailbox/),
        });
        for (const u of onPrem.slice(1))
          expect([u.id, byMailbox.get(u.id)?.status]).toEqual([u.id, 'in_sync']);
        const [outcome] = (await fleet.dataSource.query(
          `SELECT outcome, code FROM run_mailbox WHERE run_id = '${run.id}' AND mailbox_id = '${gone.id}'`,
        )) as Array<{ outcome: string; code: string }>;
        expect(outcome).toEqual({ outcome: 'failed', code: 'MAILBOX_NOT_FOUND' });
      } finally {
        await fleet.simFetch(`/_sim/tenants/${fleet.simTenantId}/users/${gone.id}`, {
          method: 'PATCH',
          body: { mailbox: 'onprem' },
        });
      }
      const back = await fleet.runNow(listId);
      expect(back).toMatchObject({ status: 'succeeded', mailboxesFailed: 0 });
    }, 120_000);
  });

  it('acceptance 4: an ErrorServerBusy storm is survived, no SOAP operation before BackOffMilliseconds, no duplicates', async () => {
    const stormList = await newList('Busy storm', true);
    await fleet.resetStats();
    await fleet.simFetch('/_sim/faults', {
      method: 'PUT',
      body: { ewsServerBusy: { count: 25, backOffMs: 300 } },
    });
    try {
      const run = await fleet.runNow(stormList);
      expect(run).toMatchObject({ status: 'succeeded', mailboxesFailed: 0 });
      const { ews: stats } = await ews();
      expect(stats.serverBusy).toBe(25);
      expect(stats.earlyOperations).toBe(0);
      expect(await expectExactlyOnce(stormList)).toBeGreaterThan(15);
    } finally {
      await fleet.simFetch('/_sim/faults', { method: 'DELETE' });
    }
  }, 120_000);

  it('acceptance 4: a worker killed with SIGKILL mid-run on EWS leaves no duplicates after restart', async () => {
    await worker.stop('SIGTERM');
    const killed = await startWorker({ SYNC_WORKER_CONCURRENCY: '3' });
    const crashList = await newList('Killed mid-run', true);
    // writes slow enough that the kill lands while CreateItems are in flight
    await fleet.simFetch('/_sim/config', {
      method: 'PUT',
      body: { serviceTimeMs: { 'ews.CreateItem': 250 } },
    });
    const since = new Date(Date.now() - 1);
    await fleet.queues.triggerRun({
      tenantId: fleet.tenantId,
      listId: crashList,
      trigger: 'manual',
      mode: 'sync',
    });
    await fleet.waitForProgress(crashList, 0.3);
    await killed.stop('SIGKILL');
    // killed mid-run: mailboxes were left to do
    const [left] = (await fleet.dataSource.query(
      `SELECT mailboxes_total AS total, mailboxes_succeeded AS done, finished_at FROM sync_run WHERE list_id = '${crashList}'`,
    )) as Array<{ total: number; done: number; finished_at: unknown }>;
    expect(left.finished_at).toBeNull();
    expect(Number(left.done)).toBeLessThan(Number(left.total));
    await fleet.simFetch('/_sim/config', {
      method: 'PUT',
      body: { serviceTimeMs: { 'ews.CreateItem': 40 } },
    });
    worker = await startWorker();
    const run = await fleet.waitForRun(crashList, since, 150_000);
    expect(run.status).toBe('succeeded');
    expect(await expectExactlyOnce(crashList)).toBeGreaterThan(15);
    await fleet.resetStats();
    const again = await fleet.runNow(crashList);
    expect(again).toMatchObject({
      status: 'succeeded',
      itemsCreated: 0,
      itemsUpdated: 0,
      itemsDeleted: 0,
    });
  }, 240_000);

  it('acceptance 5: a request out of schema order, and a malformed envelope, get the SOAP fault Exchange gives (HTTP 500, ErrorSchemaValidation)', async () => {
    const handle = createEwsService(
      {
        serverUrl: fleet.sim.info.ewsUrl,
        username: 'CONTOSO\\svc-sync',
        password: PASSWORD,
        authMode: 'ntlm',
        caPem: fleet.sim.caPem,
      },
      (onPrem[0] as SimUser & { mail?: string }).mail,
    );
    const send = (data: string) =>
      handle.service.XHRApi.xhr({
        type: 'POST',
        url: fleet.sim.info.ewsUrl,
        data,
        headers: { 'Content-Type': 'text/xml; charset=utf-8' },
      }).then(
        (r) => ({ status: r.status, body: r.responseText }),
        (r: { status: number; responseText: string }) => ({
          status: r.status,
          body: r.responseText,
        }),
      );
    try {
      // FindItem's ParentFolderIds before ItemShape: the schema's sequence is the other way round
      const outOfOrder = await send(
        '<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types" xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages"><soap:Header><t:RequestServerVersion Version="Exchange2013_SP1"/></soap:Header><soap:Body><m:FindItem Traversal="Shallow"><m:ParentFolderIds><t:DistinguishedFolderId Id="contacts"/></m:ParentFolderIds><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape></m:ItemShape></m:FindItem></soap:Body></soap:Envelope>',
      );
      expect(outOfOrder.status).toBe(500);
      expect(outOfOrder.body).toMatch(/<faultcode[^>]*>[^<]*ErrorSchemaValidation</);
      expect(outOfOrder.body).toMatch(/ResponseCode[^>]*>ErrorSchemaValidation</);
      const malformed = await send(
        '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><m:FindItem',
      );
      expect(malformed.status).toBe(500);
      expect(malformed.body).toMatch(/ResponseCode[^>]*>ErrorSchemaValidation</);
    } finally {
      handle.close();
    }
    // every response so far is recorded for the file's schema check, without opting in
    expect(fleet.sim.state.opts.ewsRecordResponses).toBe(true);
    expect(fleet.sim.state.ewsStats.recorded.length).toBeGreaterThan(100);
  });

  it('the EWS passwords (right, wrong, of the account without impersonation) are in no log line of any worker', () => {
    const lines = workers.flatMap((w) => w.output().split('\n')).filter(Boolean);
    // the capture saw the runs (job lines at debug)
    expect(lines.length).toBeGreaterThan(50);
    expect(lines.some((l) => l.includes('EWS_SIGN_IN_FAILED'))).toBe(true);
    for (const secret of [PASSWORD, WRONG_PASSWORD, PLAIN_PASSWORD])
      expect(lines.filter((l) => l.includes(secret))).toEqual([]);
  });
});
