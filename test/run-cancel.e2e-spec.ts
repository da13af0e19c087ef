import { LOG_STORE, type LogStore } from '@app/logstore';
import { SyncQueues } from '@app/queue';
import { AdminHarness, type Browser } from './support/admin-harness';
import {
  DIRECTORY_SETTINGS,
  ourItems,
  simContacts,
  simControl,
  waitRun,
  type SimContact,
} from './support/admin-sim';
import { waitForQueueIdle } from './support/wait-for-queue-idle';

interface RunBody {
  id: string;
  status: string;
  mailboxes: { total: number; succeeded: number; failed: number };
  items: { created: number; updated: number; deleted: number };
  outcomes: Record<'succeeded' | 'failed' | 'skipped' | 'cancelled' | 'notReported', number>;
  error: { code: string; message: string | null } | null;
}
interface OutcomeBody {
  runId: string;
  mailboxId: string;
  status: string;
  code: string | null;
  items: { created: number; updated: number; deleted: number };
  run?: { status: string; mode: string };
}
interface Paged<T> {
  items: T[];
  nextCursor: string | null;
}
interface LogBody {
  id: string;
  at: string;
  level: string;
  code: string | null;
  message: string;
  runId: string | null;
  mailboxId: string | null;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 60_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Every page of a cursor-paged route, checking each page's size. */
async function allPages<T>(b: Browser, path: string, limit: number): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | null = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const page: { status: number; body: Paged<T> } = await b.request(
      'GET',
      `${path}${sep}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
    );
    expect([path, page.status]).toEqual([path, 200]);
    expect(page.body.items.length).toBeLessThanOrEqual(limit);
    if (page.body.nextCursor) expect(page.body.items).toHaveLength(limit);
    out.push(...page.body.items);
    cursor = page.body.nextCursor;
  } while (cursor);
  return out;
}

const tagOf = (c: SimContact, name: string) =>
  c.singleValueExtendedProperties?.find((p) => p.id.toLowerCase().endsWith(`name ${name}`))?.value;

/**
 * Issue #19, acceptance 6 and the runs API: a run cancelled half way ends as cancelled with
 * every write it made accounted for, a new run converges with no duplicates; per-mailbox
 * outcomes are paged and filtered, a mailbox has a history across runs, the sync logs are
 * readable, and another tenant sees none of it.
 */
describe('cancelling a run, and reading runs, outcomes and logs', () => {
  let h: AdminHarness;
  let admin: Browser;
  let adminB: Browser;
  let viewer: Browser;
  let tid: string;
  let tenantId: string;
  let listId: string;
  let cancelled: RunBody;
  let partialMailbox: string;
  let listSize: number;
  let mailboxIds: string[];

  beforeAll(async () => {
    h = await AdminHarness.start({
      worker: true,
      // Each create takes 100 ms, four at a time per mailbox: a $batch of 20 takes 0.5 s, a
      // mailbox of ~50 contacts three batches, so a run is reliably caught half way.
      sim: { usersPerTenant: 50, seed: 19, serviceTimeMs: { 'contacts.create': 100 } },
      env: { SYNC_WORKER_CONCURRENCY: '2', SYNC_TENANT_MAILBOX_LIMIT: '2' },
    });
    admin = h.browser();
    const t = h.tenant(0);
    tid = t.id;
    await admin.signIn(t.adminUpn);
    expect((await admin.consent(t.adminUpn)).status).toBe(200);
    viewer = h.browser();
    await viewer.signIn(t.viewerUpn);
    adminB = h.browser();
    await adminB.signIn(h.tenant(1).adminUpn);
    expect((await adminB.consent(h.tenant(1).adminUpn)).status).toBe(200);
    tenantId = (
      (await h.dataSource.query('SELECT id FROM tenant WHERE azure_tenant_id = ?', [
        tid,
      ])) as Array<{
        id: string;
      }>
    )[0].id;
  }, 120_000);
  afterAll(async () => {
    await h?.stop();
  });

  it('6. a run cancelled half way ends as cancelled, with every write it made recorded, and stops writing', async () => {
    const list = await admin.request<{ id: string }>('POST', '/api/lists', {
      body: { name: 'Company', settings: DIRECTORY_SETTINGS },
    });
    listId = list.body.id;
    await admin.request('POST', `/api/lists/${listId}/targets`, { body: { kind: 'all' } });
    const sync = await admin.request<{ runId: string; status: string }>(
      'POST',
      `/api/lists/${listId}/sync`,
    );
    expect(sync.body.status).toBe('started');
    const runId = sync.body.runId;

    // Half way: some mailboxes are done, and one is between its first and its last batch.
    const midRun = await until('two mailboxes done', async () => {
      const r = await admin.request<RunBody>('GET', `/api/runs/${runId}`);
      return r.body.outcomes.succeeded >= 2 ? r.body : undefined;
    });
    expect(midRun.status).toBe('running');
    const logStore = h.app.get<LogStore>(LOG_STORE);
    listSize = (await logStore.getSnapshot(tenantId, listId))!.items.length;
    expect(listSize).toBeGreaterThan(40);
    mailboxIds = (
      (await h.dataSource.query('SELECT mailbox_id FROM mailbox_state WHERE list_id = ?', [
        listId,
      ])) as Array<{ mailbox_id: string }>
    ).map((r) => r.mailbox_id);
    partialMailbox = await until('a mailbox half written', async () => {
      for (const id of mailboxIds) {
        const n = ourItems(await simContacts(h, tid, id)).length;
        // At most one batch done: the next batch ends after the cancel, and the job stops there.
        if (n > 0 && n <= Math.min(20, listSize / 2)) return id;
      }
      return undefined;
    });

    type Stats = { ops: Record<string, { count: number }> };
    const createsAtCancel = ((await simControl(h, 'GET', '/stats')) as Stats).ops['contacts.create']
      .count;
    const cancelAt = Date.now();
    const cancel = await admin.request<RunBody>('POST', `/api/runs/${runId}/cancel`);
    expect(cancel.status).toBe(200);
    expect(cancel.body).toMatchObject({ id: runId, status: 'cancelled' });
    expect((await viewer.request('POST', `/api/runs/${runId}/cancel`)).status).toBe(403);
    const again = await admin.request<{ error: string }>('POST', `/api/runs/${runId}/cancel`);
    expect([again.status, again.body.error]).toEqual([409, 'conflict']);

    // The jobs still queued for the run do nothing; the ones writing stop after a batch.
    await waitForQueueIdle(h.app.get(SyncQueues).syncMailbox, 60_000);
    const stoppedMs = Date.now() - cancelAt;
    const createsAfterIdle = (await simControl(h, 'GET', '/stats')) as Stats;
    // Figures for the log: how long the jobs took to stop, and what they wrote meanwhile.
    console.log(
      JSON.stringify({
        cancelToIdleMs: stoppedMs,
        createsAfterCancel: createsAfterIdle.ops['contacts.create'].count - createsAtCancel,
      }),
    );
    // Each writing job sees the cancel after the batch it has in flight (0.5 s here).
    expect(stoppedMs).toBeLessThan(15_000);

    cancelled = (await admin.request<RunBody>('GET', `/api/runs/${runId}`)).body;
    expect(cancelled).toMatchObject({
      status: 'cancelled',
      error: { code: 'RUN_CANCELLED' },
    });
    expect(cancelled.mailboxes.total).toBe(mailboxIds.length);
    expect(cancelled.outcomes.notReported).toBeGreaterThan(mailboxIds.length / 2);
    expect(cancelled.outcomes.cancelled).toBeGreaterThanOrEqual(1);

    // Every item in a mailbox was counted by the run, mailbox by mailbox: nothing half-written
    // is unaccounted for, and the map of a stopped mailbox holds exactly what it wrote.
    const outcomes = await allPages<OutcomeBody>(admin, `/api/runs/${runId}/mailboxes`, 200);
    const created = new Map(outcomes.map((o) => [o.mailboxId, o.items.created]));
    let total = 0;
    for (const id of mailboxIds) {
      const ours = ourItems(await simContacts(h, tid, id));
      expect([id, ours.length]).toEqual([id, created.get(id) ?? 0]);
      total += ours.length;
    }
    expect(cancelled.items.created).toBe(total);
    expect(createsAfterIdle.ops['contacts.create'].count).toBe(total);

    const stopped = outcomes.find((o) => o.mailboxId === partialMailbox)!;
    expect(stopped).toMatchObject({ status: 'cancelled', code: 'RUN_CANCELLED' });
    expect(stopped.items.created).toBeGreaterThan(0);
    expect(stopped.items.created).toBeLessThan(listSize);
    expect((await logStore.getMapInfo(tenantId, listId, partialMailbox))!.entryCount).toBe(
      stopped.items.created,
    );

    // Nothing more is written once the jobs have stopped.
    const stats = (await simControl(h, 'GET', '/stats')) as Stats;
    expect(stats.ops['contacts.create'].count).toBe(total);
  }, 180_000);

  it('6. a new run after the cancel converges: every mailbox holds exactly the list, with no duplicates', async () => {
    await simControl(h, 'PUT', '/config', { serviceTimeMs: { 'contacts.create': 0 } });
    const next = await admin.request<{ runId: string; status: string }>(
      'POST',
      `/api/lists/${listId}/sync`,
    );
    expect(next.body.status).toBe('started'); // the cancelled run no longer holds the list
    const done = await waitRun<RunBody>(admin, next.body.runId, 150_000);
    expect(done.status).toBe('succeeded');
    const snapshot = (await h.app.get<LogStore>(LOG_STORE).getSnapshot(tenantId, listId))!;
    const expected = snapshot.items
      .map((i) => `${i.sourceKey}|${(i.content as { displayName?: string }).displayName}`)
      .sort();
    expect(expected).toHaveLength(listSize);
    const states = (await h.dataSource.query(
      'SELECT mailbox_id, status FROM mailbox_state WHERE list_id = ?',
      [listId],
    )) as Array<{ mailbox_id: string; status: string }>;
    const inSync = states.filter((s) => s.status === 'in_sync').map((s) => s.mailbox_id);
    expect(inSync.length).toBeGreaterThan(mailboxIds.length / 2);
    // Every mailbox is in step again, or skipped for good (no mailbox, on-premises).
    expect(
      states.filter((s) => !['in_sync', 'skipped', 'needs_on_premises'].includes(s.status)),
    ).toEqual([]);
    for (const id of inSync) {
      const held = ourItems(await simContacts(h, tid, id))
        .map((c) => `${tagOf(c, 'cssourcekey')}|${c.displayName}`)
        .sort();
      expect([id, held]).toEqual([id, expected]);
    }
    // Nothing was created twice: the new run created exactly what the cancelled one had not.
    expect(done.items.created).toBe(inSync.length * listSize - cancelled.items.created);
  }, 180_000);

  it('pages and filters a run’s per-mailbox outcomes', async () => {
    const runs = await admin.request<{ items: Array<{ id: string }> }>(
      'GET',
      `/api/runs?listId=${listId}`,
    );
    const [latest] = runs.body.items;
    const all = await allPages<OutcomeBody>(admin, `/api/runs/${latest.id}/mailboxes`, 7);
    expect(all.map((o) => o.mailboxId)).toEqual([...mailboxIds].sort());
    expect(new Set(all.map((o) => o.runId))).toEqual(new Set([latest.id]));
    const synced = await allPages<OutcomeBody>(
      admin,
      `/api/runs/${latest.id}/mailboxes?status=succeeded&errorCode=MAILBOX_SYNCED`,
      50,
    );
    expect(synced.length).toBeGreaterThan(0);
    expect(synced.every((o) => o.status === 'succeeded' && o.code === 'MAILBOX_SYNCED')).toBe(true);
    expect(
      (
        await admin.request<Paged<OutcomeBody>>(
          'GET',
          `/api/runs/${latest.id}/mailboxes?status=failed`,
        )
      ).body.items,
    ).toEqual([]);

    const stopped = await allPages<OutcomeBody>(
      admin,
      `/api/runs/${cancelled.id}/mailboxes?status=cancelled`,
      1,
    );
    expect(stopped).toHaveLength(cancelled.outcomes.cancelled);
    expect(stopped.map((o) => o.mailboxId)).toContain(partialMailbox);
    const byCode = await allPages<OutcomeBody>(
      admin,
      `/api/runs/${cancelled.id}/mailboxes?errorCode=RUN_CANCELLED`,
      50,
    );
    expect(byCode).toEqual(stopped);

    for (const [query, field] of [
      ['status=bogus', 'status'],
      ['limit=0', 'limit'],
      ['cursor=not-a-cursor', 'cursor'],
      ['errorCode=a%20b', 'errorCode'],
      ['unknown=1', 'unknown'],
    ]) {
      const bad = await admin.request<{ error: string; problems: Array<{ field: string }> }>(
        'GET',
        `/api/runs/${latest.id}/mailboxes?${query}`,
      );
      expect([query, bad.status, bad.body.error, bad.body.problems.map((p) => p.field)]).toEqual([
        query,
        400,
        'validation_failed',
        [field],
      ]);
    }
  });

  it('gives a mailbox’s history across runs, newest first', async () => {
    const history = await allPages<OutcomeBody>(viewer, `/api/mailboxes/${partialMailbox}/runs`, 1);
    expect(history.map((o) => [o.status, o.run?.status])).toEqual([
      ['succeeded', 'succeeded'],
      ['cancelled', 'cancelled'],
    ]);
    expect(history[1].runId).toBe(cancelled.id);
    expect(history.every((o) => o.mailboxId === partialMailbox)).toBe(true);
    const ofList = await admin.request<Paged<OutcomeBody>>(
      'GET',
      `/api/mailboxes/${partialMailbox}/runs?listId=${crypto.randomUUID()}`,
    );
    expect(ofList.body.items).toEqual([]);
    const unknown = await admin.request<{ error: string }>(
      'GET',
      `/api/mailboxes/${crypto.randomUUID()}/runs`,
    );
    expect([unknown.status, unknown.body.error]).toEqual([404, 'not_found']);
    const bad = await admin.request<{ problems: Array<{ field: string }> }>(
      'GET',
      '/api/mailboxes/not-a-uuid/runs',
    );
    expect([bad.status, bad.body.problems]).toEqual([
      400,
      [{ field: 'userId', message: 'expected a UUID' }],
    ]);
  });

  it('reads the sync logs, paged and filtered by run, mailbox and level', async () => {
    const ofRun = await allPages<LogBody>(admin, `/api/logs?runId=${cancelled.id}`, 10);
    expect(new Set(ofRun.map((e) => e.id)).size).toBe(ofRun.length);
    expect(ofRun.every((e) => e.runId === cancelled.id)).toBe(true);
    const times = ofRun.map((e) => Date.parse(e.at));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(ofRun.map((e) => e.code)).toEqual(
      expect.arrayContaining(['RUN_PLANNED', 'RUN_CANCELLED']),
    );
    expect(await allPages<LogBody>(viewer, `/api/runs/${cancelled.id}/logs`, 200)).toEqual(ofRun);

    const ofMailbox = await allPages<LogBody>(
      admin,
      `/api/runs/${cancelled.id}/logs?mailboxId=${partialMailbox}`,
      50,
    );
    expect(ofMailbox.map((e) => [e.mailboxId, e.level, e.code])).toEqual([
      [partialMailbox, 'warn', 'RUN_CANCELLED'],
    ]);
    const warnings = await allPages<LogBody>(
      admin,
      `/api/logs?runId=${cancelled.id}&level=warn`,
      50,
    );
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings.every((e) => e.level === 'warn')).toBe(true);
    // Every run of the tenant, the mailbox filter across runs.
    const acrossRuns = await allPages<LogBody>(admin, `/api/logs?mailboxId=${partialMailbox}`, 50);
    expect(new Set(acrossRuns.map((e) => e.runId)).size).toBe(2);
    for (const e of [...ofRun, ...acrossRuns]) {
      expect(Object.keys(e).sort()).toEqual(
        ['at', 'code', 'id', 'level', 'mailboxId', 'message', 'runId'].sort(),
      );
      expect(e.message).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\./);
    }
    const bad = await admin.request<{ problems: Array<{ field: string }> }>(
      'GET',
      '/api/logs?cursor=bm90LWEtY3Vyc29y&level=loud',
    );
    expect([bad.status, bad.body.problems.map((p) => p.field)]).toEqual([400, ['level']]);
    const badCursor = await admin.request<{ problems: Array<{ field: string }> }>(
      'GET',
      '/api/logs?cursor=bm90LWEtY3Vyc29y',
    );
    expect([badCursor.status, badCursor.body.problems.map((p) => p.field)]).toEqual([
      400,
      ['cursor'],
    ]);
  });

  it("another tenant's admin gets 404 for this tenant's run, outcomes, logs and mailbox, and sees none of its logs", async () => {
    const runId = cancelled.id;
    for (const [method, path] of [
      ['GET', `/api/runs/${runId}`],
      ['GET', `/api/runs/${runId}/mailboxes`],
      ['GET', `/api/runs/${runId}/logs`],
      ['GET', `/api/logs?runId=${runId}`],
      ['GET', `/api/mailboxes/${partialMailbox}/runs`],
      ['POST', `/api/runs/${runId}/cancel`],
    ]) {
      const res = await adminB.request<{ error: string }>(method, path);
      expect([method, path, res.status, res.body.error]).toEqual([method, path, 404, 'not_found']);
    }
    const own = await adminB.request<Paged<LogBody>>('GET', '/api/logs?limit=200');
    expect(own.status).toBe(200);
    const ofA = new Set((await allPages<LogBody>(admin, '/api/logs', 200)).map((e) => e.id));
    expect(own.body.items.filter((e) => ofA.has(e.id))).toEqual([]);
    const mailboxOfA = await adminB.request<Paged<LogBody>>(
      'GET',
      `/api/logs?mailboxId=${partialMailbox}`,
    );
    expect(mailboxOfA.body.items).toEqual([]);
  });
});
